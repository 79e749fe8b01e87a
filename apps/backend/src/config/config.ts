import { randomBytes } from 'node:crypto';
import { z } from 'zod';

const boolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** A whole number in a range; the message says which range, since the value is never shown. */
const integer = (min: number, max: number = Number.MAX_SAFE_INTEGER) => {
  const message = `expected a whole number from ${min}${max === Number.MAX_SAFE_INTEGER ? ' up' : ` to ${max}`}`;
  return z.coerce.number({ message }).int(message).min(min, message).max(max, message);
};

const optionalString = z.string().trim().optional();

const LLM_DEFAULTS = {
  openai: { baseURL: 'https://api.openai.com/v1', model: 'gpt-4o-mini' },
  groq: { baseURL: 'https://api.groq.com/openai/v1', model: 'llama-3.3-70b-versatile' },
  gemini: {
    baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
    model: 'gemini-2.0-flash',
  },
} as const;

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: integer(0, 65535).default(8000),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
      .default('info'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'expected a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_PASSWORD: z.string().min(1).optional(),
    DATABASE_POOL_MAX: integer(1, 100).default(10),
    DATABASE_WAIT_SECONDS: integer(0, 3600).default(60),
    DATA_DIR: z.string().min(1).default('.data'),
    MIGRATE_ON_START: boolean.default(true),
    JWT_SECRET: z
      .string()
      .refine((v) => Buffer.byteLength(v) >= 32, 'must be at least 32 bytes long')
      .optional(),
    SESSION_TTL_SECONDS: integer(60).default(7 * 24 * 3600),
    COOKIE_SECURE: boolean.default(false),
    LOGIN_RATE_LIMIT_MAX: integer(1).default(10),
    LOGIN_RATE_LIMIT_WINDOW_MS: integer(1000).default(60_000),
    LOGIN_ADDRESS_RATE_LIMIT_MAX: integer(1).default(50),
    LOGIN_ADDRESS_RATE_LIMIT_WINDOW_MS: integer(1000).default(15 * 60_000),
    SIGNUP_RATE_LIMIT_MAX: integer(1).default(10),
    SIGNUP_RATE_LIMIT_WINDOW_MS: integer(1000).default(60 * 60_000),
    TRUST_PROXY_HOPS: integer(0, 10).default(0),
    AUTH_HASH_CONCURRENCY: integer(1, 16).default(1),
    AUTH_HASH_QUEUE: integer(0, 10_000).default(16),
    LLM_PROVIDER: z.enum(['builtin', 'openai', 'groq', 'gemini', 'custom']).optional(),
    LLM_API_KEY: optionalString,
    LLM_BASE_URL: z.url({ message: 'expected an http(s) URL', protocol: /^https?$/ }).optional(),
    LLM_MODEL: optionalString,
    LLM_TIMEOUT_MS: integer(100, 300_000).default(20_000),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_PASSWORD && !env.DATABASE_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_PASSWORD'],
        message: 'is set but DATABASE_URL is not: set the URL it is the password for',
      });
    }
    const provider = env.LLM_PROVIDER ?? (env.LLM_API_KEY ? 'openai' : 'builtin');
    if (provider !== 'builtin' && provider !== 'custom' && !env.LLM_API_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['LLM_API_KEY'],
        message: `is required when LLM_PROVIDER=${provider}`,
      });
    }
    if (provider === 'custom') {
      for (const key of ['LLM_BASE_URL', 'LLM_MODEL'] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when LLM_PROVIDER=custom',
          });
        }
      }
    }
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'is required in production (at least 32 bytes, e.g. `openssl rand -hex 32`)',
      });
    }
  });

export type Env = z.input<typeof envSchema>;

export type LlmConfig =
  | { provider: 'builtin'; timeoutMs: number }
  | {
      provider: 'openai' | 'groq' | 'gemini' | 'custom';
      apiKey: string;
      baseURL: string;
      model: string;
      timeoutMs: number;
    };

export type DatabaseConfig =
  | { kind: 'pglite'; dataDir: string }
  | {
      kind: 'postgres';
      url: string;
      poolMax: number;
      /** How long start-up waits for an unreachable server (one that is restarting, say). */
      waitSeconds: number;
    };

/** At most `max` counted requests per key within `windowMs`. */
export type RateLimit = { max: number; windowMs: number };

export interface Config {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  logLevel: string;
  /**
   * Proxies in front of the server that append to X-Forwarded-For (the frontend, an ingress),
   * each on an internal network: the client address, which the login limits key on, is the one
   * the furthest of them saw. 0: the connection's peer, whatever the request says.
   */
  trustProxyHops: number;
  database: DatabaseConfig;
  migrateOnStart: boolean;
  auth: {
    jwtSecret: Uint8Array;
    /** True when no JWT_SECRET was configured and a per-process secret was generated. */
    ephemeralSecret: boolean;
    sessionTtlSeconds: number;
    cookieSecure: boolean;
    /** Login attempts per client address and email: guessing one account's password. */
    loginRateLimit: RateLimit;
    /** Login attempts per client address over all emails: one password sprayed over many. */
    loginAddressRateLimit: RateLimit;
    /** Sign-ups per client address. */
    signupRateLimit: RateLimit;
    /**
     * Password hashes running at once (each holds scrypt's 128 MiB) and waiting; a request past
     * the queue gets 429 with Retry-After instead of memory the pod does not have.
     */
    passwordHashing: { concurrency: number; maxQueued: number };
  };
  llm: LlmConfig;
}

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/**
 * The URL with DATABASE_PASSWORD as its password, percent-encoded so that any character is
 * safe (`@`, `/`, `%`...): a password from a Secret cannot break the URL it is put into.
 */
function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  let withIt: URL;
  try {
    withIt = new URL(url);
  } catch {
    throw new ConfigError(['DATABASE_URL: is not a URL a password can be added to']);
  }
  withIt.password = encodeURIComponent(password);
  return withIt.href;
}

/**
 * Parses the environment once. Messages name the variable and the expectation but never
 * echo the value, because several of these variables hold secrets.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  // A key left blank in .env (`LLM_PROVIDER=`) means "use the default", as if it were absent.
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = issue.path.join('.') || '(environment)';
        const missing = typeof issue.path[0] === 'string' && present[issue.path[0]] === undefined;
        const message = issue.code === 'invalid_type' && missing ? 'is required' : issue.message;
        return `${key}: ${message}`;
      }),
    );
  }
  const env = parsed.data;
  const provider = env.LLM_PROVIDER ?? (env.LLM_API_KEY ? 'openai' : 'builtin');
  let llm: LlmConfig;
  if (provider === 'builtin') {
    llm = { provider, timeoutMs: env.LLM_TIMEOUT_MS };
  } else {
    const defaults = provider === 'custom' ? undefined : LLM_DEFAULTS[provider];
    llm = {
      provider,
      apiKey: env.LLM_API_KEY ?? 'not-needed',
      baseURL: env.LLM_BASE_URL ?? defaults?.baseURL ?? '',
      model: env.LLM_MODEL ?? defaults?.model ?? '',
      timeoutMs: env.LLM_TIMEOUT_MS,
    };
  }
  return {
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    trustProxyHops: env.TRUST_PROXY_HOPS,
    database: env.DATABASE_URL
      ? {
          kind: 'postgres',
          url: withPassword(env.DATABASE_URL, env.DATABASE_PASSWORD),
          poolMax: env.DATABASE_POOL_MAX,
          waitSeconds: env.DATABASE_WAIT_SECONDS,
        }
      : { kind: 'pglite', dataDir: env.DATA_DIR },
    migrateOnStart: env.MIGRATE_ON_START,
    auth: {
      jwtSecret: env.JWT_SECRET ? new TextEncoder().encode(env.JWT_SECRET) : randomBytes(32),
      ephemeralSecret: !env.JWT_SECRET,
      sessionTtlSeconds: env.SESSION_TTL_SECONDS,
      cookieSecure: env.COOKIE_SECURE,
      loginRateLimit: { max: env.LOGIN_RATE_LIMIT_MAX, windowMs: env.LOGIN_RATE_LIMIT_WINDOW_MS },
      loginAddressRateLimit: {
        max: env.LOGIN_ADDRESS_RATE_LIMIT_MAX,
        windowMs: env.LOGIN_ADDRESS_RATE_LIMIT_WINDOW_MS,
      },
      signupRateLimit: {
        max: env.SIGNUP_RATE_LIMIT_MAX,
        windowMs: env.SIGNUP_RATE_LIMIT_WINDOW_MS,
      },
      passwordHashing: {
        concurrency: env.AUTH_HASH_CONCURRENCY,
        maxQueued: env.AUTH_HASH_QUEUE,
      },
    },
    llm,
  };
}
