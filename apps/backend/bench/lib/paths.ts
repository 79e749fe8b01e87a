import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const backendRoot = fileURLToPath(new URL('../..', import.meta.url));
export const dist = join(backendRoot, 'dist');
// Inside dist/ so that the next build deletes old results (and git ignores them).
export const outDir = join(dist, 'bench');
export const resultsFile = join(outDir, 'results.json');
export const backendLogFile = join(outDir, 'backend.log');
