import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UserError } from '../../lib/command.ts';
import { browserCommand } from '../../lib/ops/browser.ts';
import { parseCommandArgs, positiveInt } from '../../lib/ops/cli.ts';
import { kubectlAiArgs, mcpConfigWithDeployTools } from '../../lib/ops/kubectl-ai.ts';
import { checkSince, logsArgs, resolveComponents } from '../../lib/ops/logs.ts';
import { readerKubeconfig } from '../../lib/ops/ops-reader.ts';
import { findLeftovers, planTeardown } from '../../lib/ops/teardown.ts';

describe('arguments', () => {
  it('turns parse errors into one line with the usage', () => {
    expect(() => parseCommandArgs('x.ts [--open]', ['--nope'], {})).toThrow(
      new UserError("Unknown option '--nope'; usage: x.ts [--open]"),
    );
    expect(positiveInt('--port', '8081')).toBe(8081);
    expect(positiveInt('--port', undefined)).toBeUndefined();
    expect(() => positiveInt('--port', '0')).toThrow('--port must be a positive whole number');
  });
});

describe('logs', () => {
  it('maps components to the chart labels, all by default', () => {
    expect(resolveComponents([])).toEqual(['backend', 'frontend', 'database']);
    expect(resolveComponents(['all'])).toEqual(['backend', 'frontend', 'database']);
    expect(resolveComponents(['database', 'database'])).toEqual(['database']);
    expect(() => resolveComponents(['db'])).toThrow(/unknown component "db"/);
    expect(checkSince('1h30m')).toBe('1h30m');
    expect(() => checkSince('yesterday')).toThrow(UserError);
  });

  it('asks kubectl for all pods in one prefixed stream', () => {
    expect(
      logsArgs('apps', 'todo', {
        components: ['backend', 'database'],
        follow: true,
        since: '10m',
        tail: undefined,
      }),
    ).toEqual([
      'logs',
      '--namespace',
      'apps',
      '--selector',
      'app.kubernetes.io/instance=todo,app.kubernetes.io/component in (backend,postgresql)',
      '--all-containers',
      '--prefix',
      '--tail=-1',
      '--max-log-requests=20',
      '--ignore-errors',
      '--since=10m',
      '--follow',
    ]);
    const one = logsArgs('apps', 'todo', {
      components: ['frontend'],
      follow: false,
      since: undefined,
      tail: undefined,
    });
    expect(one).toContain('app.kubernetes.io/instance=todo,app.kubernetes.io/component=frontend');
    expect(one).toContain('--tail=100');
    expect(one).not.toContain('--follow');
  });
});

describe('browser', () => {
  it('uses open on macOS and xdg-open only with a display, never Linux open', () => {
    expect(browserCommand('darwin', {}, false)).toEqual(['open']);
    expect(browserCommand('linux', { DISPLAY: ':0' }, true)).toEqual(['xdg-open']);
    expect(browserCommand('linux', { WAYLAND_DISPLAY: 'wayland-0' }, true)).toEqual(['xdg-open']);
    expect(browserCommand('linux', {}, true)).toBeUndefined();
    expect(browserCommand('linux', { DISPLAY: ':0' }, false)).toBeUndefined();
  });
});

describe('kubectl-ai', () => {
  it("hands over the context's cluster with the reader's token and the namespace, nothing else", () => {
    const minified = JSON.stringify({
      'current-context': 'other',
      clusters: [
        { name: 'c1', cluster: { server: 'https://k:6443', 'certificate-authority-data': 'CA' } },
      ],
      contexts: [{ name: 'dev', context: { cluster: 'c1', user: 'me', namespace: 'default' } }],
      users: [{ name: 'me', user: { 'client-key-data': 'ADMIN-KEY' } }],
    });
    const config = readerKubeconfig(minified, 'dev', 'apps', 'reader-token');
    expect(config).not.toContain('ADMIN-KEY');
    expect(JSON.parse(config)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        { name: 'c1', cluster: { server: 'https://k:6443', 'certificate-authority-data': 'CA' } },
      ],
      users: [{ name: 'dev-ops-reader', user: { token: 'reader-token' } }],
      contexts: [
        { name: 'dev', context: { cluster: 'c1', user: 'dev-ops-reader', namespace: 'apps' } },
      ],
      'current-context': 'dev',
    });
    expect(() => readerKubeconfig(minified, 'gone', 'apps', 't')).toThrow(UserError);
  });

  it('answers once with a question, interactively without; --deploy-tools becomes --mcp-client', () => {
    expect(kubectlAiArgs('/k', ['list', 'pods', '--model=m'], false)).toEqual([
      '--kubeconfig',
      '/k',
      '--model=m',
      '--quiet',
      'list pods',
    ]);
    expect(kubectlAiArgs('/k', [], false)).toEqual(['--kubeconfig', '/k']);
    expect(kubectlAiArgs('/k', ['--deploy-tools', 'why?'], true)).toEqual([
      '--kubeconfig',
      '/k',
      '--mcp-client',
      '--quiet',
      'why?',
    ]);
  });

  it("adds the deploy's MCP server to the user's own, once", () => {
    const user =
      'servers:\n  - name: mine\n    url: http://x/mcp\n  - name: todo-chatbot-deploy\n    command: old\n';
    expect(parse(mcpConfigWithDeployTools(user, '/node', ['/w/mcp.ts']))).toEqual({
      servers: [
        { name: 'mine', url: 'http://x/mcp' },
        { name: 'todo-chatbot-deploy', command: '/node', args: ['/w/mcp.ts'] },
      ],
    });
    expect(parse(mcpConfigWithDeployTools(undefined, '/node', []))).toEqual({
      servers: [{ name: 'todo-chatbot-deploy', command: '/node', args: [] }],
    });
  });
});

describe('teardown', () => {
  const list = (...names: [string, Record<string, string>?][]) => ({
    items: names.map(([name, annotations]) => ({ metadata: { name, annotations } })),
  });
  const leftovers = findLeftovers(
    list(['data-todo-postgresql-0']),
    list(
      ['todo-secrets'],
      ['todo-postgresql', { 'helm.sh/resource-policy': 'keep' }],
      ['todo-other'],
    ),
    'todo-secrets',
  );
  const input = {
    release: 'todo',
    namespace: 'apps',
    installed: true,
    namespaceExists: true,
    appSecret: 'todo-secrets',
    appSecretExists: true,
    leftovers,
    deleteData: false,
  };

  it('finds the claims and the Secrets Helm keeps, not the app Secret', () => {
    expect(leftovers).toEqual({
      claims: ['data-todo-postgresql-0'],
      keptSecrets: ['todo-postgresql'],
    });
  });

  it('keeps the data by default and says how to remove it', () => {
    const plan = planTeardown(input);
    expect(plan).toMatchObject({
      uninstall: true,
      deleteAppSecret: true,
      deleteData: [],
      empty: false,
    });
    expect(plan.kept[0]).toBe(
      'kept database data: pvc/data-todo-postgresql-0, secret/todo-postgresql; remove with `npx nx run infra:teardown -- --delete-data` (or kubectl delete pvc,secret -n apps -l app.kubernetes.io/instance=todo)',
    );
    expect(plan.kept[1]).toMatch(/^kept namespace apps/);
  });

  it('deletes the data with --delete-data', () => {
    expect(planTeardown({ ...input, deleteData: true }).deleteData).toEqual([
      {
        what: 'pvc data-todo-postgresql-0',
        args: [
          'delete',
          'pvc',
          'data-todo-postgresql-0',
          '--namespace',
          'apps',
          '--ignore-not-found',
          '--wait=false',
        ],
      },
      {
        what: 'secret todo-postgresql',
        args: [
          'delete',
          'secret',
          'todo-postgresql',
          '--namespace',
          'apps',
          '--ignore-not-found',
          '--wait=false',
        ],
      },
    ]);
  });

  it('has nothing to do when nothing is installed', () => {
    const none = { claims: [], keptSecrets: [] };
    const plan = planTeardown({
      ...input,
      installed: false,
      appSecretExists: false,
      leftovers: none,
    });
    expect(plan).toMatchObject({ uninstall: false, deleteAppSecret: false, empty: true });
    expect(plan.kept).toHaveLength(1);
  });
});
