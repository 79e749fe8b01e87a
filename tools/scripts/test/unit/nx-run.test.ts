import { describe, expect, it } from 'vitest';
import { freshOutput, tasksOf } from '../../lib/nx-run.ts';

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

describe('freshOutput', () => {
  it('leaves out the logs Nx replays from its cache, and keeps what running tasks print', () => {
    const output = [
      ' NX   Running target deploy for project infra and 8 tasks it depends on:',
      '> nx run backend:minikube-load  [local cache]',
      '[minikube-load] load todo-chatbot/backend:1 (containerd)...',
      'backend: backend bundled in 121 ms',
      '> nx run infra:helm-deploy',
      '[helm-deploy] upgrade --install todo',
      '> nx run infra:smoke-test  [existing outputs match the cache, left as is]',
      '[smoke-test] ok',
      '> nx run infra:deploy',
      'infra: [deploy] summary',
      ' NX   Successfully ran target deploy',
    ].join('\n');
    const fresh = freshOutput(output);
    expect(fresh).not.toContain('[minikube-load] load');
    expect(fresh).not.toContain('[smoke-test] ok');
    for (const line of ['backend: backend bundled', '[helm-deploy] upgrade', 'infra: [deploy]'])
      expect(fresh).toContain(line);
    expect(fresh).toContain('Successfully ran target deploy');
  });
});
