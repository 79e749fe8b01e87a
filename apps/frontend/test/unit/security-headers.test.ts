import { describe, expect, test } from 'vitest';
import { contentSecurityPolicy, securityHeaders } from '../../src/lib/security-headers';

describe('security headers', () => {
  test('forbid framing, sniffing, plugins and other origins in production', () => {
    const headers = Object.fromEntries(
      securityHeaders({ development: false }).map((h) => [h.key, h.value]),
    );
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
    expect(headers['Referrer-Policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['Strict-Transport-Security']).toMatch(/^max-age=\d{8,}$/);
    const csp = headers['Content-Security-Policy'] ?? '';
    for (const directive of [
      "default-src 'self'",
      "connect-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "form-action 'self'",
      "base-uri 'self'",
    ]) {
      expect(csp.split('; ')).toContain(directive);
    }
    expect(csp).not.toContain('unsafe-eval');
  });

  test('allow what the dev server needs only in development', () => {
    expect(contentSecurityPolicy({ development: true })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ development: true })).toContain("connect-src 'self' ws:");
  });
});
