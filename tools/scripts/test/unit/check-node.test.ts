import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..', '..');
const script = join(workspaceRoot, 'tools', 'scripts', 'check-node.cjs');

/** Runs check-node.cjs in a Node that reports `version` as its own. */
function checkAs(version: string) {
  const pretend = `for (const [o, k, v] of [[process.versions, 'node', '${version}'], [process, 'version', 'v${version}']]) Object.defineProperty(o, k, { value: v });`;
  return spawnSync(process.execPath, ['-e', `${pretend} require(${JSON.stringify(script)})`], {
    encoding: 'utf8',
  });
}

describe('check-node.cjs', () => {
  it('runs first in the scripts a newcomer types', () => {
    const { scripts, engines } = JSON.parse(
      readFileSync(join(workspaceRoot, 'package.json'), 'utf8'),
    );
    for (const name of ['start', 'test', 'build']) {
      expect(scripts[`pre${name}`]).toBe('node tools/scripts/check-node.cjs');
    }
    expect(engines.node).toBe('>=22.12');
    expect(readFileSync(join(workspaceRoot, '.npmrc'), 'utf8')).toMatch(/^engine-strict=true$/m);
  });

  it.each(['20.19.0', '22.11.0', '18.20.4'])(
    'refuses Node %s in one line that says what to do',
    (version) => {
      const result = checkAs(version);
      expect(result.status).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `todo-chatbot needs Node >=22.12 (this is v${version}): install Node 24 LTS (e.g. \`nvm install 24\`) and run \`npm install\` again`,
      ]);
    },
  );

  it.each(['22.12.0', '22.20.1', '24.0.0', '25.1.0'])('accepts Node %s silently', (version) => {
    const result = checkAs(version);
    expect(result.status).toBe(0);
    expect(result.stdout + result.stderr).toBe('');
  });
});
