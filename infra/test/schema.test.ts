/**
 * values.schema.json: every file in fixtures/bad-values breaks one rule and must fail helm
 * template, helm lint and a client-side helm install with a message that names the key (its
 * first line says which: "# must name: a.b.c").
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHART, fixture, helm, NAMESPACE, RELEASE } from './support/helm.ts';

const BAD = fixture('bad-values');
const cases = readdirSync(BAD)
  .filter((file) => file.endsWith('.yaml'))
  .map((file) => {
    const firstLine = readFileSync(`${BAD}/${file}`, 'utf8').split('\n')[0] ?? '';
    const key = /^# must name: ([\w.]+)/.exec(firstLine)?.[1];
    if (!key) throw new Error(`${file}: the first line must be "# must name: <key path>"`);
    return { file, key };
  });

/**
 * Helm reports a JSON pointer: the key itself ("at '/backend/replicaCount'"), or for an unknown
 * or missing key its parent plus the key's name ("at '/backend': ... 'replicaCont' not allowed").
 */
function namesKey(message: string, key: string): boolean {
  const path = key.split('.');
  const pointer = `/${path.join('/')}`;
  const parent = path.length > 1 ? `/${path.slice(0, -1).join('/')}` : '';
  const leaf = path.at(-1) ?? '';
  return (
    message.includes(`'${pointer}'`) ||
    (message.includes(`'${parent}'`) && message.includes(`'${leaf}'`))
  );
}

describe('the values schema', () => {
  it('has bad values files to check', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  describe.each(cases)('rejects $file', ({ file, key }) => {
    const values = ['--values', `${BAD}/${file}`];

    it(`in helm template, naming ${key}`, async () => {
      const result = await helm(['template', RELEASE, CHART, '--namespace', NAMESPACE, ...values]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain("values don't meet the specifications of the schema");
      expect(namesKey(result.stderr, key), result.stderr).toBe(true);
    });

    it(`in helm lint --strict and helm install, naming ${key}`, async () => {
      const [lint, install] = await Promise.all([
        helm(['lint', '--strict', CHART, ...values]),
        helm(['install', RELEASE, CHART, '--namespace', NAMESPACE, '--dry-run=client', ...values]),
      ]);
      expect(lint.code).not.toBe(0);
      expect(namesKey(lint.stdout + lint.stderr, key), lint.stdout + lint.stderr).toBe(true);
      expect(install.code).not.toBe(0);
      expect(namesKey(install.stderr, key), install.stderr).toBe(true);
    });
  });

  it('accepts the defaults, so the failures above come from the bad values alone', async () => {
    const result = await helm(['template', RELEASE, CHART, '--namespace', NAMESPACE]);
    expect(result.code, result.stderr).toBe(0);
  });
});
