import { describe, expect, it } from 'vitest';
import { EnvFileError, lintEnvFile, parseEnvFile } from '../../lib/env-file.ts';

describe('.env checks', () => {
  it('parses comments, blanks, export, quotes and multi-line values', () => {
    const text = [
      '# comment',
      '',
      'export JWT_SECRET=abc',
      'LLM_API_KEY="sk with spaces"',
      'PEM="-----BEGIN',
      'line two',
      '-----END"',
      'EMPTY=',
    ].join('\n');
    expect(parseEnvFile(text, '.env')).toEqual({
      JWT_SECRET: 'abc',
      LLM_API_KEY: 'sk with spaces',
      PEM: '-----BEGIN\nline two\n-----END',
      EMPTY: '',
    });
  });

  it('names the file and line of a malformed line and says how to write it', () => {
    const problems = lintEnvFile('A=1\nJWT_SECRET: abc\n= nothing\n', '.env');
    expect(problems).toEqual([
      '.env:2: JWT_SECRET is not followed by "=": write it as JWT_SECRET=value',
      '.env:3: not a KEY=value line: use KEY=value, or start the line with # for a comment',
    ]);
  });

  it('reports a key set twice and a quote never closed', () => {
    expect(lintEnvFile('A=1\nB="open\nA=2', 'x.env')).toEqual([
      'x.env:2: the value opened with " is never closed: add the closing "',
    ]);
    expect(lintEnvFile('A=1\nA=2\n', 'x.env')).toEqual([
      'x.env:2: A is set again (first on line 1): keep one',
    ]);
  });

  it('never echoes a value in its messages', () => {
    const attempt = () => parseEnvFile('JWT_SECRET hunter2-super-secret\n', '.env');
    expect(attempt).toThrow(EnvFileError);
    expect(attempt).not.toThrow(/hunter2/);
  });
});
