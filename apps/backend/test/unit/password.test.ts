import { describe, expect, it } from 'vitest';
import { PasswordHasher } from '../../src/auth/password.ts';
import { HttpError } from '../../src/http/errors.ts';

/** Runs `work` while sampling the process's resident memory; returns the peak growth in MiB. */
async function peakGrowthMiB(work: () => Promise<unknown>): Promise<number> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  // scrypt runs on libuv's thread pool, so the main thread is free to sample.
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(sampler);
  }
  return (peak - baseline) / 2 ** 20;
}

describe('PasswordHasher', () => {
  it('hashes with salt and verifies', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, maxQueued: 4 });
    const [a, b] = [await hasher.hash('correct horse'), await hasher.hash('correct horse')];
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('correct horse', a)).toBe(true);
    expect(await hasher.verify('wrong horse', a)).toBe(false);
    expect(await hasher.verify('correct horse', 'not a hash')).toBe(false);
  });

  it('holds one hash in memory at a time, where unbounded hashing holds several', async () => {
    const bounded = new PasswordHasher({ concurrency: 1, maxQueued: 16 });
    const boundedPeak = await peakGrowthMiB(() =>
      Promise.all(Array.from({ length: 4 }, (_, i) => bounded.hash(`password ${i}`))),
    );
    // The control: with four at once (libuv's default pool) the same burst needs ~512 MiB.
    const unbounded = new PasswordHasher({ concurrency: 4, maxQueued: 16 });
    const unboundedPeak = await peakGrowthMiB(() =>
      Promise.all(Array.from({ length: 4 }, (_, i) => unbounded.hash(`password ${i}`))),
    );
    expect(boundedPeak).toBeLessThan(200);
    expect(unboundedPeak).toBeGreaterThan(300);
  });

  it('refuses work past its queue with 429 and a Retry-After, and takes work again once drained', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, maxQueued: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => hasher.hash(`password ${i}`)),
    );
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const refusal = (results[3] as PromiseRejectedResult).reason;
    expect(refusal).toBeInstanceOf(HttpError);
    expect(refusal).toMatchObject({ statusCode: 429, code: 'busy' });
    expect(Number(refusal.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refusal.message).toMatch(/retry in \d+ s/);
    await expect(hasher.hash('after the burst')).resolves.toMatch(/^scrypt\$/);
  });

  it('does not keep a refused dummy hash: the next unknown-email login gets one', async () => {
    const hasher = new PasswordHasher({ concurrency: 1, maxQueued: 0 });
    const busy = hasher.hash('occupies the only slot');
    await expect(hasher.dummyHash()).rejects.toMatchObject({ statusCode: 429 });
    await busy;
    await expect(hasher.dummyHash()).resolves.toMatch(/^scrypt\$/);
  });
});
