/**
 * Every rendered manifest against the Kubernetes API schemas (the OpenAPI definitions compiled
 * into the kubernetes-models validators): field types, required fields, enums and formats.
 */
import type { Model } from '@kubernetes-models/base';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Job } from 'kubernetes-models/batch/v1';
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import {
  ConfigMap,
  LimitRange,
  Pod,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from 'kubernetes-models/v1';
import { describe, expect, it } from 'vitest';
import { type Manifest, renderSet, VALUE_SETS } from './support/helm.ts';

type ModelClass = new (data: any) => Model<unknown>;

const MODELS: Record<string, ModelClass> = {
  'v1/ConfigMap': ConfigMap,
  'v1/LimitRange': LimitRange,
  'v1/Pod': Pod,
  'v1/ResourceQuota': ResourceQuota,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'rbac.authorization.k8s.io/v1/Role': Role,
  'rbac.authorization.k8s.io/v1/RoleBinding': RoleBinding,
};

function problemsOf(manifest: Manifest): string | undefined {
  const model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
  if (!model) return `no schema for ${manifest.apiVersion} ${manifest.kind}`;
  try {
    new model(manifest).validate();
    return undefined;
  } catch (error) {
    return String(error);
  }
}

describe.each(Object.keys(VALUE_SETS))('with the %s values', (name) => {
  it('renders only manifests that match the Kubernetes API schemas', async () => {
    const manifests = await renderSet(name);
    expect(manifests.length).toBeGreaterThan(5);
    const problems = manifests.flatMap((m) => {
      const problem = problemsOf(m);
      return problem ? [`${m.kind} ${m.metadata.name}: ${problem}`] : [];
    });
    expect(problems).toEqual([]);
  });
});

describe('the validators', () => {
  it('reject a manifest with a wrong field type', () => {
    const broken = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x' },
      spec: { ports: [{ port: 'eighty' }] },
    };
    expect(problemsOf(broken)).toMatch(/port/);
  });
});
