import { parse } from 'pg-connection-string';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.ts';

const SECRET = 'a-secret-that-is-at-least-32-bytes-long';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('configuration', () => {
  it('runs on PGlite on port 8000 with the built-in assistant when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8000);
    expect(config.host).toBe('0.0.0.0');
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '.data' });
    expect(config.llm.provider).toBe('builtin');
    expect(config.migrateOnStart).toBe(true);
    expect(config.auth.ephemeralSecret).toBe(true);
    expect(config.trustProxyHops).toBe(0);
  });

  it('uses PostgreSQL when DATABASE_URL is set, including Neon-style sslmode URLs', () => {
    const url = 'postgresql://u:p@ep-x.neon.tech/db?sslmode=require';
    expect(loadConfig({ DATABASE_URL: url }).database).toEqual({
      kind: 'postgres',
      url,
      poolMax: 10,
      waitSeconds: 60,
    });
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('pglite');
  });

  it.each(['p@ss/w:rd%', 'a b#c?d&e=f', 'ünï€ode', `q'"\\`, '%25x'])(
    'puts DATABASE_PASSWORD %j into the URL so the driver reads it back exactly',
    (password) => {
      const config = loadConfig({
        DATABASE_URL: 'postgresql://todo@db.todo.svc:5432/todo',
        DATABASE_PASSWORD: password,
      });
      if (config.database.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const parsed = parse(config.database.url);
      expect(parsed).toMatchObject({
        user: 'todo',
        host: 'db.todo.svc',
        database: 'todo',
        password,
      });
    },
  );

  it('refuses DATABASE_PASSWORD without a DATABASE_URL, without echoing it', () => {
    const found = problems({ DATABASE_PASSWORD: 'hunter2-secret' });
    expect(found).toEqual([
      'DATABASE_PASSWORD: is set but DATABASE_URL is not: set the URL it is the password for',
    ]);
  });

  it('names each bad variable and what it expects', () => {
    const found = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      DATABASE_WAIT_SECONDS: '-1',
      MIGRATE_ON_START: 'maybe',
      LOG_LEVEL: 'loud',
      TRUST_PROXY_HOPS: '11',
    });
    expect(found).toHaveLength(6);
    expect(found.find((p) => p.startsWith('TRUST_PROXY_HOPS:'))).toMatch(/0 to 10/);
    expect(found.find((p) => p.startsWith('PORT:'))).toMatch(/number/);
    expect(found.find((p) => p.startsWith('DATABASE_WAIT_SECONDS:'))).toMatch(/0 to 3600/);
    expect(found.find((p) => p.startsWith('DATABASE_URL:'))).toMatch(/postgres:\/\//);
    expect(found.find((p) => p.startsWith('MIGRATE_ON_START:'))).toMatch(/true or false/);
    expect(found.find((p) => p.startsWith('LOG_LEVEL:'))).toBeTruthy();
  });

  it('requires a JWT_SECRET of at least 32 bytes in production and never echoes it', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual([
      'JWT_SECRET: is required in production (at least 32 bytes, e.g. `openssl rand -hex 32`)',
    ]);
    const found = problems({ JWT_SECRET: 'hunter2-short' });
    expect(found).toEqual(['JWT_SECRET: must be at least 32 bytes long']);
    expect(found.join()).not.toContain('hunter2');
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: SECRET }).auth.ephemeralSecret).toBe(
      false,
    );
  });

  it('picks LLM providers with their defaults and requires what each needs', () => {
    expect(loadConfig({ LLM_API_KEY: 'sk-1' }).llm).toMatchObject({
      provider: 'openai',
      baseURL: 'https://api.openai.com/v1',
    });
    expect(loadConfig({ LLM_PROVIDER: 'groq', LLM_API_KEY: 'k' }).llm).toMatchObject({
      baseURL: 'https://api.groq.com/openai/v1',
    });
    expect(
      loadConfig({ LLM_PROVIDER: 'gemini', LLM_API_KEY: 'k', LLM_MODEL: 'gemini-x' }).llm,
    ).toMatchObject({
      baseURL: 'https://generativelanguage.googleapis.com/v1beta/openai/',
      model: 'gemini-x',
    });
    expect(problems({ LLM_PROVIDER: 'openai' })).toEqual([
      'LLM_API_KEY: is required when LLM_PROVIDER=openai',
    ]);
    expect(problems({ LLM_PROVIDER: 'custom' }).sort()).toEqual([
      'LLM_BASE_URL: is required when LLM_PROVIDER=custom',
      'LLM_MODEL: is required when LLM_PROVIDER=custom',
    ]);
    expect(problems({ LLM_PROVIDER: 'custom', LLM_BASE_URL: 'not a url', LLM_MODEL: 'm' })).toEqual(
      ['LLM_BASE_URL: expected an http(s) URL'],
    );
    expect(problems({ LLM_PROVIDER: 'skynet' })[0]).toMatch(/^LLM_PROVIDER: /);
  });
});
