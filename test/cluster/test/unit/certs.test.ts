import { describe, expect, it } from 'vitest';
import { apiServerSans, certPlan, certsToIssue, extensions } from '../../lib/certs.ts';

const node = { name: 'vm', ip: '192.0.2.2' };

describe('apiServerSans', () => {
  it('covers loopback, the node, the kubernetes Service IP and its DNS names', () => {
    const sans = apiServerSans(node);
    expect(sans.ips).toEqual(['127.0.0.1', '192.0.2.2', '10.96.0.1']);
    expect(sans.dnsNames).toContain('kubernetes.default.svc.cluster.local');
    expect(sans.dnsNames).toContain('vm');
  });
});

describe('certPlan', () => {
  it('gives kubelet the identity the Node authorizer expects', () => {
    const kubelet = certPlan(node).find((spec) => spec.name === 'kubelet-client');
    expect(kubelet).toMatchObject({ commonName: 'system:node:vm', organization: 'system:nodes' });
  });
});

describe('certsToIssue', () => {
  const plan = certPlan(node);
  const issued = Object.fromEntries(plan.map((spec) => [spec.name, spec]));

  it('issues nothing when every certificate exists with the same spec', () => {
    expect(certsToIssue(plan, issued, () => true)).toEqual([]);
  });

  it('issues everything on a fresh machine', () => {
    expect(certsToIssue(plan, {}, () => false)).toHaveLength(plan.length);
  });

  it('reissues the serving certificates when the node address changes', () => {
    const moved = certPlan({ ...node, ip: '192.0.2.9' });
    expect(certsToIssue(moved, issued, () => true).map((spec) => spec.name)).toEqual([
      'apiserver',
      'metrics-server',
      'kubelet',
    ]);
  });

  it('reissues a certificate whose file is missing', () => {
    expect(certsToIssue(plan, issued, (name) => name !== 'admin').map((s) => s.name)).toEqual([
      'admin',
    ]);
  });
});

describe('extensions', () => {
  it('writes SANs and the extended key usage', () => {
    const text = extensions({
      name: 'x',
      commonName: 'x',
      usage: 'server',
      dnsNames: ['a'],
      ips: ['127.0.0.1'],
    });
    expect(text).toContain('extendedKeyUsage=serverAuth');
    expect(text).toContain('subjectAltName=DNS:a,IP:127.0.0.1');
  });

  it('has no SAN line for client certificates', () => {
    expect(extensions({ name: 'x', commonName: 'x', usage: 'client' })).not.toContain(
      'subjectAltName',
    );
  });
});
