/**
 * The distribution's Chromium for the browser tests, launched by playwright-core. Free of DOM
 * types: the browser tests of the frontend and the end-to-end tests of the cluster use it.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Playwright's own browser downloads are not reachable here, so the distribution's Chromium runs
// instead; these flags keep it from calling home or needing a GPU or a sandbox.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Each launch gets a fresh temporary --user-data-dir from Playwright, so no state leaks in. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. The browser tests need it: ` +
        'apt-get install -y chromium (or set CHROMIUM_PATH to another Chromium binary).',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ARGS });
}
