/**
 * The record `docker-build` writes for each image (dist/images/<app>.json) and the deploy
 * steps read: the one place its shape and path are defined.
 */
import { join } from 'node:path';
import { workspaceRoot } from './workspace-root.ts';

/** What downstream targets (minikube-load, helm-deploy) read. */
export type ImageRecord = {
  app: string;
  repository: string;
  tag: string;
  image: string;
  imageId: string;
  baseImage: string;
  sizeBytes: number;
  appLayersBytes: number;
};

export function imageRecordPath(app: string): string {
  return join(workspaceRoot, 'dist', 'images', `${app}.json`);
}
