import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

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

export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../test-results/e2e/screenshots', import.meta.url),
);

/** Numbered screenshots of what the viewport shows, in the order the journey takes them. */
export function screenshotter() {
  let step = 0;
  return async (page: Page, name: string) => {
    step++;
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    // Let transitions and the first paint of web fonts settle.
    await page.evaluate(() => document.fonts.ready);
    await page.waitForTimeout(250);
    const file = join(SCREENSHOT_DIR, `${String(step).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file });
    return file;
  };
}
