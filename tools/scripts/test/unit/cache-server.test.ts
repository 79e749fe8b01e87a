import { describe, expect, it } from 'vitest';
import {
  CacheServerError,
  nginxConfig,
  parseCacheServerSettings,
  serverUrl,
} from '../../lib/cache-server.ts';

const WRITE = 'w'.repeat(32);
const READ = 'r'.repeat(32);
const paths = { entries: '/srv/e', tmp: '/srv/t', pid: '/srv/run/pid', accessLog: '/srv/a.log' };

describe('cache server settings', () => {
  it('needs only the write token, and serves this machine by default', () => {
    expect(parseCacheServerSettings({ NX_CACHE_WRITE_TOKEN: WRITE }, '/home/dev')).toEqual({
      host: '127.0.0.1',
      port: 8090,
      dir: '/home/dev/.cache/todo-chatbot/nx-cache-server',
      writeToken: WRITE,
      readToken: undefined,
      maxEntryMb: 2048,
      keepDays: 30,
    });
  });

  it('says which variable is missing and how to make a token', () => {
    expect(() => parseCacheServerSettings({})).toThrow(
      /NX_CACHE_WRITE_TOKEN is not set: .*openssl rand -hex 32/,
    );
  });

  it.each([
    ['a short token', { NX_CACHE_WRITE_TOKEN: 'short' }, /NX_CACHE_WRITE_TOKEN: must be 16 to 256/],
    [
      'a token nginx would parse',
      { NX_CACHE_WRITE_TOKEN: `${WRITE}"; } server {` },
      /NX_CACHE_WRITE_TOKEN: must be 16 to 256/,
    ],
    [
      'a read token that is the write token',
      { NX_CACHE_WRITE_TOKEN: WRITE, NX_CACHE_READ_TOKEN: WRITE },
      /NX_CACHE_READ_TOKEN: must differ from NX_CACHE_WRITE_TOKEN/,
    ],
    [
      'a host name to listen on',
      { NX_CACHE_WRITE_TOKEN: WRITE, NX_CACHE_SERVER_HOST: 'cache.example.com' },
      /NX_CACHE_SERVER_HOST: must be an address of this machine/,
    ],
    [
      'a port out of range',
      { NX_CACHE_WRITE_TOKEN: WRITE, NX_CACHE_SERVER_PORT: '70000' },
      /NX_CACHE_SERVER_PORT: /,
    ],
  ])('refuses %s, naming the variable and never its value', (_, env, message) => {
    const parse = () => parseCacheServerSettings(env);
    expect(parse).toThrow(CacheServerError);
    expect(parse).toThrow(message);
    try {
      parse();
    } catch (error) {
      expect((error as Error).message).not.toContain(WRITE);
    }
  });

  it('brackets an IPv6 address in the URL clients use', () => {
    expect(serverUrl({ host: '::', port: 8090 })).toBe('http://[::]:8090');
    expect(serverUrl({ host: '0.0.0.0', port: 9000 })).toBe('http://0.0.0.0:9000');
  });
});

describe('the nginx configuration', () => {
  const settings = (env: Record<string, string> = {}) =>
    parseCacheServerSettings({ NX_CACHE_WRITE_TOKEN: WRITE, ...env }, '/home/dev');

  it('serves the cache route only, from the entries folder, by hash', () => {
    const config = nginxConfig(settings(), paths);
    expect(config).toContain('listen 127.0.0.1:8090;');
    expect(config).toContain('location ~ "^/v1/cache/(?<hash>[0-9A-Za-z]{1,128})$"');
    expect(config).toContain('alias /srv/e/$hash;');
    expect(config).toContain('limit_except GET PUT { deny all; }');
    expect(config).toContain('return 409');
    expect(config).toContain('client_max_body_size 2048m;');
    expect(config).not.toMatch(/^user /m);
  });

  it('refuses uploads without the write token with 403, never 401 (Nx fails a task on 401)', () => {
    const config = nginxConfig(settings({ NX_CACHE_READ_TOKEN: READ }), paths);
    expect(config).toContain(`"Bearer ${WRITE}" write;`);
    expect(config).toContain(`"Bearer ${READ}" read;`);
    expect(config).toContain('"~^PUT:(read)?$" 403;');
    expect(config).toContain('"~^(GET|HEAD):$" 401;');
  });

  it('leaves reads open when there is no read token', () => {
    const config = nginxConfig(settings(), paths);
    expect(config).not.toContain(' read;');
    expect(config).not.toContain('"~^(GET|HEAD):$" 401;');
  });

  it('listens on IPv6 and names the workers user when started as root', () => {
    const config = nginxConfig(settings({ NX_CACHE_SERVER_HOST: '::' }), paths, {
      name: 'nobody',
      group: 'nogroup',
    });
    expect(config).toContain('listen [::]:8090;');
    expect(config).toMatch(/^user nobody nogroup;$/m);
  });
});
