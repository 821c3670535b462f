// The headless Chromium the dashboard's browser test drives: Debian's package, installed by
// scripts/browser.sh, launched by playwright-core (which never downloads a browser here). Under CI=true a
// missing Chromium fails the suite; elsewhere the suite is skipped with a visible reason.

import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

export function chromiumPath(): string | undefined {
  return process.env.TC_CANARY_TEST_CHROMIUM ?? (existsSync(DEBIAN_CHROMIUM) ? DEBIAN_CHROMIUM : undefined);
}

/** True when the suite must be skipped; throws under CI=true so a missing browser never passes quietly. */
export function missingChromium(): boolean {
  const found = chromiumPath();
  if (found && existsSync(found)) return false;
  const message = 'chromium is not installed: run `eval "$(bash scripts/browser.sh)"` first';
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`skipping: ${message}`);
  return true;
}

/** Headless, offline, in a new empty profile (playwright passes it as --user-data-dir). */
export function launchChromium(): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), 'tc-canary-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath()!,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
  });
}

const SCREENSHOTS = new URL('../../test-output/', import.meta.url);

/** Where a screenshot named `name` is saved (test-output/dashboard-<name>.png); the folder is made on first use. */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return new URL(`dashboard-${name}.png`, SCREENSHOTS).pathname;
}
