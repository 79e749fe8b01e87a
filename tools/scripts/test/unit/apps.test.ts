import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPS, dockerignoreFor } from '../../lib/apps.ts';

const workspaceRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe.each(Object.values(APPS))('$name image', (app) => {
  it('.dockerignore sends exactly the files the digest hashes', async () => {
    const file = await readFile(join(workspaceRoot, app.root, '.dockerignore'), 'utf8');
    expect(file).toBe(dockerignoreFor(app));
  });
});
