import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import pLimit, { type LimitFunction } from 'p-limit';
import { HttpError } from '../http/errors.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** OWASP's scrypt minimum (N=2^17, r=8, p=1); parameters travel with the hash so they can grow. */
const PARAMS = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;

function maxmem(N: number, r: number) {
  return 128 * N * r * 2;
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p } = PARAMS;
  const key = await scryptAsync(password, salt, KEY_LENGTH, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const N = Number(n);
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: maxmem(N, Number(r)),
  });
  return timingSafeEqual(actual, expected);
}

export type PasswordHashingLimits = { concurrency: number; maxQueued: number };

/**
 * Password hashing with a bound on memory: scrypt at these parameters holds 128 MiB per hash
 * and libuv would run four at once, so a burst of sign-ups or logins could take the pod past
 * its memory limit. At most `concurrency` run, `maxQueued` wait; a request past that is told
 * to come back (429 with Retry-After from the recent hash time) and costs nothing.
 */
export class PasswordHasher {
  readonly #limit: LimitFunction;
  readonly #maxQueued: number;
  /** Hashes running or waiting. */
  #admitted = 0;
  #averageMs = 500;
  #dummyHash: Promise<string> | undefined;

  constructor(limits: PasswordHashingLimits) {
    this.#limit = pLimit(limits.concurrency);
    this.#maxQueued = limits.maxQueued;
  }

  hash(password: string): Promise<string> {
    return this.#run(() => hashPassword(password));
  }

  verify(password: string, stored: string): Promise<boolean> {
    return this.#run(() => verifyPassword(password, stored));
  }

  /**
   * A hash to verify against when the account does not exist, so that an unknown email costs
   * the same time as a wrong password and response timing does not reveal which accounts exist.
   */
  dummyHash(): Promise<string> {
    // A refusal (busy) is not kept: the next login tries again.
    this.#dummyHash ??= this.hash(randomBytes(16).toString('hex')).catch((error: unknown) => {
      this.#dummyHash = undefined;
      throw error;
    });
    return this.#dummyHash;
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    const { concurrency } = this.#limit;
    if (this.#admitted >= concurrency + this.#maxQueued) {
      const seconds = Math.max(
        1,
        Math.ceil((this.#admitted * this.#averageMs) / concurrency / 1000),
      );
      return Promise.reject(
        new HttpError(
          429,
          'busy',
          `Too many sign-ups and logins at once; retry in ${seconds} s`,
          { retryAfterSeconds: seconds },
          { 'retry-after': String(seconds) },
        ),
      );
    }
    this.#admitted++;
    return this.#limit(async () => {
      const started = performance.now();
      try {
        return await work();
      } finally {
        this.#averageMs = 0.8 * this.#averageMs + 0.2 * (performance.now() - started);
      }
    }).finally(() => {
      this.#admitted--;
    });
  }
}
