// Headless Chromium for the e2e project: Debian's /usr/bin/chromium (CHROMIUM_PATH overrides) driven by
// playwright-core, in a fresh profile that is deleted on close.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
// No sandbox (CI runs as root); no background traffic, so a test that watches requests sees only the page's own.
const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport?: { width: number; height: number }): Promise<Browser> {
  const userDataDir = mkdtempSync(join(tmpdir(), "orc-chromium-"));
  // A persistent context on a fresh directory = a fresh --user-data-dir (playwright refuses it in `args`).
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    ...(viewport && { viewport }),
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
