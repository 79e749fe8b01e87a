/**
 * The team's Nx remote cache, served by nginx (cache-server.ts): Nx's self-hosted cache
 * specification (Nx >= 20.8) is two routes, `GET` and `PUT /v1/cache/{hash}` with a bearer
 * token, and nginx's own file serving and WebDAV `PUT` are both, on a server that is already
 * maintained, packaged everywhere and proven under load. This module holds the decisions: the
 * settings from the environment, and the nginx configuration they make.
 *
 * Two tokens: the write token (CI) may read and upload; the read token (laptops) may only
 * read. Without a read token, reads are open to whoever can reach the server, and a laptop
 * joins with the server's address alone. A refused upload is 403 and never 401: Nx ignores the
 * one, and fails the task on the other.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { UserError } from './command.ts';

/** Characters a token may hold: enough for any generated secret, none that nginx would parse. */
const TOKEN = /^[A-Za-z0-9._~+/=-]{16,256}$/;
const token = z
  .string()
  .regex(TOKEN, 'must be 16 to 256 letters, digits or ._~+/=- (openssl rand -hex 32 makes one)');

const schema = z
  .object({
    NX_CACHE_WRITE_TOKEN: token,
    NX_CACHE_READ_TOKEN: token.optional(),
    NX_CACHE_SERVER_HOST: z
      .union([z.ipv4(), z.ipv6(), z.literal('localhost')], {
        error:
          'must be an address of this machine to listen on: 127.0.0.1, 0.0.0.0, :: or localhost',
      })
      .default('127.0.0.1'),
    NX_CACHE_SERVER_PORT: z.coerce.number().int().min(1).max(65_535).default(8090),
    NX_CACHE_SERVER_DIR: z.string().min(1).optional(),
    NX_CACHE_SERVER_MAX_ENTRY_MB: z.coerce.number().int().min(1).default(2048),
    NX_CACHE_SERVER_KEEP_DAYS: z.coerce.number().int().min(1).default(30),
  })
  .refine((env) => env.NX_CACHE_READ_TOKEN !== env.NX_CACHE_WRITE_TOKEN, {
    path: ['NX_CACHE_READ_TOKEN'],
    message: 'must differ from NX_CACHE_WRITE_TOKEN, or a laptop could upload',
  });

export type CacheServerSettings = {
  host: string;
  port: number;
  /** Holds entries/ (one file per task hash), tmp/ (uploads in flight) and the logs. */
  dir: string;
  writeToken: string;
  /** Undefined: reads are open. */
  readToken: string | undefined;
  maxEntryMb: number;
  /** Entries older than this are removed (CI uploads them again on its next miss). */
  keepDays: number;
};

export class CacheServerError extends UserError {}

/** Pure: the settings from the environment, or one error naming every bad variable. */
export function parseCacheServerSettings(
  env: Record<string, string | undefined>,
  home = homedir(),
): CacheServerSettings {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value));
  const result = schema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = issue.path.join('.');
      return issue.code === 'invalid_type' && present[name] === undefined
        ? `${name} is not set: the token CI uploads with (openssl rand -hex 32 makes one)`
        : `${name}: ${issue.message}`;
    });
    throw new CacheServerError(lines.join('\n'));
  }
  const data = result.data;
  return {
    host: data.NX_CACHE_SERVER_HOST,
    port: data.NX_CACHE_SERVER_PORT,
    dir: data.NX_CACHE_SERVER_DIR ?? join(home, '.cache', 'todo-chatbot', 'nx-cache-server'),
    writeToken: data.NX_CACHE_WRITE_TOKEN,
    readToken: data.NX_CACHE_READ_TOKEN,
    maxEntryMb: data.NX_CACHE_SERVER_MAX_ENTRY_MB,
    keepDays: data.NX_CACHE_SERVER_KEEP_DAYS,
  };
}

/** Pure: the address Nx clients use, for the lines the server prints. */
export function serverUrl(settings: Pick<CacheServerSettings, 'host' | 'port'>): string {
  const host = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  return `http://${host}:${settings.port}`;
}

export type NginxPaths = { entries: string; tmp: string; pid: string; accessLog: string };

/**
 * Pure: the nginx configuration. The tokens are in it (nginx compares the header with them),
 * so the command writes it readable by its owner only and deletes it once nginx has read it.
 * `user` is for a server started as root: nginx then runs its workers as that user.
 */
export function nginxConfig(
  settings: CacheServerSettings,
  paths: NginxPaths,
  user?: { name: string; group: string },
): string {
  const listen = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  const readRole = settings.readToken ? `\n    "Bearer ${settings.readToken}" read;` : '';
  const anonymousRead = settings.readToken ? `\n    "~^(GET|HEAD):$" 401;` : '';
  return `# Written by tools/scripts/cache-server.ts; deleted once nginx has read it.
${user ? `user ${user.name} ${user.group};\n` : ''}daemon off;
pid ${paths.pid};
worker_processes 2;
events { worker_connections 512; }
http {
  access_log ${paths.accessLog};
  client_body_temp_path ${paths.tmp}/body;
  # Unused, but nginx creates them at start, by default where only root may.
  proxy_temp_path ${paths.tmp}/proxy;
  fastcgi_temp_path ${paths.tmp}/fastcgi;
  uwsgi_temp_path ${paths.tmp}/uwsgi;
  scgi_temp_path ${paths.tmp}/scgi;
  client_max_body_size ${settings.maxEntryMb}m;
  server_tokens off;
  default_type application/octet-stream;
  map $http_authorization $cache_role {
    default "";
    "Bearer ${settings.writeToken}" write;${readRole}
  }
  map "$request_method:$cache_role" $cache_refusal {
    default "";
    "~^PUT:(read)?$" 403;${anonymousRead}
  }
  server {
    listen ${listen}:${settings.port};
    location = /health { return 200 "ok\\n"; }
    location ~ "^/v1/cache/(?<hash>[0-9A-Za-z]{1,128})$" {
      alias ${paths.entries}/$hash;
      log_not_found off;
      dav_methods PUT;
      dav_access user:rw;
      limit_except GET PUT { deny all; }
      if ($cache_refusal = 401) { return 401 "Missing or invalid authentication token.\\n"; }
      if ($cache_refusal = 403) { return 403 "Uploads need the cache's write token.\\n"; }
      set $stored "";
      if (-f $request_filename) { set $stored yes; }
      set $overwrite "$request_method:$stored";
      if ($overwrite = "PUT:yes") { return 409 "Cannot override an existing record.\\n"; }
    }
    location / { return 404 "Not an Nx cache route.\\n"; }
  }
}
`;
}
