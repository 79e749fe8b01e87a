import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, type Probe, sharedCache } from '../../lib/deploy-state.ts';
import { ledgerToken, parseLedger, sight, subjectLine } from '../../lib/runtime-ledger.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runtime-ledger-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('sight', () => {
  it('meets a subject first once, and keeps its token for the workspace', async () => {
    const path = join(dir, 'once');
    const first = await sight('docker todo-chatbot/backend:1', path, '/ws');
    const again = await sight('docker todo-chatbot/backend:1', path, '/ws');
    const other = await sight('docker todo-chatbot/backend:2', path, '/ws');
    expect([first.first, again.first, other.first]).toEqual([true, false, true]);
    expect(again.token).toBe(first.token);
    expect(other.token).toBe(first.token);
  });

  it('keeps digests, not subjects (they may hold settings)', async () => {
    const path = join(dir, 'digests');
    await sight('release ctx secret-bearing-fingerprint', path, '/ws');
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain('secret-bearing');
    expect(text).toContain(subjectLine('release ctx secret-bearing-fingerprint'));
  });

  it('starts a new epoch when the ledger is lost, so no earlier answer can be given again', async () => {
    const path = join(dir, 'lost');
    const before = await sight('image a:1', path, '/ws');
    await rm(path);
    const after = await sight('image a:1', path, '/ws');
    expect(after.first).toBe(true);
    expect(after.token).not.toBe(before.token);
  });

  it('replaces a file that is not a ledger with a new epoch', async () => {
    const path = join(dir, 'garbage');
    await writeFile(path, 'not a ledger\n');
    expect((await sight('image a:1', path, '/ws')).first).toBe(true);
    expect(parseLedger(await readFile(path, 'utf8'))?.seen.size).toBe(1);
  });

  it('gives one epoch to inputs that create the ledger at the same moment, losing no subject', async () => {
    const path = join(dir, 'race');
    const subjects = Array.from({ length: 12 }, (_, i) => `image app:${i}`);
    const sightings = await Promise.all(subjects.map((subject) => sight(subject, path, '/ws')));
    expect(new Set(sightings.map((s) => s.token)).size).toBe(1);
    expect(sightings.every((s) => s.first)).toBe(true);
    const ledger = parseLedger(await readFile(path, 'utf8'));
    expect(ledger?.seen).toEqual(new Set(subjects.map(subjectLine)));
  });

  it('differs by workspace: a copied workspace and its original never share a token', () => {
    expect(ledgerToken('5f0c3c4e-0000-4000-8000-000000000000', '/a')).not.toBe(
      ledgerToken('5f0c3c4e-0000-4000-8000-000000000000', '/b'),
    );
  });
});

describe('answer', () => {
  const ledgerAt = (name: string) => (subject: string) => sight(subject, join(dir, name), '/ws');
  const probeOf = (subject: string, problem: string | undefined): Probe => ({
    subject,
    problem: async () => problem,
  });

  it('reads the same before a step makes its state good and after: the next run replays it', async () => {
    const ledger = ledgerAt('before-after');
    // Before the build: the image is missing, but the subject is new, so nothing is checked.
    const before = await answer(probeOf('docker app:7', 'absent'), ledger);
    const after = await answer(probeOf('docker app:7', undefined), ledger);
    expect(before).toMatch(/^ok [0-9a-f]{16} docker app:7$/);
    expect(after).toBe(before);
  });

  it('checks a subject it has answered for before: a state lost since then is a new key', async () => {
    const ledger = ledgerAt('lost-state');
    const good = await answer(probeOf('image app:7', undefined), ledger);
    const lost = await answer(probeOf('image app:7', 'absent (not in the registry)'), ledger);
    const again = await answer(probeOf('image app:7', 'absent (not in the registry)'), ledger);
    expect(lost).toMatch(/^absent \(not in the registry\) [0-9a-f-]{36}$/);
    expect(again).not.toBe(lost);
    // Once repaired, the answer is the one the cache entry was made under.
    expect(await answer(probeOf('image app:7', undefined), ledger)).toBe(good);
  });

  it('never checks the outside state for a subject met the first time', async () => {
    const found: Probe = {
      subject: 'release ctx f1',
      problem: () => Promise.reject(new Error('the cluster was asked')),
    };
    expect(await answer(found, ledgerAt('unchecked'))).toMatch(/^ok /);
  });

  describe('with a shared cache', () => {
    const shared = (subject: string, problem: string | undefined): Probe => ({
      ...probeOf(subject, problem),
      shared: true,
    });

    it('names no machine: two workspaces answer a good shared subject alike', async () => {
      const a = await answer(shared('image app:7 in reg', undefined), ledgerAt('a'), true);
      const b = await answer(
        shared('image app:7 in reg', undefined),
        (subject) => sight(subject, join(dir, 'b'), '/elsewhere'),
        true,
      );
      expect(a).toBe('ok shared image app:7 in reg');
      expect(b).toBe(a);
    });

    it('checks a shared subject even the first time: no other machine replays a lost state', async () => {
      const first = await answer(
        shared('image app:8 in reg', 'absent (not in reg)'),
        ledgerAt('c'),
        true,
      );
      expect(first).toMatch(/^absent \(not in reg\) [0-9a-f-]{36}$/);
    });

    it('keeps a subject that is not shared (a side-loaded image) on the machine-local answer', async () => {
      const local = await answer(probeOf('image app:9 side-load', 'absent'), ledgerAt('d'), true);
      expect(local).toMatch(/^ok [0-9a-f]{16} image app:9 side-load$/);
    });

    it('reads the variable Nx reads, empty when the plugin turned the remote cache off', () => {
      expect(sharedCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: 'http://cache:8090' })).toBe(true);
      expect(sharedCache({ NX_SELF_HOSTED_REMOTE_CACHE_SERVER: '' })).toBe(false);
      expect(sharedCache({})).toBe(false);
    });
  });
});
