// Vitest global setup: says once per test run, not once per file, that browser tests are skipped.
import { existsSync } from 'node:fs';

export default function setup(): void {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(chromium) && process.env.REQUIRE_BROWSER !== '1') {
    console.warn(`no browser at ${chromium} (apt-get install chromium): the browser tests are skipped`);
  }
}
