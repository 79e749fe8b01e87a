/**
 * Writes the frontend's types for the API (apps/frontend/src/lib/api-types.ts) from the OpenAPI
 * document the backend serves, so that the zod schemas stay the one description of the API. The
 * app is built in-process on a throwaway PGlite and asked for app.swagger(): no server, no port,
 * no migration. It lives with the backend because it is the backend's contract that it reads;
 * test/unit/api-types.test.ts fails when the committed file is not what it would write.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { buildApp } from '../src/app.ts';
import { migrationsFolder } from '../src/boot.ts';
import { loadConfig } from '../src/config/config.ts';
import { openDatabase } from '../src/db/database.ts';

export const API_TYPES_FILE = fileURLToPath(
  new URL('../../frontend/src/lib/api-types.ts', import.meta.url),
);
export const API_TYPES_COMMAND = 'npx nx run backend:api-types';

const HEADER = `// Generated from the backend's OpenAPI document by \`${API_TYPES_COMMAND}\`: do not edit.
// The frontend takes its types from ./types.ts, which names the shapes below.

`;

/** The document /api/openapi.json serves; the environment plays no part in it. */
export async function openApiDocument(): Promise<OpenAPI3> {
  const dataDir = await mkdtemp(join(tmpdir(), 'todo-openapi-'));
  try {
    const config = loadConfig({ LOG_LEVEL: 'silent', DATA_DIR: dataDir });
    const database = await openDatabase(config.database, migrationsFolder());
    try {
      const app = await buildApp({ config, database });
      await app.ready();
      const document = app.swagger() as OpenAPI3;
      await app.close();
      return document;
    } finally {
      await database.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

export async function apiTypes(): Promise<string> {
  return HEADER + astToString(await openapiTS(await openApiDocument()));
}

if (import.meta.main) await writeFile(API_TYPES_FILE, await apiTypes());
