/**
 * The record `helm-deploy` writes after every run (dist/deploy/release.json): which release of
 * which cluster it left, from which inputs. The smoke test keys on it, and the release's
 * runtime input compares its images with the ones delivered since.
 */
import { join } from 'node:path';
import { workspaceRoot } from './workspace-root.ts';

export type ReleaseRecord = {
  cluster: string;
  release: string;
  revision: number | undefined;
  recordUid: string | undefined;
  fingerprint: string;
  /** Image reference per app, as the chart received it. */
  images: Record<string, string>;
};

export const RELEASE_RECORD_PATH = join(workspaceRoot, 'dist', 'deploy', 'release.json');
