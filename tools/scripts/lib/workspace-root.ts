import { join } from 'node:path';

/** The workspace root: every path the pipeline writes (dist/...) is under it. */
export const workspaceRoot = join(import.meta.dirname, '..', '..', '..');
