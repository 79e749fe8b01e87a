/**
 * Reading a pod command's whole output: the wrapped command runs here under a real sh, the
 * way the pod's sh runs it, and a transport that cuts the output short is asked again.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { execWhole, markedCommand, readMarked } from '../../lib/pod-exec.ts';

const run = promisify(execFile);
const localSh = async ([file = '', ...args]: string[]) => (await run(file, args)).stdout;

describe('execWhole', () => {
  it.each([
    ['printf web', 'web'],
    ['echo web', 'web\n'],
    ['true', ''],
    ['printf "a\\n\\nb\\n\\n"', 'a\n\nb\n\n'],
    [`printf "%s\\n" "it's \\$HOME"`, "it's $HOME\n"],
  ])('returns exactly what `%s` printed', async (script, want) => {
    expect(await execWhole(localSh, ['sh', '-c', script])).toEqual({ output: want, exitCode: 0 });
  });

  it("keeps each argument whole and reports the command's own exit code", async () => {
    const result = await execWhole(localSh, [
      'sh',
      '-c',
      'printf "%s|" "$@"; exit 7',
      'sh',
      'two words',
      '"quoted"',
    ]);
    expect(result).toEqual({ output: 'two words|"quoted"|', exitCode: 7 });
  });

  it('asks again when the end of the output was lost, and returns the whole answer', async () => {
    let calls = 0;
    const lossy = async (argv: string[]) => {
      calls += 1;
      const whole = await localSh(argv);
      return calls === 1 ? whole.slice(0, 3) : calls === 2 ? '' : whole;
    };
    expect(await execWhole(lossy, ['echo', 'web'])).toEqual({ output: 'web\n', exitCode: 0 });
    expect(calls).toBe(3);
  });

  it('gives up with the command in the message when every answer is cut short', async () => {
    const lossy = async (argv: string[]) => (await localSh(argv)).slice(0, -3);
    await expect(execWhole(lossy, ['echo', 'web'], 2)).rejects.toThrow(
      /lost the end of the output of `echo web` 2 times/,
    );
  });
});

describe('readMarked', () => {
  it('does not take a marker-like line in the middle of the output for the end', async () => {
    const stdout = await localSh(markedCommand(['sh', '-c', 'echo __pod_exec_end__ 0; echo more']));
    expect(readMarked(stdout)).toEqual({ output: '__pod_exec_end__ 0\nmore\n', exitCode: 0 });
    expect(readMarked(stdout.slice(0, stdout.indexOf('more')))).toBeUndefined();
  });
});
