import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectionPath } from '../../lib/kube.ts';
import {
  driftReason,
  firstDifference,
  type LiveObject,
  type ManifestObject,
  manifestObjects,
  objectKey,
  objectSignal,
  signalDigest,
} from '../../lib/release-drift.ts';

const deployment: ManifestObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'todo-backend', labels: { 'app.kubernetes.io/instance': 'todo' } },
  spec: {
    replicas: 1,
    template: {
      spec: {
        securityContext: {},
        containers: [
          {
            name: 'backend',
            image: 'todo-chatbot/backend:b1',
            env: [{ name: 'PORT', value: '8000' }],
            resources: { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '0.1' } },
          },
        ],
      },
    },
  },
};

/** The same Deployment as the API server returns it: defaults, status and extra metadata. */
function live(edit: (object: any) => void = () => {}): LiveObject {
  const object = structuredClone(deployment) as any;
  object.metadata = {
    ...object.metadata,
    uid: 'u1',
    generation: 3,
    resourceVersion: '812',
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  };
  object.spec.strategy = { type: 'RollingUpdate' };
  delete object.spec.template.spec.securityContext;
  const [container] = object.spec.template.spec.containers;
  container.imagePullPolicy = 'IfNotPresent';
  container.resources = { limits: { cpu: '1', memory: '512Mi' }, requests: { cpu: '100m' } };
  object.status = { replicas: 1 };
  edit(object);
  return object;
}

const one = (object: LiveObject) => new Map([[objectKey(object, 'Deployment'), object]]);

describe('drift of a release', () => {
  it('finds none in what the API server returns for what was applied', () => {
    expect(driftReason([deployment], one(live()))).toBeUndefined();
  });

  it('names the field, the live and the applied value of a hand edit', () => {
    const scaled = live((object) => {
      object.spec.replicas = 0;
    });
    expect(driftReason([deployment], one(scaled))).toBe(
      'Deployment todo-backend changed outside the release (spec.replicas 0, want 1)',
    );
    const image = live((object) => {
      object.spec.template.spec.containers[0].image = 'hand/made:1';
    });
    expect(driftReason([deployment], one(image))).toMatch(
      /\(spec\.template\.spec\.containers\[backend\]\.image hand\/made:1, want todo-chatbot\/backend:b1\)$/,
    );
  });

  it('notices an item added to a list, naming the items but never an env value', () => {
    const added = live((object) => {
      object.spec.template.spec.containers[0].env.push({ name: 'X', value: 's3cret' });
    });
    const reason = driftReason([deployment], one(added));
    expect(reason).toMatch(/containers\[backend\]\.env \[PORT, X\], want \[PORT\]\)$/);
    const edited = live((object) => {
      object.spec.template.spec.containers[0].env[0].value = 's3cret';
    });
    expect(driftReason([deployment], one(edited))).toMatch(/env\[PORT\]\.value differs\)$/);
    expect(`${reason} ${driftReason([deployment], one(edited))}`).not.toContain('s3cret');
  });

  it('compares quantities by value, as the API server rewrites them', () => {
    expect(
      firstDifference(
        { cpu: '0.5', memory: '1Gi' },
        { cpu: '500m', memory: '1024Mi' },
        'limits',
        true,
      ),
    ).toBeUndefined();
    expect(firstDifference({ cpu: '0.5' }, { cpu: '400m' }, 'limits', true)).toEqual({
      path: 'limits.cpu',
      live: '400m',
      want: '0.5',
    });
    // Outside resources, equal numbers in other units are a change.
    expect(firstDifference({ size: '1Gi' }, { size: '1024Mi' })).toBeDefined();
  });

  it('reports a deleted object, and a Secret change without its values', () => {
    const secret: ManifestObject = {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'todo-db' },
      stringData: { password: 'pw-1' },
    };
    expect(driftReason([deployment, secret], one(live()))).toBe(
      'Secret todo-db was deleted outside the release',
    );
    const stored = {
      metadata: { name: 'todo-db' },
      data: { password: Buffer.from('pw-1').toString('base64') },
    };
    const both = new Map([...one(live()), ['Secret/todo-db', stored]]);
    expect(driftReason([deployment, secret], both)).toBeUndefined();
    stored.data.password = Buffer.from('pw-2').toString('base64');
    const reason = driftReason([deployment, secret], both);
    expect(reason).toBe('Secret todo-db changed outside the release (data.password differs)');
  });
});

describe('the cheap signal', () => {
  it('moves with a spec change or a recreated object, not with status', () => {
    const before = objectSignal(live());
    expect(objectSignal(live((object) => (object.status.replicas = 2)))).toBe(before);
    expect(objectSignal(live((object) => (object.metadata.generation = 4)))).not.toBe(before);
    expect(objectSignal(live((object) => (object.metadata.uid = 'u2')))).not.toBe(before);
    expect(objectSignal(undefined)).toBe('absent');
    // Kinds without a generation (ConfigMap, Service) move with their resourceVersion.
    expect(objectSignal({ metadata: { name: 'c', uid: 'u', resourceVersion: '9' } })).toBe('u v9');
    // A ResourceQuota's status moves with every pod; only its spec counts.
    const quota = (hard: string, used: string, resourceVersion: string) => ({
      metadata: { name: 'q', uid: 'u', resourceVersion },
      spec: { hard: { pods: hard } },
      status: { used: { pods: used } },
    });
    const quotaSignal = objectSignal(quota('10', '1', '5'), 'ResourceQuota');
    expect(objectSignal(quota('10', '4', '9'), 'ResourceQuota')).toBe(quotaSignal);
    expect(objectSignal(quota('12', '4', '9'), 'ResourceQuota')).not.toBe(quotaSignal);
    expect(signalDigest({ a: '1', b: '2' })).toBe(signalDigest({ b: '2', a: '1' }));
    expect(signalDigest({ a: '1', b: '2' })).not.toBe(signalDigest({ a: '1', b: '3' }));
  });
});

describe("Helm's release record", () => {
  it('decodes to the objects of its manifest', async () => {
    const manifest =
      '---\n# Source: x\napiVersion: v1\nkind: Service\nmetadata:\n  name: a\n---\n# empty\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n';
    const helmStored = gzipSync(JSON.stringify({ name: 'todo', manifest })).toString('base64');
    const secretData = Buffer.from(helmStored).toString('base64');
    const objects = await manifestObjects(secretData);
    expect(objects.map((object) => objectKey(object))).toEqual(['Service/a', 'Deployment/b']);
  });
});

describe('where the API serves what a release applies', () => {
  it('names the collection of every kind the chart can render', () => {
    const paths = [
      ['v1', 'ConfigMap'],
      ['v1', 'ServiceAccount'],
      ['apps/v1', 'StatefulSet'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['networking.k8s.io/v1', 'Ingress'],
    ].map(([apiVersion, kind]) => collectionPath(apiVersion ?? '', kind ?? '', 'ns'));
    expect(paths).toEqual([
      '/api/v1/namespaces/ns/configmaps',
      '/api/v1/namespaces/ns/serviceaccounts',
      '/apis/apps/v1/namespaces/ns/statefulsets',
      '/apis/autoscaling/v2/namespaces/ns/horizontalpodautoscalers',
      '/apis/policy/v1/namespaces/ns/poddisruptionbudgets',
      '/apis/networking.k8s.io/v1/namespaces/ns/networkpolicies',
      '/apis/networking.k8s.io/v1/namespaces/ns/ingresses',
    ]);
  });
});

describe('fields written by someone else', () => {
  const managed = (manager: string, fieldsV1: object, subresource?: string) => ({
    manager,
    operation: 'Update',
    ...(subresource ? { subresource } : {}),
    fieldsV1,
  });
  const withManagers = (...entries: object[]) =>
    live((object) => {
      object.metadata.managedFields = [
        managed('helm', { 'f:spec': { 'f:replicas': {} } }),
        managed('kube-controller-manager', { 'f:status': { 'f:replicas': {} } }, 'status'),
        ...entries,
      ];
    });

  it('finds an env list added where the release set none, naming the variable only', () => {
    const added = withManagers(
      managed('kubectl-set', {
        'f:spec': {
          'f:template': {
            'f:spec': {
              'f:containers': {
                'k:{"name":"backend"}': {
                  'f:env': {
                    '.': {},
                    'k:{"name":"HAND"}': { '.': {}, 'f:name': {}, 'f:value': {} },
                  },
                },
              },
            },
          },
        },
      }),
    );
    expect(driftReason([deployment], one(added))).toBe(
      'Deployment todo-backend changed outside the release (spec.template.spec.containers[backend].env set by kubectl-set)',
    );
  });

  it("leaves Helm's and the control plane's fields, status, and others' labels alone", () => {
    const labelled = withManagers(
      managed('kubectl-label', { 'f:metadata': { 'f:labels': { 'f:team': {} } } }),
    );
    expect(driftReason([deployment], one(labelled))).toBeUndefined();
  });
});
