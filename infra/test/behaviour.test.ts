/**
 * What the chart does with its values: the database choice, checksum-driven restarts, replica
 * counts, Services, the Ingress, the NetworkPolicy and NOTES.txt.
 */

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { freePort } from '@todo/test-support/free-port';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  CHART,
  find,
  fixture,
  get,
  helm,
  hookOf,
  type Manifest,
  NAMESPACE,
  parseManifests,
  podTemplates,
  RELEASE,
  render,
  renderSet,
  VALUE_SETS,
  valueArgs,
} from './support/helm.ts';
import { allowed, type Endpoint, releasePods } from './support/network-policy.ts';

const envOf = (manifests: Manifest[], kind: string, suffix: string) =>
  Object.fromEntries(
    get(manifests, kind, suffix).spec.template.spec.containers[0].env.map((e: any) => [e.name, e]),
  );

describe('the database', () => {
  it('is an in-cluster PostgreSQL by default: StatefulSet, PVC, headless Service, kept password', async () => {
    const manifests = await renderSet('defaults');
    const statefulSet = get(manifests, 'StatefulSet', 'postgresql');
    const service = get(manifests, 'Service', 'postgresql');
    const clients = get(manifests, 'Service', 'database');
    const secret = get(manifests, 'Secret', 'postgresql');
    expect(service.spec.clusterIP).toBe('None');
    expect(statefulSet.spec.serviceName).toBe(service.metadata.name);
    // Clients use a cluster IP, whose name resolves before the database pod exists.
    expect(clients.spec.clusterIP).toBeUndefined();
    expect(clients.spec.type).toBe('ClusterIP');
    expect(clients.spec.selector).toEqual(statefulSet.spec.selector.matchLabels);
    expect(clients.spec.ports).toEqual(service.spec.ports);
    expect(statefulSet.spec.volumeClaimTemplates[0].spec.resources.requests.storage).toBe('8Gi');
    expect(secret.metadata.annotations['helm.sh/resource-policy']).toBe('keep');
    expect(Buffer.from(secret.data.password, 'base64').toString()).toMatch(/^[A-Za-z0-9]{32}$/);
    // PGDATA below the mount point: initdb refuses a directory holding lost+found.
    const config = get(manifests, 'ConfigMap', 'postgresql');
    expect(config.data.PGDATA).toBe('/var/lib/postgresql/data/pgdata');
    const mounts = statefulSet.spec.template.spec.containers[0].volumeMounts;
    expect(mounts).toContainEqual({ name: 'data', mountPath: '/var/lib/postgresql/data' });

    const env = envOf(manifests, 'Deployment', 'backend');
    expect(env.DATABASE_PASSWORD.valueFrom.secretKeyRef).toEqual({
      name: secret.metadata.name,
      key: 'password',
    });
    // No password in the URL: the backend percent-encodes DATABASE_PASSWORD into it.
    expect(env.DATABASE_URL.value).toBe(
      `postgresql://todo@${clients.metadata.name}.${NAMESPACE}.svc.cluster.local:5432/todo`,
    );
  });

  it('is the external one when configured, and nothing of the in-cluster one is rendered', async () => {
    const manifests = await renderSet('external-database');
    const leftovers = manifests.filter(
      (m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'postgresql',
    );
    expect(leftovers.map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([]);
    for (const suffix of ['backend']) {
      const env = envOf(manifests, 'Deployment', suffix);
      expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({
        name: 'todo-chatbot-secrets',
        key: 'DATABASE_URL',
      });
      expect(env.DATABASE_PASSWORD).toBeUndefined();
    }
    const jobEnv = envOf(manifests, 'Job', 'migrations');
    expect(jobEnv.DATABASE_URL.valueFrom.secretKeyRef.key).toBe('DATABASE_URL');
    // SSL is required of URLs that do not say otherwise.
    expect(get(manifests, 'ConfigMap', 'backend').data.PGSSLMODE).toBe('verify-full');
    expect(find(manifests, 'NetworkPolicy', 'postgresql')).toBeUndefined();
  });

  it('uses an existing password Secret instead of generating one', async () => {
    const manifests = await render({
      set: { 'postgresql.auth.existingSecret': 'db-auth', 'postgresql.auth.passwordKey': 'pw' },
    });
    expect(find(manifests, 'Secret', 'postgresql')).toBeUndefined();
    const ref = { name: 'db-auth', key: 'pw' };
    expect(
      envOf(manifests, 'Deployment', 'backend').DATABASE_PASSWORD.valueFrom.secretKeyRef,
    ).toEqual(ref);
    expect(
      envOf(manifests, 'StatefulSet', 'postgresql').POSTGRES_PASSWORD.valueFrom.secretKeyRef,
    ).toEqual(ref);
  });
});

describe('the migration Job', () => {
  const hooks = async (upgrade: boolean, onUpgrade: string) => {
    const args = ['template', RELEASE, CHART, '--namespace', NAMESPACE];
    if (upgrade) args.push('--is-upgrade');
    args.push(...valueArgs({ set: { 'migrations.onUpgrade': onUpgrade } }));
    const result = await helm(args);
    expect(result.code, result.stderr).toBe(0);
    return parseManifests(result.stdout)
      .filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === 'migrations')
      .map((m) => m.kind)
      .sort();
  };

  it('runs on every install, and on an upgrade unless the pipeline found the migrations applied', async () => {
    const all = ['ConfigMap', 'Job', 'ServiceAccount'];
    expect(await hooks(false, 'false')).toEqual(all);
    expect(await hooks(true, 'true')).toEqual(all);
    expect(await hooks(true, 'false')).toEqual([]);
  });
});

describe('checksum annotations', () => {
  /** Pod template annotations of every workload, by name. */
  async function annotations(set: Record<string, string>) {
    const manifests = await render({ set });
    return Object.fromEntries(
      podTemplates(manifests)
        .filter((p) => !hookOf(p.owner))
        .map((p) => [p.owner.metadata.name, p.metadata.annotations ?? {}]),
    );
  }

  async function changedBy(set: Record<string, string>) {
    const [before, after] = await Promise.all([annotations({}), annotations(set)]);
    return Object.keys(before).flatMap((name) =>
      Object.keys({ ...before[name], ...after[name] })
        .filter((key) => before[name][key] !== after[name]?.[key])
        .map((key) => `${name} ${key}`),
    );
  }

  it('change for the backend pods only when a backend setting changes', async () => {
    expect(await changedBy({ 'backend.config.logLevel': 'debug' })).toEqual([
      `${RELEASE}-todo-chatbot-backend checksum/config`,
    ]);
  });

  it('change for the frontend pods only when a frontend setting changes', async () => {
    expect(await changedBy({ 'frontend.config.backendTimeoutMs': '45000' })).toEqual([
      `${RELEASE}-todo-chatbot-frontend checksum/config`,
    ]);
  });

  it('change for the backend pods only when the Secret digest changes', async () => {
    expect(await changedBy({ 'secrets.checksum': 'abc123' })).toEqual([
      `${RELEASE}-todo-chatbot-backend checksum/secret`,
    ]);
  });

  it('change for the pods whose trusted proxy hops change (the ingress is one hop more for the frontend)', async () => {
    expect(await changedBy({ 'ingress.enabled': 'true' })).toEqual([
      `${RELEASE}-todo-chatbot-frontend checksum/config`,
    ]);
    expect(await changedBy({ trustedProxies: '1' })).toEqual([
      `${RELEASE}-todo-chatbot-backend checksum/config`,
      `${RELEASE}-todo-chatbot-frontend checksum/config`,
    ]);
  });

  it('do not change for anyone when nothing they read changes', async () => {
    expect(
      await changedBy({ 'frontend.replicaCount': '3', 'ingress.host': 'todo.example' }),
    ).toEqual([]);
  });
});

describe('replicas and scaling', () => {
  it('runs two of each app behind PodDisruptionBudgets by default', async () => {
    const manifests = await renderSet('defaults');
    for (const app of ['backend', 'frontend']) {
      expect(get(manifests, 'Deployment', app).spec.replicas).toBe(2);
      expect(get(manifests, 'PodDisruptionBudget', app).spec.maxUnavailable).toBe(1);
      expect(find(manifests, 'HorizontalPodAutoscaler', app)).toBeUndefined();
    }
  });

  it('runs one of each without budgets on Minikube (values.local.yaml)', async () => {
    const manifests = await renderSet('local');
    for (const app of ['backend', 'frontend']) {
      expect(get(manifests, 'Deployment', app).spec.replicas).toBe(1);
      expect(find(manifests, 'PodDisruptionBudget', app)).toBeUndefined();
    }
    const service = get(manifests, 'Service', 'frontend');
    expect(service.spec.type).toBe('NodePort');
    expect(service.spec.ports[0].nodePort).toBe(30080);
  });

  it('keeps only overrides in values.local.yaml', () => {
    const defaults = parse(readFileSync(`${CHART}/values.yaml`, 'utf8'));
    const local = parse(readFileSync(`${CHART}/values.local.yaml`, 'utf8'));
    const same: string[] = [];
    const walk = (override: any, base: any, path: string) => {
      for (const [key, value] of Object.entries(override)) {
        expect(base, `${path}${key} is not a key of values.yaml`).toHaveProperty([key]);
        if (value && typeof value === 'object') walk(value, base[key], `${path}${key}.`);
        else if (value === base[key]) same.push(`${path}${key}`);
      }
    };
    walk(local, defaults, '');
    expect(same).toEqual([]);
  });

  it('hands the replica counts to HPAs when autoscaling is on', async () => {
    const manifests = await renderSet('autoscaling');
    const backend = get(manifests, 'HorizontalPodAutoscaler', 'backend');
    expect(backend.apiVersion).toBe('autoscaling/v2');
    expect(backend.spec).toMatchObject({ minReplicas: 2, maxReplicas: 8 });
    expect(backend.spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(get(manifests, 'HorizontalPodAutoscaler', 'frontend').spec.minReplicas).toBe(3);
    // behavior passes through as given; without it Kubernetes' defaults hold.
    expect(backend.spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 0 },
      scaleDown: {
        stabilizationWindowSeconds: 15,
        policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    });
    expect(get(manifests, 'HorizontalPodAutoscaler', 'frontend').spec.behavior).toBeUndefined();
    // With a minimum of one there is nothing a budget could protect.
    const single = await render({
      values: [fixture('values/autoscaling.yaml')],
      set: { 'backend.autoscaling.minReplicas': '1' },
    });
    expect(find(single, 'PodDisruptionBudget', 'backend')).toBeUndefined();
    expect(find(single, 'PodDisruptionBudget', 'frontend')).toBeDefined();
  });

  const spreadOf = (manifests: Manifest[], app: string) =>
    get(manifests, 'Deployment', app).spec.template.spec.topologySpreadConstraints;

  it('spreads the pods softly over nodes and zones whenever there can be more than one', async () => {
    for (const manifests of [await renderSet('defaults'), await renderSet('autoscaling')]) {
      for (const app of ['backend', 'frontend']) {
        const spread = spreadOf(manifests, app);
        expect(spread.map((c: any) => c.topologyKey)).toEqual([
          'kubernetes.io/hostname',
          'topology.kubernetes.io/zone',
        ]);
        for (const constraint of spread) {
          // Soft: a single-node cluster still schedules every replica.
          expect(constraint).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
          expect(constraint.matchLabelKeys).toEqual(['pod-template-hash']);
          expect(constraint.labelSelector.matchLabels).toEqual(
            get(manifests, 'Deployment', app).spec.selector.matchLabels,
          );
        }
      }
    }
    // One pod at most (values.local.yaml): nothing to spread.
    const local = await renderSet('local');
    expect(spreadOf(local, 'backend')).toBeUndefined();
    // An HPA that may add pods spreads them even when it starts from one.
    const growing = await render({
      values: [fixture('values/autoscaling.yaml')],
      set: { 'backend.autoscaling.minReplicas': '1' },
    });
    expect(spreadOf(growing, 'backend')).toHaveLength(2);
  });

  it('takes the spread from values when given, and none for an empty list', async () => {
    const custom = await render({
      set: {
        'backend.topologySpreadConstraints[0].maxSkew': '2',
        'backend.topologySpreadConstraints[0].topologyKey': 'rack',
        'backend.topologySpreadConstraints[0].whenUnsatisfiable': 'DoNotSchedule',
      },
    });
    expect(spreadOf(custom, 'backend')).toEqual([
      { maxSkew: 2, topologyKey: 'rack', whenUnsatisfiable: 'DoNotSchedule' },
    ]);
    const off = await render({ values: [fixture('values/no-spread.yaml')] });
    expect(spreadOf(off, 'frontend')).toBeUndefined();
    expect(spreadOf(off, 'backend')).toHaveLength(2);
  });
});

describe('the apps', () => {
  it('point the frontend at the backend Service by its cluster DNS name', async () => {
    const manifests = await renderSet('defaults');
    const backend = get(manifests, 'Service', 'backend');
    expect(backend.spec.type).toBe('ClusterIP');
    expect(backend.spec.ports[0].port).toBe(8000);
    expect(get(manifests, 'ConfigMap', 'frontend').data.BACKEND_URL).toBe(
      `http://${backend.metadata.name}.${NAMESPACE}.svc.cluster.local:8000`,
    );
  });

  it('mount no volume, with any values: a pod with volumes starts a volume-manager poll later', async () => {
    for (const name of Object.keys(VALUE_SETS)) {
      const manifests = await renderSet(name);
      for (const app of ['backend', 'frontend']) {
        const { spec } = get(manifests, 'Deployment', app).spec.template;
        expect(spec.volumes, `${name}: ${app}`).toBeUndefined();
        expect(spec.automountServiceAccountToken, `${name}: ${app}`).toBe(false);
        expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
      }
    }
  });

  it('read their secrets by key from the pipeline Secret, never the whole Secret', async () => {
    const manifests = await renderSet('network-policy');
    const env = envOf(manifests, 'Deployment', 'backend');
    expect(env.JWT_SECRET.valueFrom.secretKeyRef).toEqual({
      name: 'my-secrets',
      key: 'JWT_SECRET',
    });
    expect(env.LLM_API_KEY.valueFrom.secretKeyRef).toEqual({
      name: 'my-secrets',
      key: 'LLM_API_KEY',
      optional: true,
    });
    expect(get(manifests, 'ConfigMap', 'backend').data.LLM_PROVIDER).toBe('groq');
    const frontend = get(manifests, 'Deployment', 'frontend').spec.template.spec.containers[0];
    expect(frontend.env).toBeUndefined();
  });

  it('refuses a tag --set turned into a number, naming the key', async () => {
    const result = await helm(['template', RELEASE, CHART, '--set', 'backend.image.tag=1234']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("'/backend/image/tag': got number, want string");
  });

  it('use the image repositories and tags the pipeline passes', async () => {
    const manifests = await render({
      setString: {
        'backend.image.tag': '1c4731e7e4f8ff4c',
        'frontend.image.tag': '004a2f8cd17cc3ae',
        'postgresql.image.repository': 'local/postgres',
        'postgresql.image.tag': '15',
      },
    });
    const images = podTemplates(manifests).map((p) => [
      p.owner.metadata.name,
      p.spec.containers[0].image,
    ]);
    expect(Object.fromEntries(images)).toMatchObject({
      [`${RELEASE}-todo-chatbot-backend`]: 'todo-chatbot/backend:1c4731e7e4f8ff4c',
      [`${RELEASE}-todo-chatbot-frontend`]: 'todo-chatbot/frontend:004a2f8cd17cc3ae',
      [`${RELEASE}-todo-chatbot-postgresql`]: 'local/postgres:15',
      [`${RELEASE}-todo-chatbot-migrations`]: 'todo-chatbot/backend:1c4731e7e4f8ff4c',
    });
  });

  it('passes every rate limit to the backend, sign-ups and logins per address included', async () => {
    const manifests = await render({
      set: {
        'backend.config.signupRateLimitMax': '3',
        'backend.config.loginAddressRateLimitMax': '7',
      },
    });
    expect(get(manifests, 'ConfigMap', 'backend').data).toMatchObject({
      LOGIN_RATE_LIMIT_MAX: '10',
      LOGIN_RATE_LIMIT_WINDOW_MS: '60000',
      LOGIN_ADDRESS_RATE_LIMIT_MAX: '7',
      LOGIN_ADDRESS_RATE_LIMIT_WINDOW_MS: '900000',
      SIGNUP_RATE_LIMIT_MAX: '3',
      SIGNUP_RATE_LIMIT_WINDOW_MS: '3600000',
    });
  });
});

describe('an app added through values alone (fixtures/values/worker.yaml)', () => {
  const WORKER = [fixture('values/worker.yaml')];
  const component = (manifests: Manifest[], name: string) =>
    manifests
      .filter((m) => m.metadata.labels?.['app.kubernetes.io/component'] === name)
      .map((m) => `${m.kind} ${m.metadata.name}`)
      .sort();

  it('gets a Deployment, a Service on its port and a ConfigMap of its env, all selecting its pods', async () => {
    const manifests = await render({ values: WORKER, set: { 'secrets.checksum': 'abc123' } });
    const name = `${RELEASE}-todo-chatbot-worker`;
    expect(component(manifests, 'worker')).toEqual([
      `ConfigMap ${name}`,
      `Deployment ${name}`,
      `PodDisruptionBudget ${name}`,
      `Service ${name}`,
    ]);
    const deployment = get(manifests, 'Deployment', 'worker');
    const selector = {
      'app.kubernetes.io/name': 'todo-chatbot',
      'app.kubernetes.io/instance': RELEASE,
      'app.kubernetes.io/component': 'worker',
    };
    expect(deployment.spec.selector.matchLabels).toEqual(selector);
    expect(deployment.spec.template.metadata.labels).toMatchObject(selector);
    expect(deployment.spec.replicas).toBe(2);
    const [container] = deployment.spec.template.spec.containers;
    expect(container.name).toBe('worker');
    expect(container.image).toBe('todo-chatbot/worker:5d41402abc4b2a76');
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' });
    // No secretEnv: neither the Secret's variables nor its digest.
    expect(container.env).toBeUndefined();
    const annotations = deployment.spec.template.metadata.annotations;
    expect(Object.keys(annotations)).toEqual(['checksum/config']);

    const service = get(manifests, 'Service', 'worker');
    expect(service.metadata.labels).toMatchObject(selector);
    expect(service.spec.type).toBe('ClusterIP');
    expect(service.spec.selector).toEqual(selector);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' },
    ]);

    const config = get(manifests, 'ConfigMap', 'worker');
    expect(config.metadata.labels).toMatchObject(selector);
    expect(config.data).toEqual({ WORKER_CONCURRENCY: '4', LOG_LEVEL: 'info' });
    expect(container.envFrom).toEqual([{ configMapRef: { name: config.metadata.name } }]);
    expect(get(manifests, 'PodDisruptionBudget', 'worker').spec.selector.matchLabels).toEqual(
      selector,
    );
  });

  it('changes nothing of the rest of the release', async () => {
    // The generated database password differs on every render.
    const others = (manifests: Manifest[]) =>
      manifests.filter(
        (m) =>
          m.metadata.labels?.['app.kubernetes.io/component'] !== 'worker' && m.kind !== 'Secret',
      );
    expect(others(await render({ values: WORKER }))).toEqual(others(await renderSet('defaults')));
  });

  it('joins the HPA loop when it autoscales, and leaves the PDB one with a single pod', async () => {
    const scaled = await render({ values: WORKER, set: { 'worker.autoscaling.enabled': 'true' } });
    const hpa = get(scaled, 'HorizontalPodAutoscaler', 'worker');
    expect(hpa.spec.scaleTargetRef.name).toBe(get(scaled, 'Deployment', 'worker').metadata.name);
    expect(hpa.spec).toMatchObject({ minReplicas: 2, maxReplicas: 4 });
    expect(get(scaled, 'Deployment', 'worker').spec.replicas).toBeUndefined();
    expect(find(scaled, 'PodDisruptionBudget', 'worker')).toBeDefined();

    const single = await render({ values: WORKER, set: { 'worker.replicaCount': '1' } });
    expect(find(single, 'PodDisruptionBudget', 'worker')).toBeUndefined();
    expect(find(single, 'HorizontalPodAutoscaler', 'worker')).toBeUndefined();
  });

  it('gets no ConfigMap without env, and the Secret only with secretEnv', async () => {
    const bare = await render({ values: WORKER, set: { 'worker.env': 'null' } });
    expect(find(bare, 'ConfigMap', 'worker')).toBeUndefined();
    const pod = get(bare, 'Deployment', 'worker').spec.template;
    expect(pod.metadata.annotations).toBeUndefined();
    expect(pod.spec.containers[0].envFrom).toBeUndefined();

    const reading = await render({
      values: WORKER,
      set: { 'worker.secretEnv': 'true', 'secrets.checksum': 'abc123' },
    });
    const template = get(reading, 'Deployment', 'worker').spec.template;
    expect(template.metadata.annotations['checksum/secret']).toBe('abc123');
    expect(Object.keys(envOf(reading, 'Deployment', 'worker'))).toEqual(
      Object.keys(envOf(reading, 'Deployment', 'backend')),
    );
  });

  it.each([
    ['a misspelt key', { 'worker.replicaCont': '3' }, "'/worker'", "'replicaCont'"],
    ['a number in env', { 'worker.env.WORKER_CONCURRENCY': '4' }, '/worker/env/WORKER_CONCURRENCY'],
    ['a secret in env', { 'worker.env.API_TOKEN': 'x' }, "'/worker'", "'API_TOKEN'"],
    ['a config block', { 'worker.config.logLevel': 'info' }, '/worker/config'],
  ])('is checked by the schema: %s fails', async (_case, set, ...names) => {
    const result = await helm(['template', RELEASE, CHART, ...valueArgs({ values: WORKER, set })]);
    expect(result.code).not.toBe(0);
    for (const name of names) expect(result.stderr).toContain(name);
  });
});

describe('the Ingress', () => {
  it('sends / to the frontend and /api to the backend, with class, host and TLS', async () => {
    const manifests = await renderSet('ingress');
    const ingress = get(manifests, 'Ingress', 'chatbot');
    expect(ingress.spec.ingressClassName).toBe('nginx');
    expect(ingress.spec.tls).toEqual([
      { secretName: 'todo-example-com-tls', hosts: ['todo.example.com'] },
    ]);
    const [rule] = ingress.spec.rules;
    expect(rule.host).toBe('todo.example.com');
    const routes = Object.fromEntries(
      rule.http.paths.map((p: any) => [p.path, p.backend.service.name]),
    );
    expect(routes).toEqual({
      '/api': `${RELEASE}-todo-chatbot-backend`,
      '/': `${RELEASE}-todo-chatbot-frontend`,
    });
    expect(get(manifests, 'Service', 'frontend').spec.type).toBe('ClusterIP');
    expect(get(manifests, 'Service', 'frontend').spec.ports[0].nodePort).toBeUndefined();
  });

  it('is absent unless enabled', async () => {
    expect((await renderSet('defaults')).some((m) => m.kind === 'Ingress')).toBe(false);
  });

  it('counts as a proxy hop for the frontend; each proxy in front of it, for both apps', async () => {
    const hops = async (set: Record<string, string>) => {
      const manifests = await render({ set });
      return ['backend', 'frontend'].map(
        (app) => get(manifests, 'ConfigMap', app).data.TRUST_PROXY_HOPS,
      );
    };
    // The backend always sits behind one proxy: the frontend's, or the ingress on /api.
    expect(await hops({})).toEqual(['1', '0']);
    expect(await hops({ 'ingress.enabled': 'true' })).toEqual(['1', '1']);
    expect(await hops({ 'ingress.enabled': 'true', trustedProxies: '1' })).toEqual(['2', '2']);
  });
});

describe('NOTES.txt', () => {
  async function notes(values: string[], set: Record<string, string> = {}) {
    const result = await helm([
      'install',
      RELEASE,
      CHART,
      '--namespace',
      NAMESPACE,
      '--dry-run=client',
      ...valueArgs({ values, set }),
    ]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.slice(result.stdout.indexOf('NOTES:'));
  }

  it('tells how to open the app on Minikube (NodePort) and by port-forward', async () => {
    const text = await notes([`${CHART}/values.local.yaml`]);
    expect(text).toContain(
      `minikube service ${RELEASE}-todo-chatbot-frontend --namespace ${NAMESPACE} --url`,
    );
    expect(text).toContain(':30080/');
    expect(text).toContain(
      `kubectl port-forward --namespace ${NAMESPACE} service/${RELEASE}-todo-chatbot-frontend 8080:3000`,
    );
  });

  it('gives the Ingress URL when the Ingress is on', async () => {
    const text = await notes([fixture('values/ingress.yaml')]);
    expect(text).toContain('https://todo.example.com/');
    expect(text).not.toContain('minikube service');
  });

  it('explains minikube tunnel for a LoadBalancer', async () => {
    const text = await notes([], { 'frontend.service.type': 'LoadBalancer' });
    expect(text).toContain('minikube tunnel');
  });
});

describe('the waiting readiness probe (readinessProbe: wait)', () => {
  // The rendered command itself, run by bash against a local server on a free port.
  async function probeScript(app: string): Promise<(port: number) => string> {
    const manifests = await renderSet('local');
    const [container] = get(manifests, 'Deployment', app).spec.template.spec.containers;
    const script: string = container.readinessProbe.exec.command[2];
    return (port) => script.replace(/\/dev\/tcp\/127\.0\.0\.1\/\d+/, `/dev/tcp/127.0.0.1/${port}`);
  }
  const run = (script: string) =>
    new Promise<{ code: number | null; ms: number }>((resolve) => {
      const started = performance.now();
      const child = spawn('bash', ['-c', script], { stdio: 'ignore' });
      child.on('exit', (code) => resolve({ code, ms: performance.now() - started }));
    });
  const serve = (port: number, status: () => number, path: string) =>
    new Promise<Server>((resolve) => {
      const server = createServer((request, response) => {
        response.writeHead(request.url === path ? status() : 404).end();
      });
      server.listen(port, '127.0.0.1', () => resolve(server));
    });

  it.each([
    ['backend', '/readyz'],
    ['frontend', '/healthz'],
  ])('%s: waits for the port to open, then passes on 200 from %s', async (app, path) => {
    const port = await freePort();
    const script = (await probeScript(app))(port);
    const probe = run(script);
    // The server starts listening a while after the probe began, as a container's does.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const server = await serve(port, () => 200, path);
    try {
      const { code, ms } = await probe;
      expect(code).toBe(0);
      expect(ms).toBeGreaterThanOrEqual(300);
      expect(ms).toBeLessThan(1500);
    } finally {
      server.close();
    }
  });

  it('asks again while the app answers other than 200, and passes on its first 200', async () => {
    const port = await freePort();
    const script = (await probeScript('backend'))(port);
    // Not ready (starting, or waiting for its database) for the first 700 ms.
    const readyAt = performance.now() + 700;
    const server = await serve(port, () => (performance.now() < readyAt ? 503 : 200), '/readyz');
    try {
      const { code, ms } = await run(script);
      expect(code).toBe(0);
      expect(ms).toBeGreaterThanOrEqual(700);
      expect(ms).toBeLessThan(1200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('fails once its bound is over, before the kubelet would time it out, listened to or not', async () => {
    const manifests = await renderSet('local');
    const [container] = get(manifests, 'Deployment', 'backend').spec.template.spec.containers;
    const timeoutMs = container.readinessProbe.timeoutSeconds * 1000;
    const port = await freePort();
    const script = (await probeScript('backend'))(port);
    const server = await serve(port, () => 503, '/readyz');
    const [refused, silent] = await Promise.all([
      run(script).finally(() => server.close()),
      run((await probeScript('backend'))(await freePort())),
    ]);
    for (const outcome of [refused, silent]) {
      expect(outcome.code).toBe(1);
      expect(outcome.ms).toBeGreaterThan(3500);
      expect(outcome.ms).toBeLessThan(timeoutMs - 500);
    }
  });
});

describe('the network policies', () => {
  const outside = (name: string, inCluster: boolean): Endpoint => ({
    kind: 'outside',
    name,
    inCluster,
  });
  const clients = [
    outside('browser', false),
    outside('ingress-controller', true),
    outside('other-pod', true),
  ];
  const destinations = [
    outside('internet:443', false),
    outside('internet:5432', false),
    outside('cluster-dns', true),
  ];
  const portOf: Record<string, number> = { 'internet:443': 443, 'internet:5432': 5432 };

  /** Every connection the policies allow, as "from -> to:port", over every pair and port. */
  async function reachable(set: Record<string, string>): Promise<string[]> {
    const manifests = await render({ set });
    const pods = releasePods(manifests);
    const edges: string[] = [];
    for (const from of [...pods, ...clients]) {
      for (const to of pods)
        for (const port of Object.values(to.kind === 'pod' ? to.ports : {}))
          if (allowed(manifests, from, to, port)) edges.push(`${from.name} -> ${to.name}:${port}`);
      if (from.kind !== 'pod') continue;
      for (const to of destinations) {
        if (to.name === 'cluster-dns') {
          if (!allowed(manifests, from, to, 53, 'UDP'))
            edges.push(`${from.name} cannot resolve names`);
        } else if (allowed(manifests, from, to, portOf[to.name] ?? 0)) {
          edges.push(`${from.name} -> ${to.name}`);
        }
      }
    }
    // The two `helm test` pods are one component: each edge once.
    return [...new Set(edges)].sort();
  }

  it('let each component reach exactly what it needs, and nothing reach the database but its users', async () => {
    expect(await reachable({})).toEqual(
      [
        'backend -> internet:443',
        'backend -> postgresql:5432',
        'browser -> frontend:3000',
        'frontend -> backend:8000',
        'ingress-controller -> frontend:3000',
        'migrations -> postgresql:5432',
        'other-pod -> frontend:3000',
        'test -> backend:8000',
        'test -> frontend:3000',
      ].sort(),
    );
  });

  it('let an ingress controller, in any namespace, reach the backend when the Ingress routes /api to it', async () => {
    const edges = await reachable({
      'ingress.enabled': 'true',
      'ingress.host': 'todo.example.com',
    });
    expect(edges).toContain('ingress-controller -> backend:8000');
    expect(edges).toContain('other-pod -> backend:8000');
    expect(edges).not.toContain('browser -> backend:8000');
  });

  it('let the backend and the migrations reach an external database wherever it is', async () => {
    const edges = await reachable({ 'externalDatabase.enabled': 'true' });
    expect(edges).toEqual(
      expect.arrayContaining(['backend -> internet:5432', 'migrations -> internet:5432']),
    );
    expect(edges.filter((edge) => edge.includes('postgresql'))).toEqual([]);
    const closed = await reachable({
      'externalDatabase.enabled': 'true',
      'networkPolicy.externalDatabaseAnywhere': 'false',
    });
    expect(closed).not.toContain('migrations -> internet:5432');
  });

  it('are not rendered when turned off', async () => {
    const manifests = await render({ set: { 'networkPolicy.enabled': 'false' } });
    expect(manifests.filter((m) => m.kind === 'NetworkPolicy')).toEqual([]);
  });
});
