import { describe, expect, it } from 'vitest';
import { inRegistry, registrySettingProblem } from '../../lib/registry/reference.ts';
import {
  chooseTransport,
  HOSTING_CONFIGMAP,
  parseLocalRegistryHosting,
} from '../../lib/registry/transport.ts';

describe('registrySettingProblem (DEPLOY_REGISTRY)', () => {
  it.each([
    'auto',
    'off',
    'localhost:5001',
    'ghcr.io/acme',
    'registry.example.com:443/team/sub',
    '127.0.0.1:5000',
    '[::1]:5000',
    '[fd00::12]/team',
    'k3d-registry.localhost:12345',
    'registry.example.com/my-team/sub_group',
    'docker.io/acme',
    'localhost',
  ])('accepts %s', (value) => {
    expect(registrySettingProblem(value)).toBeUndefined();
  });

  it.each([
    ['https://ghcr.io/acme', /drop the scheme/],
    ['HTTP://localhost:5001', /drop the scheme/],
    ['oci://registry.example.com', /drop the scheme/],
    ['ghcr.io/acme/', /drop the trailing \//],
    ['localhost:5001/', /drop the trailing \//],
    ['acme', /acme is not a registry host: for Docker Hub write docker\.io\/acme/],
    ['acme/team', /acme is not a registry host/],
    ['localhost:99999', /port 99999 is out of range/],
    ['localhost:0', /port 0 is out of range/],
  ])('rejects %s and says what to drop', (value, hint) => {
    const problem = registrySettingProblem(value);
    expect(problem).toMatch(/^expected auto, off, or a registry/);
    expect(problem).toMatch(hint);
  });

  it.each([
    ['an upper-case path', 'ghcr.io/Acme'],
    ['a port that is not a number', 'localhost:abc'],
    ['an empty port', 'localhost:'],
    ['a six-digit port', 'localhost:123456'],
    ['an IPv6 address without brackets', '::1:5000'],
    ['an unclosed IPv6 bracket', '[::1:5000'],
    ['an image tag', 'ghcr.io/acme:latest'],
    ['a space', 'ghcr.io/ac me'],
    ['a host starting with -', '-registry.example.com'],
    ['an empty path segment', 'ghcr.io//acme'],
    ['an empty value', ''],
  ])('rejects %s', (_, value) => {
    expect(registrySettingProblem(value)).toMatch(/host\[:port\]\[\/path\], e\.g\. localhost:5001/);
  });
});

describe('inRegistry', () => {
  it('puts the repository under the registry, path prefix included', () => {
    expect(inRegistry('localhost:5001', 'todo-chatbot/backend')).toBe(
      'localhost:5001/todo-chatbot/backend',
    );
    expect(inRegistry('ghcr.io/acme', 'todo-chatbot/frontend')).toBe(
      'ghcr.io/acme/todo-chatbot/frontend',
    );
  });
});

const hosting = (document: string) => ({ 'localRegistryHosting.v1': document });

describe('parseLocalRegistryHosting (KEP-1755)', () => {
  it('reads the host kind writes, ignoring help', () => {
    const data = hosting(
      'host: "localhost:5001"\nhelp: "https://kind.sigs.k8s.io/docs/user/local-registry/"\n',
    );
    expect(parseLocalRegistryHosting(data)).toEqual({ host: 'localhost:5001' });
  });

  it('keeps the name the container runtime uses, as k3d writes it', () => {
    const data = hosting(
      [
        'host: "localhost:12345"',
        'hostFromContainerRuntime: "k3d-registry.localhost:5000"',
        'hostFromClusterNetwork: "k3d-registry:5000"',
        'help: "https://k3d.io/stable/usage/registries/#using-a-local-registry"',
      ].join('\n'),
    );
    expect(parseLocalRegistryHosting(data)).toEqual({
      host: 'localhost:12345',
      hostFromContainerRuntime: 'k3d-registry.localhost:5000',
    });
  });

  it('ignores a hostFromContainerRuntime that is not a registry name', () => {
    const data = hosting('host: localhost:5001\nhostFromContainerRuntime: "http://registry:5000/"');
    expect(parseLocalRegistryHosting(data)).toEqual({ host: 'localhost:5001' });
  });

  it('is undefined without the ConfigMap or without its key', () => {
    expect(parseLocalRegistryHosting(undefined)).toBeUndefined();
    expect(parseLocalRegistryHosting({})).toBeUndefined();
    expect(parseLocalRegistryHosting({ 'localRegistryHosting.v2': 'host: x:1' })).toBeUndefined();
  });

  it('names the ConfigMap when the document is not YAML', () => {
    const parse = () => parseLocalRegistryHosting(hosting('host: "localhost:5001\n  : ['));
    expect(parse).toThrow(`${HOSTING_CONFIGMAP}: localRegistryHosting.v1 is not YAML (`);
    expect(HOSTING_CONFIGMAP).toBe('kube-public/local-registry-hosting');
  });

  it.each([
    ['no host', 'help: https://example.com', 'undefined'],
    ['an empty document', '', 'undefined'],
    ['a host that is a number', 'host: 5001', '5001'],
    ['a host with a scheme', 'host: "https://localhost:5001"', '"https://localhost:5001"'],
    ['a host with a trailing /', 'host: "localhost:5001/"', '"localhost:5001/"'],
    ['host auto', 'host: auto', '"auto"'],
    ['host off', 'host: "off"', '"off"'],
    ['a document that is a plain string', 'localhost:5001 please', 'undefined'],
  ])('names the ConfigMap and the host field when there is %s', (_, document, found) => {
    const parse = () => parseLocalRegistryHosting(hosting(document));
    expect(parse).toThrow(
      `kube-public/local-registry-hosting: localRegistryHosting.v1.host must be a registry such as localhost:5001 (found ${found})`,
    );
  });
});

describe('chooseTransport', () => {
  const advertised = { host: 'localhost:5001' };

  it('pushes to and pulls from the registry DEPLOY_REGISTRY names, whatever else is true', () => {
    const transport = chooseTransport({
      setting: 'ghcr.io/acme',
      advertised: { host: 'localhost:5001', hostFromContainerRuntime: 'kind-registry:5000' },
      nodeSharesDaemon: true,
    });
    expect(transport).toEqual({
      kind: 'registry',
      push: 'ghcr.io/acme',
      pull: 'ghcr.io/acme',
      reason: expect.stringContaining('DEPLOY_REGISTRY=ghcr.io/acme'),
    });
  });

  it('side-loads when DEPLOY_REGISTRY=off, even with a registry advertised', () => {
    const transport = chooseTransport({ setting: 'off', advertised, nodeSharesDaemon: false });
    expect(transport).toEqual({
      kind: 'side-load',
      reason: expect.stringContaining('DEPLOY_REGISTRY=off'),
    });
  });

  it('moves nothing through a registry when the node shares the Docker daemon', () => {
    const transport = chooseTransport({ setting: 'auto', advertised, nodeSharesDaemon: true });
    expect(transport.kind).toBe('side-load');
    expect(transport.reason).toMatch(/Docker daemon/);
  });

  it('pushes to the advertised host and pulls under the same name when no other is given', () => {
    const transport = chooseTransport({ setting: 'auto', advertised, nodeSharesDaemon: false });
    expect(transport).toMatchObject({
      kind: 'registry',
      push: 'localhost:5001',
      pull: 'localhost:5001',
    });
    expect(transport.reason).toContain('localhost:5001');
    expect(transport.reason).toContain('kube-public/local-registry-hosting');
    expect(transport.reason).not.toMatch(/ as /);
  });

  it('lets the nodes pull under hostFromContainerRuntime and says so', () => {
    const transport = chooseTransport({
      setting: 'auto',
      advertised: { host: 'localhost:5001', hostFromContainerRuntime: 'kind-registry:5000' },
      nodeSharesDaemon: false,
    });
    expect(transport).toMatchObject({
      kind: 'registry',
      push: 'localhost:5001',
      pull: 'kind-registry:5000',
    });
    expect(transport.reason).toMatch(/pull it as kind-registry:5000/);
  });

  it('side-loads when nothing is advertised, naming the missing ConfigMap and the setting', () => {
    const transport = chooseTransport({
      setting: 'auto',
      advertised: undefined,
      nodeSharesDaemon: false,
    });
    expect(transport.kind).toBe('side-load');
    expect(transport.reason).toContain('no kube-public/local-registry-hosting');
    expect(transport.reason).toContain('DEPLOY_REGISTRY');
  });

  it('side-loads with the reason the advertisement could not be read', () => {
    const transport = chooseTransport({
      setting: 'auto',
      advertised: undefined,
      advertisedProblem: 'kube-public/local-registry-hosting: localRegistryHosting.v1 is not YAML',
      nodeSharesDaemon: false,
    });
    expect(transport.kind).toBe('side-load');
    expect(transport.reason).toContain('localRegistryHosting.v1 is not YAML');
  });
});
