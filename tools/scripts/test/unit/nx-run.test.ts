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
});
