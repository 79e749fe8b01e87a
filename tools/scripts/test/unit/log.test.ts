import { describe, expect, it, vi } from 'vitest';
import { mb, step } from '../../lib/log.ts';

describe('sizes in messages', () => {
  it('counts decimal megabytes, and kilobytes for a push of a few files', () => {
    expect([mb(0), mb(31_400), mb(99_949), mb(100_000), mb(19_700_000)]).toEqual([
      '0.0 kB',
      '31.4 kB',
      '99.9 kB',
      '0.1 MB',
      '19.7 MB',
    ]);
  });
});

describe('a timed step', () => {
  async function linesOf(work: () => Promise<unknown>): Promise<string[]> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    await work().catch(() => undefined);
    const lines = log.mock.calls.map(([line]) => String(line).replace(/\d+ ms$/, 'N ms'));
    log.mockRestore();
    return lines;
  }

  it('ends with done, or failed when it throws or its command exits non-zero', async () => {
    expect(await linesOf(() => step('s', 'push', async () => ({ exitCode: 0 })))).toEqual([
      '[s] push...',
      '[s] push: done in N ms',
    ]);
    expect(await linesOf(() => step('s', 'helm', async () => ({ exitCode: 1 })))).toEqual([
      '[s] helm...',
      '[s] helm: failed (exit 1) after N ms',
    ]);
    const thrown = () =>
      step('s', 'load', async () => {
        throw new Error('gone');
      });
    expect(await linesOf(thrown)).toEqual(['[s] load...', '[s] load: failed after N ms']);
    expect(await linesOf(() => step('s', 'ask', async () => 'a digest'))).toEqual([
      '[s] ask...',
      '[s] ask: done in N ms',
    ]);
  });
});
