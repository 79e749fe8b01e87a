import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  APP_CONFIG_VALUES,
  parseSettings,
  SECRET_KEYS,
  SETTING_KEYS,
  SettingsError,
  workspaceRoot,
} from '../../lib/settings.ts';

describe('deploy settings', () => {
  it('has working defaults', () => {
    const settings = parseSettings({}, '.env');
    expect(settings).toMatchObject({
      kubeContext: undefined,
      namespace: 'todo-chatbot',
      release: 'todo-chatbot',
      provider: 'auto',
      timeoutSeconds: 300,
      secretName: 'todo-chatbot-secrets',
      secrets: {},
    });
    expect(settings.valuesFiles).toEqual([
      expect.stringMatching(/infra\/helm\/todo-chatbot\/values\.local\.yaml$/),
    ]);
  });

  it('takes the secret keys that are set, and only those', () => {
    const settings = parseSettings({ JWT_SECRET: 'j', LLM_API_KEY: '', OTHER: 'x' }, '.env');
    expect(settings.secrets).toEqual({ JWT_SECRET: 'j' });
  });

  it('names every bad variable and where to set it, without its value', () => {
    const parse = () =>
      parseSettings(
        {
          DEPLOY_NAMESPACE: 'Bad_Name',
          DEPLOY_PROVIDER: 'openshift',
          DEPLOY_TIMEOUT_SECONDS: 'soon',
        },
        '/repo/.env',
      );
    expect(parse).toThrow(SettingsError);
    try {
      parse();
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(/^DEPLOY_NAMESPACE: expected lower-case letters.*\/repo\/\.env\)$/);
      expect(lines[1]).toMatch(/^DEPLOY_PROVIDER: /);
      expect(lines[2]).toMatch(/^DEPLOY_TIMEOUT_SECONDS: expected a number of seconds/);
      expect((error as Error).message).not.toContain('Bad_Name');
    }
  });

  it('leaves the image transport to the cluster by default (DEPLOY_REGISTRY=auto)', () => {
    expect(parseSettings({}, '.env').registry).toBe('auto');
    expect(parseSettings({ DEPLOY_REGISTRY: '' }, '.env').registry).toBe('auto');
  });

  it.each([
    ['off', 'off'],
    ['localhost:5001', 'localhost:5001'],
    ['ghcr.io/acme', 'ghcr.io/acme'],
    ['registry.example.com:443/team/sub', 'registry.example.com:443/team/sub'],
    ['  [::1]:5000  ', '[::1]:5000'],
  ])('takes DEPLOY_REGISTRY=%s', (value, registry) => {
    expect(parseSettings({ DEPLOY_REGISTRY: value }, '.env').registry).toBe(registry);
  });

  it.each([
    ['a scheme', 'https://ghcr.io/acme', /\(drop the scheme\)/],
    ['a trailing /', 'ghcr.io/acme/', /\(drop the trailing \/\)/],
    ['an upper-case path', 'ghcr.io/Acme', /host\[:port\]\[\/path\]/],
    ['a bad port', 'localhost:port', /host\[:port\]\[\/path\]/],
  ])('refuses a DEPLOY_REGISTRY with %s, naming it and the env file', (_, value, hint) => {
    const parse = () => parseSettings({ DEPLOY_REGISTRY: value }, '/repo/.env');
    expect(parse).toThrow(SettingsError);
    expect(parse).toThrow(/^DEPLOY_REGISTRY: expected auto, off, or a registry .*\/repo\/\.env\)$/);
    expect(parse).toThrow(hint);
  });

  it('does not echo the credentials of a DEPLOY_REGISTRY URL, nor any secret', () => {
    const parse = () =>
      parseSettings(
        { DEPLOY_REGISTRY: 'https://bob:hunter2@ghcr.io/acme', JWT_SECRET: 'jwt-value-xyz' },
        '/repo/.env',
      );
    expect(parse).toThrow(SettingsError);
    try {
      parse();
    } catch (error) {
      const { message } = error as Error;
      expect(message.split('\n')).toHaveLength(1);
      expect(message).toMatch(/^DEPLOY_REGISTRY: /);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('bob');
      expect(message).not.toContain('jwt-value-xyz');
    }
  });

  it('splits DEPLOY_VALUES and keeps absolute paths', () => {
    const settings = parseSettings({ DEPLOY_VALUES: '/abs/a.yaml, rel/b.yaml' }, '.env');
    expect(settings.valuesFiles[0]).toBe('/abs/a.yaml');
    expect(settings.valuesFiles[1]).toMatch(/\/rel\/b\.yaml$/);
  });
});

describe('.env.example', () => {
  it('documents every deploy setting, secret and app value the pipeline reads', async () => {
    const example = await readFile(join(workspaceRoot, '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^([A-Z_][A-Z0-9_]*)=/gm)].map((m) => m[1]));
    const read = [
      ...SETTING_KEYS,
      ...SECRET_KEYS,
      ...Object.keys(APP_CONFIG_VALUES),
      'NODE_BASE_IMAGE',
    ];
    expect(read.filter((key) => !documented.has(key))).toEqual([]);
  });
});
