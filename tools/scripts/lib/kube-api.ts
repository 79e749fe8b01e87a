/**
 * Read-only GETs straight to the API server, for the Nx runtime inputs of a no-change deploy:
 * a kubectl process costs ~100 ms to start, and the deploy's state checks sit on the critical
 * path of every run. Only the kubeconfig forms local clusters use are supported here (client
 * certificates, bearer tokens, inline or file CAs); anything else (exec or auth-provider
 * plugins of cloud clusters) returns undefined and the caller uses kubectl.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { text } from 'node:stream/consumers';
import { parse } from 'yaml';

// Not an ESM import of node:https: its wrapper evaluates lazy exports that load undici (see docker.ts).
const { request } = process.getBuiltinModule('node:https');

type Named<T> = { name: string } & T;
type KubeconfigFile = {
  'current-context'?: string;
  contexts?: Named<{ context: { cluster: string; user: string } }>[];
  clusters?: Named<{
    cluster: {
      server: string;
      'certificate-authority'?: string;
      'certificate-authority-data'?: string;
      'insecure-skip-tls-verify'?: boolean;
    };
  }>[];
  users?: Named<{
    user: {
      'client-certificate'?: string;
      'client-certificate-data'?: string;
      'client-key'?: string;
      'client-key-data'?: string;
      token?: string;
      exec?: unknown;
      'auth-provider'?: unknown;
    };
  }>[];
};

export type ApiClient = {
  /** JSON of a GET that answers 200; anything else rejects with the status. */
  get: <T>(path: string, timeoutMs?: number) => Promise<T>;
  /** Any call with a JSON body; every status is an answer (409 and 404 are for the caller). */
  send: <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>;
};

/** `kubeconfig`: a KUBECONFIG value of the caller's own, instead of the environment's. */
function kubeconfigPaths(kubeconfig = process.env.KUBECONFIG): string[] {
  const fromEnv = kubeconfig?.split(delimiter).filter(Boolean);
  return fromEnv?.length ? fromEnv : [join(homedir(), '.kube', 'config')];
}

function readKubeconfigs(kubeconfig?: string): { path: string; config: KubeconfigFile }[] {
  return kubeconfigPaths(kubeconfig).flatMap((path) => {
    try {
      return [{ path, config: parse(readFileSync(path, 'utf8')) as KubeconfigFile }];
    } catch {
      return [];
    }
  });
}

/** The current context as kubectl would pick it, read from the kubeconfig files. */
export function kubeconfigCurrentContext(kubeconfig?: string): string | undefined {
  return readKubeconfigs(kubeconfig).find((file) => file.config['current-context'])?.config[
    'current-context'
  ];
}

/** The API client for a context, or undefined when its credentials need kubectl. */
export function apiClient(context: string | undefined, kubeconfig?: string): ApiClient | undefined {
  const files = readKubeconfigs(kubeconfig);
  // kubectl's merge rule: the first file to define a name wins.
  const first = <T extends { name: string }>(
    pick: (c: KubeconfigFile) => T[] | undefined,
    name: string,
  ) => {
    for (const { path, config } of files) {
      const found = pick(config)?.find((entry) => entry.name === name);
      if (found) return { entry: found, dir: dirname(path) };
    }
    return undefined;
  };
  const contextName =
    context ?? files.find((f) => f.config['current-context'])?.config['current-context'];
  if (!contextName) return undefined;
  const ctx = first((c) => c.contexts, contextName)?.entry.context;
  const cluster = ctx && first((c) => c.clusters, ctx.cluster);
  const user = ctx && first((c) => c.users, ctx.user);
  if (!cluster || !user || user.entry.user.exec || user.entry.user['auth-provider'])
    return undefined;

  const fileOrData = (dir: string, file?: string, data?: string) =>
    data
      ? Buffer.from(data, 'base64')
      : file
        ? readFileSync(isAbsolute(file) ? file : join(dir, file))
        : undefined;
  const c = cluster.entry.cluster;
  const u = user.entry.user;
  const ca = fileOrData(cluster.dir, c['certificate-authority'], c['certificate-authority-data']);
  const cert = fileOrData(user.dir, u['client-certificate'], u['client-certificate-data']);
  const key = fileOrData(user.dir, u['client-key'], u['client-key-data']);
  const server = new URL(c.server);

  const call = (method: string, path: string, body: string | undefined, timeoutMs: number) =>
    new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        {
          host: server.hostname,
          port: server.port || 443,
          path: `${server.pathname.replace(/\/$/, '')}${path}`,
          method,
          ca,
          cert,
          key,
          rejectUnauthorized: !c['insecure-skip-tls-verify'],
          headers: {
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : {
                  'content-type': 'application/json',
                  'content-length': Buffer.byteLength(body),
                }),
            ...(u.token ? { authorization: `Bearer ${u.token}` } : {}),
          },
          timeout: timeoutMs,
        },
        (response) => {
          text(response).then(
            (answer) => resolve({ status: response.statusCode ?? 0, text: answer }),
            reject,
          );
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs / 1000} s`)),
      );
      req.on('error', reject);
      req.end(body);
    });

  return {
    get: async <T>(path: string, timeoutMs = 10_000) => {
      const answer = await call('GET', path, undefined, timeoutMs);
      if (answer.status !== 200) throw new Error(`GET ${path}: HTTP ${answer.status}`);
      return JSON.parse(answer.text) as T;
    },
    send: async <T>(method: string, path: string, body?: unknown) => {
      const answer = await call(
        method,
        path,
        body === undefined ? undefined : JSON.stringify(body),
        10_000,
      );
      let parsed: unknown;
      try {
        parsed = JSON.parse(answer.text);
      } catch {
        parsed = undefined;
      }
      return { status: answer.status, body: parsed as T };
    },
  };
}
