/**
 * The headers every page and API answer carries (next.config.ts `headers()`), so a browser
 * limits what a page can do even if something gets injected into it.
 *
 * Scripts and styles need 'unsafe-inline': the prerendered pages carry their React Server
 * Component payload as inline scripts, and a nonce would make every page dynamic. The policy
 * still keeps everything else to this origin: no other origin for scripts, fetches, forms,
 * frames or plugins, and no framing of the app by anyone (clickjacking).
 */
export type Header = { key: string; value: string };

export function contentSecurityPolicy(options: { development: boolean }): string {
  return [
    "default-src 'self'",
    // React's dev build evaluates code for fast refresh; production never does.
    `script-src 'self' 'unsafe-inline'${options.development ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.development ? ' ws:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(options: { development: boolean }): Header[] {
  return [
    { key: 'Content-Security-Policy', value: contentSecurityPolicy(options) },
    // For browsers that predate frame-ancestors.
    { key: 'X-Frame-Options', value: 'DENY' },
    { key: 'X-Content-Type-Options', value: 'nosniff' },
    { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
    { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
    // Browsers ignore it on plain HTTP (RFC 6797 8.1), so it is sent always and takes effect
    // exactly where the app is served over HTTPS, which is also where COOKIE_SECURE belongs.
    // No includeSubDomains: other hosts of the domain are not the app's to pin.
    { key: 'Strict-Transport-Security', value: 'max-age=31536000' },
  ];
}
