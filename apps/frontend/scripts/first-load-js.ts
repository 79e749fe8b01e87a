/**
 * First-load JavaScript of a prerendered page: every script its HTML makes the browser fetch,
 * gzipped. `next build` stopped printing this number with Turbopack; this recomputes it from the
 * build output itself, so it counts exactly what a visitor downloads.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface PageWeight {
  route: string;
  scripts: number;
  bytes: number;
  gzipBytes: number;
}

const SCRIPT_TAG = /<script\b([^>]*)>/gi;
const SRC = /\bsrc="([^"]+)"/i;
// Legacy polyfills load only in browsers without ES modules, never in the ones we target.
const NO_MODULE = /\bnomodule\b/i;

export function scriptSources(html: string): string[] {
  const sources = new Set<string>();
  for (const [, attributes = ''] of html.matchAll(SCRIPT_TAG)) {
    const src = SRC.exec(attributes)?.[1];
    if (src && !NO_MODULE.test(attributes)) sources.add(src);
  }
  return [...sources];
}

function htmlFile(nextDir: string, route: string) {
  return join(nextDir, 'server', 'app', `${route === '/' ? 'index' : route.slice(1)}.html`);
}

export async function firstLoadJs(nextDir: string, route: string): Promise<PageWeight> {
  const html = await readFile(htmlFile(nextDir, route), 'utf8').catch(() => {
    throw new Error(`${route} has no prerendered HTML in ${nextDir}; is it still static?`);
  });
  let bytes = 0;
  let gzipBytes = 0;
  const sources = scriptSources(html);
  for (const src of sources) {
    if (!src.startsWith('/_next/static/'))
      throw new Error(`${route} loads a foreign script ${src}`);
    const content = await readFile(join(nextDir, 'static', src.slice('/_next/static/'.length)));
    bytes += content.byteLength;
    gzipBytes += gzipSync(content, { level: 9 }).byteLength;
  }
  return { route, scripts: sources.length, bytes, gzipBytes };
}

export const kB = (bytes: number) => `${(bytes / 1000).toFixed(1)} kB`;
