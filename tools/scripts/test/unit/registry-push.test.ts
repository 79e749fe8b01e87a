import { describe, expect, it } from 'vitest';
import { RegistryError } from '../../lib/registry/client.ts';
import { pushFailure, pushProgress, pushSummary } from '../../lib/registry/push.ts';

const diffId = (prefix: string) => `sha256:${prefix}${'0'.repeat(64 - prefix.length)}`;

// The image's layers, bottom first, and the registry's manifest for it (same order).
const diffIds = [diffId('5f70bf18a086'), diffId('a1b2c3d4e5f6'), diffId('0123456789ab')];
const manifest = {
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { digest: `sha256:${'c'.repeat(64)}`, size: 7_000 },
  layers: [
    { digest: `sha256:${'1'.repeat(64)}`, size: 30_000_000 },
    { digest: `sha256:${'2'.repeat(64)}`, size: 2_000_000 },
    { digest: `sha256:${'3'.repeat(64)}`, size: 400_000 },
  ],
};

const output = (...layerLines: string[]) =>
  [
    'The push refers to repository [localhost:5001/todo-chatbot/backend]',
    ...layerLines,
    `0123456789abcdef: digest: sha256:${'d'.repeat(64)} size: 1234`,
  ].join('\n');

describe('pushSummary', () => {
  it('counts the layers pushed and their compressed sizes, plus the config', () => {
    const summary = pushSummary(
      output('0123456789ab: Pushed', 'a1b2c3d4e5f6: Pushed', '5f70bf18a086: Layer already exists'),
      diffIds,
      manifest,
    );
    expect(summary).toEqual({ layersPushed: 2, layersTotal: 3, bytesSent: 2_407_000 });
  });

  it('takes each layer’s size from the manifest position of its diff id', () => {
    const summary = pushSummary(output('5f70bf18a086: Pushed'), diffIds, manifest);
    expect(summary).toEqual({ layersPushed: 1, layersTotal: 3, bytesSent: 30_007_000 });
  });

  it('sends nothing, config included, when every layer was already there', () => {
    const summary = pushSummary(
      output(
        '0123456789ab: Layer already exists',
        'a1b2c3d4e5f6: Layer already exists',
        '5f70bf18a086: Layer already exists',
      ),
      diffIds,
      manifest,
    );
    expect(summary).toEqual({ layersPushed: 0, layersTotal: 3, bytesSent: 0 });
  });

  it('does not count progress, mounted layers or layers of other images', () => {
    const summary = pushSummary(
      output(
        '0123456789ab: Preparing',
        '0123456789ab: Pushing [==>        ]  1.2MB/4MB',
        'a1b2c3d4e5f6: Mounted from library/node',
        'ffffffffffff: Pushed',
        '5f70bf18a086: Layer already exists',
      ),
      diffIds,
      manifest,
    );
    expect(summary).toEqual({ layersPushed: 0, layersTotal: 3, bytesSent: 0 });
  });

  it('reads lines ending in CRLF', () => {
    const summary = pushSummary(
      output('a1b2c3d4e5f6: Pushed\r', '5f70bf18a086: Layer already exists\r'),
      diffIds,
      manifest,
    );
    expect(summary).toEqual({ layersPushed: 1, layersTotal: 3, bytesSent: 2_007_000 });
  });

  it('copes with a manifest without sizes', () => {
    expect(pushSummary(output('a1b2c3d4e5f6: Pushed'), diffIds, {})).toEqual({
      layersPushed: 1,
      layersTotal: 0,
      bytesSent: 0,
    });
  });
});

describe('pushFailure', () => {
  const host = 'localhost:5001';
  const remote = 'localhost:5001/todo-chatbot/backend:0123456789abcdef';

  it.each([
    'unauthorized: authentication required',
    'unauthorized: incorrect username or password',
    'denied: requested access to the resource is denied',
    'Error response from daemon: Head "https://localhost:5001/v2/": 403 Forbidden',
  ])('tells to docker login when the registry refuses: %s', (stderr) => {
    const message = pushFailure(host, remote, `preparing\n${stderr}\n`);
    expect(message).toMatch(/^registry localhost:5001 refused the push of localhost:5001\//);
    expect(message).toContain(`(${stderr})`);
    expect(message).toContain('`docker login localhost:5001`');
  });

  it('points at insecure-registries when Docker wants HTTPS from a plain-HTTP registry', () => {
    const message = pushFailure(
      'registry.lan:5000',
      'registry.lan:5000/todo-chatbot/backend:abc',
      'Get "https://registry.lan:5000/v2/": http: server gave HTTP response to HTTPS client',
    );
    expect(message).toContain('registry registry.lan:5000 serves plain HTTP');
    expect(message).toContain('insecure-registries');
  });

  it.each([
    'Get "https://localhost:5001/v2/": dial tcp [::1]:5001: connect: connection refused',
    'Get "https://localhost:5001/v2/": dial tcp: lookup localhost on 127.0.0.53:53: no such host',
    'Get "https://localhost:5001/v2/": net/http: TLS handshake timeout',
    'error pinging the registry: connection refused',
    // Ports that contain 401 or 403 are not authorization answers.
    'Get "https://localhost:5401/v2/": dial tcp 127.0.0.1:5401: connect: connection refused',
    'Get "https://localhost:4030/v2/": dial tcp 127.0.0.1:4030: connect: connection refused',
  ])('says the registry is not reachable: %s', (stderr) => {
    const message = pushFailure(host, remote, stderr);
    expect(message).toMatch(/^registry localhost:5001 is not reachable from Docker \(/);
    expect(message).toContain('DEPLOY_REGISTRY=off');
    expect(message).not.toContain('docker login');
  });

  it('says the Docker daemon is down rather than blaming the registry', () => {
    const message = pushFailure(
      host,
      remote,
      'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock',
    );
    expect(message).toMatch(/^Docker daemon not reachable while pushing /);
    expect(message).not.toContain('docker login');
  });

  it('quotes the last line of anything else, naming the image and so the registry', () => {
    const message = pushFailure(host, remote, 'first line\nmanifest invalid: too many layers\n');
    expect(message).toBe(`docker push ${remote} failed: manifest invalid: too many layers`);
    expect(message).toContain(host);
  });

  it('is the message of a RegistryError, one line', () => {
    const error = new RegistryError(pushFailure(host, remote, 'unauthorized'));
    expect(error.message.split('\n')).toHaveLength(1);
  });
});

describe('pushProgress', () => {
  it('shows each layer as it is pushed, found or mounted, and nothing else', () => {
    const lines = [
      'The push refers to repository [localhost:5001/todo-chatbot/backend]',
      '5f70bf18a086: Preparing',
      '5f70bf18a086: Waiting',
      'a1b2c3d4e5f6: Pushed',
      '5f70bf18a086: Layer already exists',
      '0123456789ab: Mounted from todo-chatbot/frontend',
      '0123456789abcdef: digest: sha256:abc size: 1234',
    ];
    expect(lines.map(pushProgress).filter(Boolean)).toEqual([
      'a1b2c3d4e5f6: Pushed',
      '5f70bf18a086: Layer already exists',
      '0123456789ab: Mounted from todo-chatbot/frontend',
    ]);
  });
});
