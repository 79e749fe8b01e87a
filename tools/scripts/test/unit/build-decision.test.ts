import { describe, expect, it } from 'vitest';
import { decideBuild } from '../../lib/build-decision.ts';

describe('decideBuild', () => {
  it('skips docker build when the daemon has the content tag', () => {
    const decision = decideBuild(
      'todo-chatbot/backend:0123456789abcdef',
      'sha256:e28ba2217852aaaa',
    );
    expect(decision.build).toBe(false);
    expect(decision.reason).toContain('e28ba2217852');
    expect(decision.reason).toContain('skipped');
  });

  it('builds when the daemon lacks it (first build, changed inputs, pruned image)', () => {
    const decision = decideBuild('todo-chatbot/backend:0123456789abcdef', undefined);
    expect(decision.build).toBe(true);
    expect(decision.reason).toContain('not in the Docker daemon');
  });
});
