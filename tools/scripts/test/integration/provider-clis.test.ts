/**
 * The image providers against recording stand-ins of the CLIs that cannot run here (minikube,
 * kind, k3d): the exact commands the pipeline issues, and how it reads their answers. Docker is
 * the real one (kind and k3d nodes are looked up as containers; none exist here).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createProvider } from '../../lib/providers/providers.ts';
import { createRecordingClis, type RecordingClis } from '../support/recording-clis.ts';

const REF = 'todo-chatbot/backend:0123456789abcdef';
let clis: RecordingClis;
let savedPath: string | undefined;

beforeEach(async () => {
  clis = await createRecordingClis({
    // `image ls` lists what earlier `image load` calls loaded, as minikube does.
    minikube: {
      respond:
        "args.includes('ls') ? calls.filter((c) => c.includes('load')).map((c) => 'docker.io/' + c.at(-1)).join('\\n') : ''",
    },
    kind: {},
    k3d: {},
  });
  savedPath = process.env.PATH;
  process.env.PATH = clis.path;
});

afterEach(async () => {
  process.env.PATH = savedPath;
  await clis.remove();
});

const options = (provider: 'minikube' | 'kind' | 'k3d', cluster: string) => ({
  detection: { provider, cluster, reason: 'test' },
  containerdAddress: '/nonexistent.sock',
  nodeNames: [`${cluster}-control-plane`],
});

describe('minikube provider', () => {
  it('lists the profile, loads the image, and then finds it', async () => {
    const provider = createProvider(options('minikube', 'dev'));
    expect(await provider.hasImage(REF)).toBe(false);
    await provider.load(REF);
    expect(await provider.hasImage(REF)).toBe(true);
    expect(await clis.calls()).toEqual([
      ['minikube', '-p', 'dev', 'image', 'ls', '--format', 'short'],
      ['minikube', '-p', 'dev', 'image', 'load', REF],
      ['minikube', '-p', 'dev', 'image', 'ls', '--format', 'short'],
    ]);
  });
});

describe('kind and k3d providers', () => {
  it('kind loads into the named cluster', async () => {
    const provider = createProvider(options('kind', 'dev'));
    expect(await provider.hasImage(REF)).toBe(false);
    await provider.load(REF);
    expect(await clis.calls()).toEqual([['kind', 'load', 'docker-image', REF, '--name', 'dev']]);
  });

  it('k3d imports into the named cluster', async () => {
    const provider = createProvider(options('k3d', 'mycluster'));
    await provider.load(REF);
    expect(await clis.calls()).toEqual([['k3d', 'image', 'import', REF, '--cluster', 'mycluster']]);
  });

  it('a failing CLI fails the load', async () => {
    await clis.remove();
    clis = await createRecordingClis({ kind: { exitCode: 1 } });
    process.env.PATH = clis.path;
    await expect(createProvider(options('kind', 'dev')).load(REF)).rejects.toThrow();
  });
});
