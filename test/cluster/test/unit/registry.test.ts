import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { paths, stateDir } from '../../lib/config.ts';
import { containerdConfig } from '../../lib/containerd.ts';
import {
  localRegistryHosting,
  registryConfig,
  registryHostsToml,
  uploadedBlobs,
} from '../../lib/registry.ts';

describe('registryConfig', () => {
  const config = parse(stringify(registryConfig()));

  it('serves plain HTTP on loopback port 5001 without auth', () => {
    expect(config.version).toBe('0.1');
    expect(config.http.addr).toBe('127.0.0.1:5001');
    expect(config.http.tls).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('stores under the state folder, where cluster-down removes it, and allows deletes', () => {
    expect(config.storage.filesystem.rootdirectory).toBe(paths.registryData);
    expect(paths.registryData.startsWith(`${stateDir}/`)).toBe(true);
    expect(config.storage.delete.enabled).toBe(true);
  });

  it('logs every request and leaves the storage health check off', () => {
    expect(config.log.accesslog.disabled).toBe(false);
    expect(config.log.level).toBe('info');
    expect(config.health.storagedriver.enabled).toBe(false);
  });
});

describe('registryHostsToml', () => {
  it('lets containerd pull and resolve over plain HTTP from localhost:5001', () => {
    expect(registryHostsToml()).toBe(
      [
        'server = "http://localhost:5001"',
        '',
        '[host."http://localhost:5001"]',
        '  capabilities = ["pull", "resolve"]',
        '',
      ].join('\n'),
    );
  });

  it('is found through the CRI registry config_path of the node containerd', () => {
    expect(containerdConfig()).toContain(
      `[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "${paths.containerdHosts}"\n`,
    );
  });
});

describe('localRegistryHosting', () => {
  const configMap = localRegistryHosting() as {
    metadata: { name: string; namespace: string };
    data: Record<string, string>;
  };

  it('is the KEP-1755 ConfigMap', () => {
    expect(configMap.metadata).toEqual({
      name: 'local-registry-hosting',
      namespace: 'kube-public',
    });
    expect(Object.keys(configMap.data)).toEqual(['localRegistryHosting.v1']);
  });

  it('names the host Docker pushes to and containerd pulls from, and nothing pods would use', () => {
    const hosting = parse(configMap.data['localRegistryHosting.v1'] ?? '');
    expect(hosting.host).toBe('localhost:5001');
    expect(hosting.hostFromContainerRuntime).toBe('localhost:5001');
    expect(hosting.hostFromClusterNetwork).toBeUndefined();
    expect(hosting.help).toContain('docker push localhost:5001/');
  });
});

describe('uploadedBlobs', () => {
  // Lines the registry wrote for a real `docker push` (Docker 20.10), shortened user agent.
  const agent = '"docker/20.10.24+dfsg1 go/go1.19.8"';
  const line = (request: string, status: string) =>
    `127.0.0.1 - - [29/Nov/2026:17:47:10 +0000] "${request} HTTP/1.1" ${status} "" ${agent}`;
  const layer = 'sha256:945575ed65e1d342ac7be713c4cc906d8a6cd8521a2f1069676bba47b79b6115';
  const config = 'sha256:c6ab04ba1fc4c9a062354a780563ac1f9c48be9482efb8f794de52307784a4b0';
  const log = [
    'time="2026-11-29T17:46:52Z" level=info msg="listening on 127.0.0.1:5001"',
    line('GET /v2/', '200 2'),
    line('POST /v2/probe/node/blobs/uploads/', '202 0'),
    line('PATCH /v2/probe/node/blobs/uploads/01a2?_state=LYbL%3D', '202 0'),
    line(
      `PUT /v2/probe/node/blobs/uploads/01a2?_state=6M4O&digest=${encodeURIComponent(layer)}`,
      '201 0',
    ),
    line(`HEAD /v2/probe/node/blobs/${config}`, '404 157'),
    line(
      `PUT /v2/probe/node/blobs/uploads/01a3?_state=gU-c%3D%3D&digest=${encodeURIComponent(config)}`,
      '201 0',
    ),
    line('PUT /v2/probe/node/manifests/t1', '201 0'),
    // Mounted from another repository: nothing was uploaded.
    line(`POST /v2/other/app/blobs/uploads/?mount=${layer}&from=probe%2Fnode`, '201 0'),
    // A failed upload (digest mismatch) is not an upload either.
    line(`PUT /v2/other/app/blobs/uploads/01a4?_state=x&digest=${config}`, '400 131'),
  ].join('\n');

  it('lists the completed uploads with their repository and digest, in log order', () => {
    expect(uploadedBlobs(log)).toEqual([
      { repository: 'probe/node', digest: layer },
      { repository: 'probe/node', digest: config },
    ]);
  });

  it('finds none in a log without pushes', () => {
    expect(uploadedBlobs(line('GET /v2/', '200 2'))).toEqual([]);
  });
});
