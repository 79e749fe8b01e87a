import { describe, expect, it } from 'vitest';
import { undeliveredBuild, undeployedImages } from '../../lib/deploy-state.ts';
import type { DeliveryRecord, ImageRecord } from '../../lib/image-record.ts';
import type { ReleaseRecord } from '../../lib/release-record.ts';

const built = (tag: string): ImageRecord => ({
  app: 'backend',
  repository: 'todo-chatbot/backend',
  tag,
  image: `todo-chatbot/backend:${tag}`,
  imageId: 'sha256:1',
  baseImage: 'node:24-bookworm-slim',
  sizeBytes: 2,
  appLayersBytes: 1,
});
const delivered = (app: string, tag: string): DeliveryRecord => ({
  app,
  transport: 'registry',
  repository: `localhost:5001/todo-chatbot/${app}`,
  tag,
  image: `localhost:5001/todo-chatbot/${app}:${tag}`,
});
const release = (images: Record<string, string>): ReleaseRecord => ({
  cluster: 'ctx/uid',
  release: 'ns/todo-chatbot',
  revision: 3,
  recordUid: 'u',
  fingerprint: 'f',
  images,
});

describe('runtime-input shortcuts (a changed answer only ever makes a step run)', () => {
  it('calls a build that the last delivery did not carry changed', () => {
    expect(undeliveredBuild(built('b2'), delivered('backend', 'b1'))).toBe(
      'changed (todo-chatbot/backend:b2 not delivered yet)',
    );
    expect(undeliveredBuild(built('b2'), undefined)).toMatch(/^changed /);
  });

  it('leaves the delivered build and a missing build record to the full check', () => {
    expect(undeliveredBuild(built('b1'), delivered('backend', 'b1'))).toBeUndefined();
    expect(undeliveredBuild(undefined, delivered('backend', 'b1'))).toBeUndefined();
  });

  it('calls the release stale when a delivered image is not the one last deployed', () => {
    const last = release({
      backend: 'localhost:5001/todo-chatbot/backend:b1',
      frontend: 'localhost:5001/todo-chatbot/frontend:f1',
    });
    expect(undeployedImages(last, [delivered('backend', 'b2'), delivered('frontend', 'f1')])).toBe(
      'stale (localhost:5001/todo-chatbot/backend:b2 not deployed yet)',
    );
    // Another transport is another reference: the chart must receive it.
    expect(
      undeployedImages(last, [
        { ...delivered('backend', 'b1'), transport: 'side-load', image: 'todo-chatbot/backend:b1' },
        delivered('frontend', 'f1'),
      ]),
    ).toMatch(/^stale \(todo-chatbot\/backend:b1 /);
  });

  it('leaves an unchanged release, and a missing or older record, to the cluster check', () => {
    const images = {
      backend: 'localhost:5001/todo-chatbot/backend:b1',
      frontend: 'localhost:5001/todo-chatbot/frontend:f1',
    };
    const both = [delivered('backend', 'b1'), delivered('frontend', 'f1')];
    expect(undeployedImages(release(images), both)).toBeUndefined();
    expect(undeployedImages(undefined, both)).toBeUndefined();
    // A record written before images were recorded.
    const { images: _, ...older } = release(images);
    expect(undeployedImages(older as ReleaseRecord, both)).toBeUndefined();
  });
});
