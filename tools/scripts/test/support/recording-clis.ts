/**
 * Recording stand-ins for CLIs that cannot run here (minikube, kind, k3d): executables put first
 * on PATH that append their arguments to a log as one JSON array per call, print a canned
 * answer, and exit with a chosen code. Tests assert the exact calls the pipeline made.
 */
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export type StandIn = {
  /** What the CLI prints on stdout for every call. */
  stdout?: string;
  /**
   * Or a JavaScript expression computing stdout from `args` (this call's arguments) and `calls`
   * (every earlier call, as recorded), for a stand-in that remembers, e.g. what was loaded.
   */
  respond?: string;
  exitCode?: number;
};

export type RecordingClis = {
  /** The bin folder to put first on PATH. */
  binDir: string;
  /** PATH with the stand-ins first. */
  path: string;
  /** Every call so far, in order: the CLI name followed by its arguments. */
  calls: () => Promise<string[][]>;
  remove: () => Promise<void>;
};

export async function createRecordingClis(clis: Record<string, StandIn>): Promise<RecordingClis> {
  const binDir = await mkdtemp(join(tmpdir(), 'recording-clis-'));
  const log = join(binDir, 'calls.jsonl');
  await writeFile(log, '');
  for (const [name, standIn] of Object.entries(clis)) {
    // A node script, so arguments are recorded exactly, spaces and quotes included.
    const script = [
      `#!${process.execPath}`,
      "const { appendFileSync, readFileSync } = require('node:fs');",
      `const log = ${JSON.stringify(log)};`,
      'const args = process.argv.slice(2);',
      "const calls = readFileSync(log, 'utf8').split('\\n').filter(Boolean).map((l) => JSON.parse(l));",
      `appendFileSync(log, JSON.stringify([${JSON.stringify(name)}, ...args]) + '\\n');`,
      `process.stdout.write(String(${standIn.respond ?? JSON.stringify(standIn.stdout ?? '')}));`,
      `process.exit(${standIn.exitCode ?? 0});`,
    ].join('\n');
    const file = join(binDir, name);
    await writeFile(file, `${script}\n`);
    await chmod(file, 0o755);
  }
  return {
    binDir,
    path: `${binDir}${delimiter}${process.env.PATH ?? ''}`,
    calls: async () =>
      (await readFile(log, 'utf8'))
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as string[]),
    remove: () => rm(binDir, { recursive: true, force: true }),
  };
}
