import { describe, expect, it } from 'vitest';
import { PollError, poll } from '../../lib/poll.ts';

const fast = {
  timeoutMs: 2_000,
  intervalMs: 5,
  timeoutMessage: (last: string) => `gave up: ${last}`,
};

describe('poll', () => {
  it('returns the first answer that is not undefined, asking at the interval meanwhile', async () => {
    let asked = 0;
    const value = await poll(() => (++asked < 4 ? undefined : `answer ${asked}`), fast);
    expect(value).toBe('answer 4');
    expect(asked).toBe(4);
  });

  it('counts a thrown attempt as not yet, and names the last error when time runs out', async () => {
    let asked = 0;
    const waited = poll(
      () => {
        asked += 1;
        throw new Error(`connection refused #${asked}`);
      },
      { ...fast, timeoutMs: 60 },
    );
    await expect(waited).rejects.toThrow(PollError);
    await expect(waited).rejects.toThrow(/^gave up: connection refused #\d+$/);
    expect(asked).toBeGreaterThan(1);
  });

  it('says "not yet" with an empty last error when no attempt threw', async () => {
    await expect(poll(() => undefined, { ...fast, timeoutMs: 30 })).rejects.toThrow(/^gave up: $/);
  });

  it('ends at once when the thing waited for can no longer come', async () => {
    let asked = 0;
    const exited = () => (asked >= 2 ? 'the server exited with code 1' : undefined);
    await expect(
      poll(
        () => {
          asked += 1;
          return undefined;
        },
        { ...fast, timeoutMs: 60_000, stopped: exited },
      ),
    ).rejects.toThrow(/^the server exited with code 1$/);
    expect(asked).toBe(2);
  });

  it('ends with the abort reason when the caller gives up', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('interrupted')), 30);
    await expect(
      poll(() => undefined, { ...fast, timeoutMs: 60_000, signal: controller.signal }),
    ).rejects.toThrow(/^interrupted$/);
  });
});
