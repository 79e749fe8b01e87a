import { describe, expect, it } from 'vitest';
import { tasksOf } from '../../lib/nx-run.ts';

describe('tasksOf', () => {
  it('tells executed tasks from cache hits in Nx stream output', () => {
    const output = [
      '> nx run frontend:build  [local cache]',
      'frontend: building...',
      '> nx run backend:build',
      '> nx run backend:docker-build  [existing outputs match the cache, left as is]',
      '> nx run infra:deploy',
    ].join('\n');
    expect(tasksOf(output)).toEqual({
      executed: ['backend:build', 'infra:deploy'],
      cached: ['frontend:build', 'backend:docker-build'],
    });
  });

  it('reads coloured output too', () => {
    const output = '\u001b[1m> nx run backend:build\u001b[22m  \u001b[2m[local cache]\u001b[22m';
    expect(tasksOf(output)).toEqual({ executed: [], cached: ['backend:build'] });
  });

  it("reads Nx's default output, which names a task in its list and again above its output", () => {
    const output = [
      '✔  nx run frontend:build  [existing outputs match the cache, left as is]',
      '✔  nx run backend:build',
      '✖  nx run infra:helm-deploy',
      '> nx run infra:helm-deploy',
      '[helm-deploy] failed',
    ].join('\n');
    expect(tasksOf(output)).toEqual({
      executed: ['backend:build', 'infra:helm-deploy'],
      cached: ['frontend:build'],
    });
  });
});
