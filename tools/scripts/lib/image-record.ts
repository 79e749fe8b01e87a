/**
 * The record `docker-build` writes for each image (dist/images/<app>.json) and the deploy
 * steps read: the one place its shape and path are defined.
 */
import { readFile } from 'node:fs/promises';
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
  /** Digest of the migrations the image carries (apps that have them). */
  migrations?: string;
};

export function imageRecordPath(app: string): string {
  return join(workspaceRoot, 'dist', 'images', `${app}.json`);
}

/**
 * What `minikube-load` delivered to the cluster (dist/images/<app>.delivered.json), and what
 * `helm-deploy` hands the chart: the reference the nodes run, which names the registry when
 * the image travelled through one.
 */
export type DeliveryRecord = {
  app: string;
  transport: 'registry' | 'side-load';
  /** Repository and tag as the nodes pull them (the chart's image values). */
  repository: string;
  tag: string;
  image: string;
  /** Registry the image was pushed to, and the manifest digest it holds under the tag. */
  registry?: string;
  digest?: string;
};

export function deliveryRecordPath(app: string): string {
  return join(workspaceRoot, 'dist', 'images', `${app}.delivered.json`);
}

/** A record the pipeline wrote (JSON), or undefined when it is missing or unreadable. */
export function readJsonRecord<T>(path: string): Promise<T | undefined> {
  return readFile(path, 'utf8').then(
    (text) => JSON.parse(text) as T,
    () => undefined,
  );
}
