import { describe, expect, it } from 'vitest';
import { redact } from '../../lib/diagnostics.ts';

describe('redact', () => {
  it('removes the password of any URL, whoever logged it', () => {
    const log = [
      'Migrations failed: cannot parse postgresql://todo:p4ss%2Fw0rd@db:5432/todo',
      'redis://:onlypass@cache:6379 and https://user:tok@host.example/x',
      'no credentials in https://github.com/org/repo or postgresql://todo@db/todo',
    ].join('\n');
    expect(redact(log, [])).toBe(
      [
        'Migrations failed: cannot parse postgresql://todo:[redacted]@db:5432/todo',
        'redis://:[redacted]@cache:6379 and https://user:[redacted]@host.example/x',
        'no credentials in https://github.com/org/repo or postgresql://todo@db/todo',
      ].join('\n'),
    );
  });

  it('removes the deploy’s own secret values, plain and percent-encoded', () => {
    const secrets = ['sk-live-abc/123', 'j'.repeat(40)];
    const log = `key sk-live-abc/123 in a message; url-encoded sk-live-abc%2F123; ${'j'.repeat(40)}`;
    expect(redact(log, secrets)).toBe(
      'key [redacted] in a message; url-encoded [redacted]; [redacted]',
    );
  });

  it('leaves text alone when it holds no secret (and ignores values too short to mean one)', () => {
    expect(redact('pod todo-backend-1 not ready: 503', ['', 'abc'])).toBe(
      'pod todo-backend-1 not ready: 503',
    );
  });
});
