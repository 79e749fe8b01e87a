/**
 * One HTTP request with Node's own client, as the pipeline's small API calls make it (an OCI
 * registry's manifest, the Nx remote cache's probe): the proxy from the environment
 * (HTTP(S)_PROXY, NO_PROXY) for every host but this machine's, which a proxy cannot reach, and
 * a deadline, so that a host that never answers costs seconds and not minutes.
 */
import { text } from 'node:stream/consumers';

// Not ESM imports: their wrappers load undici, ~15 ms on each runtime input (see docker.ts).
const http = process.getBuiltinModule('node:http');
const https = process.getBuiltinModule('node:https');

export type SentResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
};

/**
 * Pure: `localhost` and its subdomains (RFC 6761: k3d names its registries
 * `k3d-<name>.localhost`), 127.0.0.0/8 and ::1, with or without a port.
 */
export function isLoopback(host: string): boolean {
  const name = (host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.split(':')[0]) ?? '';
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === '::1' ||
    /^127\.\d+\.\d+\.\d+$/.test(name)
  );
}

export function send(
  url: URL,
  options: { method: string; headers: Record<string, string>; body?: string; timeoutMs?: number },
): Promise<SentResponse> {
  const module = url.protocol === 'http:' ? http : https;
  const agent = isLoopback(url.host) ? undefined : new module.Agent({ proxyEnv: process.env });
  const timeoutMs = options.timeoutMs ?? 10_000;
  return new Promise((resolve, reject) => {
    const request = module.request(
      url,
      { method: options.method, headers: options.headers, agent, timeout: timeoutMs },
      (response) => {
        text(response).then(
          (body) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          reject,
        );
      },
    );
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)),
    );
    request.on('error', reject);
    request.end(options.body);
  });
}
