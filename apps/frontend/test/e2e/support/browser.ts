import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export { CHROMIUM_PATH, launchChromium } from '@todo/test-support/chromium';

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
