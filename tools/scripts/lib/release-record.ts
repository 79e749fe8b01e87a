/**
 * The record `helm-deploy` writes after every run (dist/deploy/release.json): which release of
 * which cluster it left, from which inputs. The smoke test keys on it, and the release's
 * runtime input compares its images with the ones delivered since and its objects' signals with
 * the live ones.
 */
import { join } from 'node:path';
import type { ReleaseObjects } from './release-live.ts';
import { workspaceRoot } from './workspace-root.ts';

export type ReleaseRecord = {
  cluster: string;
  release: string;
  revision: number | undefined;
  recordUid: string | undefined;
  fingerprint: string;
  /** Image reference per app, as the chart received it. */
  images: Record<string, string>;
  /**
   * When helm-deploy last found the release not as it left it (changed inputs, drift, a
   * workload not available, the app not answering). The smoke test keys on this record, so
   * its checks run again after every such run instead of being replayed.
   */
  checkedAt?: string;
};

export const RELEASE_RECORD_PATH = join(workspaceRoot, 'dist', 'deploy', 'release.json');

/**
 * The objects the revision applied, with their live signals when helm-deploy left it
 * (release-live.ts). A file of its own: the smoke test keys on the release record alone.
 */
export const RELEASE_OBJECTS_PATH = join(workspaceRoot, 'dist', 'deploy', 'release-objects.json');
export type { ReleaseObjects };
