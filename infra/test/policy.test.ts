/**
 * Policies over the rendered output of every value set: the Pod Security Standard "restricted"
 * field by field, probes, resources, images, labels and selectors, ports, secrets, hooks.
 */
import { describe, expect, it } from 'vitest';
import {
  containersOf,
  find,
  get,
  hookOf,
  type Manifest,
  NAMESPACE,
  podTemplates,
  render,
  renderSet,
  selects,
  VALUE_SETS,
} from './support/helm.ts';

const RECOMMENDED_LABELS = [
  'app.kubernetes.io/name',
  'app.kubernetes.io/instance',
  'app.kubernetes.io/version',
  'app.kubernetes.io/component',
  'app.kubernetes.io/part-of',
  'app.kubernetes.io/managed-by',
  'helm.sh/chart',
];
// Volume types the restricted profile allows.
const RESTRICTED_VOLUME_TYPES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
];
const SECRET_VARIABLES = [
  'JWT_SECRET',
  'LLM_API_KEY',
  'DATABASE_URL',
  'DATABASE_PASSWORD',
  'POSTGRES_PASSWORD',
];
const APPS = ['backend', 'frontend'];

const componentOf = (m: { metadata: any }) => m.metadata.labels?.['app.kubernetes.io/component'];

describe.each(Object.keys(VALUE_SETS))('with the %s values', (name) => {
  const load = () => renderSet(name);

  describe('the Pod Security Standard "restricted" holds for every pod', () => {
    it('at the pod level: no host namespaces, allowed volume types, non-root, seccomp', async () => {
      const pods = podTemplates(await load());
      expect(pods.map((p) => componentOf(p)).sort()).toEqual(
        expect.arrayContaining(['backend', 'frontend', 'migrations', 'test']),
      );
      for (const { owner, spec } of pods) {
        const where = `${owner.kind} ${owner.metadata.name}`;
        expect(spec.hostNetwork ?? false, where).toBe(false);
        expect(spec.hostPID ?? false, where).toBe(false);
        expect(spec.hostIPC ?? false, where).toBe(false);
        expect(spec.securityContext?.sysctls ?? [], where).toEqual([]);
        for (const volume of spec.volumes ?? []) {
          const types = Object.keys(volume).filter((key) => key !== 'name');
          expect(RESTRICTED_VOLUME_TYPES, `${where} volume ${volume.name}`).toEqual(
            expect.arrayContaining(types),
          );
        }
        const pod = spec.securityContext;
        expect(pod.runAsNonRoot, where).toBe(true);
        expect(pod.seccompProfile, where).toEqual({ type: 'RuntimeDefault' });
        for (const id of ['runAsUser', 'runAsGroup', 'fsGroup']) {
          expect(Number.isInteger(pod[id]) && pod[id] > 0, `${where} ${id}`).toBe(true);
        }
        expect(spec.automountServiceAccountToken, where).toBe(false);
      }
    });

    it('at the container level: no escalation, ALL capabilities dropped, read-only root', async () => {
      for (const { owner, spec } of podTemplates(await load())) {
        for (const container of containersOf(spec)) {
          const where = `${owner.kind} ${owner.metadata.name} container ${container.name}`;
          const sc = container.securityContext;
          expect(sc.privileged ?? false, where).toBe(false);
          expect(sc.allowPrivilegeEscalation, where).toBe(false);
          expect(sc.capabilities.drop, where).toEqual(['ALL']);
          expect(sc.capabilities.add ?? [], where).toEqual([]);
          expect(sc.runAsUser ?? spec.securityContext.runAsUser, where).not.toBe(0);
          expect(sc.runAsNonRoot ?? spec.securityContext.runAsNonRoot, where).toBe(true);
          expect(sc.seccompProfile?.type ?? 'RuntimeDefault', where).toBe('RuntimeDefault');
          expect(sc.procMount ?? 'Default', where).toBe('Default');
          expect(sc.readOnlyRootFilesystem, where).toBe(true);
          for (const port of container.ports ?? []) expect(port.hostPort, where).toBeUndefined();
        }
      }
    });
  });

  it('gives every container requests and limits for cpu and memory', async () => {
    for (const { owner, spec } of podTemplates(await load())) {
      for (const container of containersOf(spec)) {
        const where = `${owner.metadata.name}/${container.name}`;
        for (const kind of ['requests', 'limits']) {
          expect(Object.keys(container.resources?.[kind] ?? {}).sort(), `${where} ${kind}`).toEqual(
            ['cpu', 'memory'],
          );
        }
      }
    }
  });

  it('names every image with an explicit repository and tag, never latest, IfNotPresent', async () => {
    for (const { spec } of podTemplates(await load())) {
      for (const container of containersOf(spec)) {
        const match = /^([^@\s]+):([\w][\w.-]{0,127})$/.exec(container.image);
        expect(match, container.image).not.toBeNull();
        expect(match?.[2]).not.toBe('latest');
        expect(container.imagePullPolicy).toBe('IfNotPresent');
      }
    }
  });

  it('probes the apps so a pod is Ready within 3 s of its container starting', async () => {
    const manifests = await load();
    for (const app of APPS) {
      const deployment = manifests.find((m) => m.kind === 'Deployment' && componentOf(m) === app);
      const [container] = deployment?.spec.template.spec.containers ?? [];
      const { readinessProbe, livenessProbe } = container;
      // The apps listen within a second of starting, whatever they wait for afterwards: a
      // startup probe would only hold the readiness prober back (it starts once startup has
      // succeeded), adding up to a period to every rollout.
      expect(container.startupProbe, app).toBeUndefined();
      expect(livenessProbe.httpGet.port, app).toBe('http');
      for (const probe of [readinessProbe, livenessProbe])
        expect(probe.initialDelaySeconds ?? 0, app).toBe(0);
      if (readinessProbe.exec) {
        // readinessProbe: wait. The GET of the HTTP probe, from inside the container, repeated
        // until it answers 200 (exit 0 only then) for up to a period (bash's SECONDS counts
        // whole seconds: 4-5 s for a bound of 5): once that bound and a last GET's second are
        // over, the kubelet's timeout is not yet reached, and the next probe follows within a
        // second, so a pod that could serve never waits long for a probe.
        const [shell, flag, script] = readinessProbe.exec.command;
        expect([shell, flag], app).toEqual(['bash', '-c']);
        expect(script, app).toMatch(/\/dev\/tcp\/127\.0\.0\.1\/(8000|3000)/);
        expect(script, app).toMatch(/\[ "\$code" = 200 \] && exit 0/);
        const bound = Number(/\$SECONDS -lt (\d+)/.exec(script)?.[1]);
        expect(bound + 1, app).toBeLessThan(readinessProbe.timeoutSeconds);
        expect(readinessProbe.periodSeconds - bound, app).toBeLessThanOrEqual(1);
      } else {
        expect(readinessProbe.httpGet.port, app).toBe('http');
        // Worst case after the server listens: one readiness period and its timeout.
        expect(
          readinessProbe.periodSeconds + readinessProbe.timeoutSeconds,
          app,
        ).toBeLessThanOrEqual(3);
      }
      // A slow boot still gets 30 s before liveness restarts it, and liveness is checked far
      // less often than readiness.
      expect(livenessProbe.periodSeconds * livenessProbe.failureThreshold).toBeGreaterThanOrEqual(
        30,
      );
      expect(livenessProbe.periodSeconds).toBeGreaterThan(readinessProbe.periodSeconds);
    }
    const backend = manifests.find((m) => m.kind === 'Deployment' && componentOf(m) === 'backend');
    const [container] = backend?.spec.template.spec.containers ?? [];
    // Readiness includes the database and the schema; liveness must not (a database outage
    // must not restart every backend pod, nor one that waits for the database at start).
    const readiness = container.readinessProbe;
    expect(readiness.httpGet?.path ?? readiness.exec.command[2]).toMatch(/\/readyz\b/);
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    const database = manifests.find((m) => m.kind === 'StatefulSet');
    if (database) {
      const [db] = database.spec.template.spec.containers;
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(db[probe].exec.command[0], probe).toBe('pg_isready');
      }
    }
  });

  it('rolls the apps without losing capacity and lets in-flight requests finish', async () => {
    const deployments = (await load()).filter((m) => m.kind === 'Deployment');
    expect(deployments.map(componentOf)).toEqual(expect.arrayContaining(APPS));
    for (const deployment of deployments) {
      expect(deployment.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
      expect(deployment.spec.strategy.rollingUpdate.maxSurge).toBeGreaterThanOrEqual(1);
      const pod = deployment.spec.template.spec;
      const pause = pod.containers[0].lifecycle.preStop.sleep.seconds;
      expect(pause).toBeGreaterThanOrEqual(3);
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(pause + 10);
    }
  });

  it('puts the recommended labels on every resource and pod', async () => {
    const manifests = await load();
    const labelled = [...manifests, ...podTemplates(manifests)];
    for (const item of labelled) {
      const labels = item.metadata.labels ?? {};
      expect(Object.keys(labels), item.metadata.name ?? componentOf(item)).toEqual(
        expect.arrayContaining(RECOMMENDED_LABELS),
      );
    }
  });

  it('has workload selectors that match their own pod template, and only it', async () => {
    const manifests = await load();
    const workloads = manifests.filter((m) => ['Deployment', 'StatefulSet'].includes(m.kind));
    for (const workload of workloads) {
      const selector = workload.spec.selector.matchLabels;
      for (const other of workloads) {
        expect(selects(selector, other.spec.template.metadata.labels), other.metadata.name).toBe(
          other === workload,
        );
      }
    }
  });

  it('points every Service at real pods and at ports their containers declare', async () => {
    const manifests = await load();
    const pods = podTemplates(manifests).filter((p) => !hookOf(p.owner));
    for (const service of manifests.filter((m) => m.kind === 'Service')) {
      const targets = pods.filter((p) => selects(service.spec.selector, p.metadata.labels));
      expect(targets, service.metadata.name).toHaveLength(1);
      const ports = (targets[0]?.spec.containers ?? []).flatMap((c: any) => c.ports ?? []);
      for (const port of service.spec.ports) {
        const target = ports.find(
          (p: any) => p.name === port.targetPort || p.containerPort === port.targetPort,
        );
        expect(target, `${service.metadata.name} -> ${port.targetPort}`).toBeDefined();
      }
    }
  });

  it('lets PodDisruptionBudgets, HPAs and the Ingress reference what exists', async () => {
    const manifests = await load();
    const named = (kind: string, name: string) =>
      manifests.find((m) => m.kind === kind && m.metadata.name === name);
    for (const pdb of manifests.filter((m) => m.kind === 'PodDisruptionBudget')) {
      const selected = manifests.filter(
        (m) =>
          m.kind === 'Deployment' &&
          selects(pdb.spec.selector.matchLabels, m.spec.template.metadata.labels),
      );
      expect(selected, pdb.metadata.name).toHaveLength(1);
      for (const deployment of selected) {
        const hpa = named('HorizontalPodAutoscaler', deployment.metadata.name);
        expect(hpa?.spec.minReplicas ?? deployment.spec.replicas).toBeGreaterThan(1);
      }
    }
    for (const hpa of manifests.filter((m) => m.kind === 'HorizontalPodAutoscaler')) {
      const target = named('Deployment', hpa.spec.scaleTargetRef.name);
      expect(target, hpa.metadata.name).toBeDefined();
      // The HPA owns the count; a replicas field would reset it on every upgrade.
      expect(target?.spec.replicas).toBeUndefined();
    }
    for (const ingress of manifests.filter((m) => m.kind === 'Ingress')) {
      for (const path of ingress.spec.rules.flatMap((r: any) => r.http.paths)) {
        const service = named('Service', path.backend.service.name);
        const ports = service?.spec.ports.map((p: any) => p.name);
        expect(ports, path.path).toContain(path.backend.service.port.name);
      }
    }
  });

  it('keeps secret material inside Secrets', async () => {
    const manifests = await load();
    for (const configMap of manifests.filter((m) => m.kind === 'ConfigMap')) {
      for (const key of Object.keys(configMap.data ?? {})) {
        expect(SECRET_VARIABLES, `${configMap.metadata.name} ${key}`).not.toContain(key);
        expect(key).not.toMatch(/SECRET|PASSWORD|_KEY$|TOKEN/);
      }
    }
    for (const { owner, spec } of podTemplates(manifests)) {
      expect(JSON.stringify(spec.containers), owner.metadata.name).not.toContain(
        'envFrom":[{"secretRef',
      );
      for (const env of containersOf(spec).flatMap((c) => c.env ?? [])) {
        if (!SECRET_VARIABLES.includes(env.name)) continue;
        if (env.valueFrom) {
          expect(Object.keys(env.valueFrom), env.name).toEqual(['secretKeyRef']);
        } else {
          // The only literal: the in-cluster DATABASE_URL, without a password (it comes apart,
          // as DATABASE_PASSWORD from the password Secret).
          expect(env.name).toBe('DATABASE_URL');
          expect(env.value).toMatch(/^postgresql:\/\/[a-z_0-9]+@[^:@/]+:5432\/\w+$/);
        }
      }
    }
    // The generated password appears only in its Secret.
    for (const secret of manifests.filter((m) => m.kind === 'Secret')) {
      for (const value of Object.values<string>(secret.data ?? {})) {
        const plain = Buffer.from(value, 'base64').toString();
        const elsewhere = manifests.filter(
          (m) => m !== secret && JSON.stringify(m).includes(plain),
        );
        expect(elsewhere.map((m) => m.metadata.name)).toEqual([]);
      }
    }
  });

  it('orders the hooks so the migration Job finds everything it needs', async () => {
    const manifests = await load();
    const job = manifests.find((m) => m.kind === 'Job') as Manifest;
    const external = name === 'external-database';
    const phases = (m: Manifest) => (hookOf(m) ?? '').split(',').sort();
    const weight = (m: Manifest) => Number(m.metadata.annotations['helm.sh/hook-weight'] ?? 0);
    expect(phases(job)).toEqual(
      external ? ['pre-install', 'pre-upgrade'] : ['post-install', 'pre-upgrade'],
    );
    const pod = job.spec.template.spec;
    const dependencies = [
      ['ServiceAccount', pod.serviceAccountName],
      ...containersOf(pod).flatMap((c) => [
        ...(c.envFrom ?? []).map((e: any) => ['ConfigMap', e.configMapRef.name]),
        ...(c.env ?? []).flatMap((e: any) =>
          e.valueFrom?.secretKeyRef ? [['Secret', e.valueFrom.secretKeyRef.name]] : [],
        ),
      ]),
    ];
    const pipelineSecret = containersOf(pod)
      .flatMap((c) => c.env)
      .find((e: any) => e.name === 'JWT_SECRET').valueFrom.secretKeyRef.name;
    for (const [kind, dependencyName] of dependencies) {
      const dependency = manifests.find(
        (m) => m.kind === kind && m.metadata.name === dependencyName,
      );
      if (!dependency) {
        // Only the pipeline's Secret lives outside the chart; it exists before any helm call.
        expect([kind, dependencyName]).toEqual(['Secret', pipelineSecret]);
      } else if (hookOf(dependency)) {
        // A hook of its own: same phases, created first.
        expect(phases(dependency), dependencyName).toEqual(phases(job));
        expect(weight(dependency), dependencyName).toBeLessThan(weight(job));
      } else {
        // A release resource exists only when the Job runs after install.
        expect(phases(job), `${kind} ${dependencyName}`).toContain('post-install');
      }
    }
    // The backend migrates at start exactly when the Job cannot run before it (see job.yaml).
    const config = manifests.find(
      (m) => m.kind === 'ConfigMap' && !hookOf(m) && componentOf(m) === 'backend',
    );
    expect(config?.data.MIGRATE_ON_START).toBe(String(!external));
    // Hook Jobs are bounded and cleaned up; test pods run only on `helm test`.
    expect(job.spec.activeDeadlineSeconds).toBeLessThan(300);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.metadata.annotations['helm.sh/hook-delete-policy']).toContain(
      'before-hook-creation',
    );
    const tests = manifests.filter((m) => componentOf(m) === 'test');
    expect(tests.map((t) => [t.kind, hookOf(t)])).toEqual([
      ['Pod', 'test'],
      ['Pod', 'test'],
    ]);
  });
});

describe('the ops reader (opsReader)', () => {
  const WRITE_VERBS = [
    'create',
    'update',
    'patch',
    'delete',
    'deletecollection',
    'escalate',
    'bind',
    'impersonate',
  ];

  it.each(Object.keys(VALUE_SETS))(
    'under the %s values: reads its own namespace only, never a Secret, never a write',
    async (name) => {
      const manifests = await renderSet(name);
      expect(manifests.map((m) => m.kind)).not.toContain('ClusterRole');
      expect(manifests.map((m) => m.kind)).not.toContain('ClusterRoleBinding');
      const role = get(manifests, 'Role', 'ops-reader');
      for (const rule of role.rules) {
        const where = `${role.metadata.name}: ${JSON.stringify(rule)}`;
        expect(rule.resources, where).not.toContain('secrets');
        expect(rule.resources, where).not.toContain('*');
        expect(rule.apiGroups, where).not.toContain('*');
        expect(rule.verbs, where).not.toContain('*');
        for (const verb of WRITE_VERBS) expect(rule.verbs, where).not.toContain(verb);
        // pods/exec, pods/attach, pods/portforward would reach inside the app.
        expect(
          rule.resources.filter((r: string) => r.includes('/')),
          where,
        ).toEqual(rule.resources.includes('pods/log') ? ['pods/log'] : []);
      }
      const binding = get(manifests, 'RoleBinding', 'ops-reader');
      const account = get(manifests, 'ServiceAccount', 'ops-reader');
      expect(binding.roleRef).toEqual({
        apiGroup: 'rbac.authorization.k8s.io',
        kind: 'Role',
        name: role.metadata.name,
      });
      expect(binding.subjects).toEqual([
        { kind: 'ServiceAccount', name: account.metadata.name, namespace: NAMESPACE },
      ]);
      expect(account.automountServiceAccountToken).toBe(false);
      expect(account.metadata.labels['app.kubernetes.io/component']).toBe('ops-reader');
    },
  );

  it('is gone with opsReader.enabled=false', async () => {
    const manifests = await render({ set: { 'opsReader.enabled': 'false' } });
    for (const kind of ['Role', 'RoleBinding'])
      expect(find(manifests, kind, 'ops-reader')).toBeUndefined();
    expect(find(manifests, 'ServiceAccount', 'ops-reader')).toBeUndefined();
  });
});
