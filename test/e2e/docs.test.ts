// The generated docs (generated/docs/index.html, Redoc with the bundle inlined) render both operations and their
// request fields in a real browser, from file:// and from the mock's /docs, and load nothing from the network except
// Redoc's known logo. Operation summaries and field names are read from the bundle.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"];
/** The only request allowed to fail: the "API docs by Redocly" logo Redoc loads from the network. */
const KNOWN_FAILURE = /^https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini[\w-]*\.svg /;

const spec = JSON.parse(readFileSync(join(root, "generated/openapi.json"), "utf8"));
const deref = (n: any): any => {
  while (n && typeof n.$ref === "string") n = n.$ref.slice(2).split("/").reduce((o: any, k: string) => o?.[k.replace(/~1/g, "/").replace(/~0/g, "~")], spec);
  return n;
};
const operations = Object.entries<any>(spec.paths).flatMap(([path, item]) =>
  Object.entries<any>(item).map(([method, op]) => {
    const schema = deref(deref(op.requestBody)?.content?.["application/json"]?.schema);
    return { path, method, summary: op.summary as string, tag: (op.tags?.[0] ?? "") as string, fields: Object.keys(schema?.properties ?? {}), required: (schema?.required ?? []) as string[] };
  }),
);

let userDataDir = "";
let context: BrowserContext;

beforeAll(async () => {
  userDataDir = mkdtempSync(join(tmpdir(), "orc-chromium-"));
  // A persistent context on a fresh directory = a fresh --user-data-dir (playwright refuses it in `args`).
  context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1400, height: 1000 } });
});

afterAll(async () => {
  await context?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function openDocs(url: string): Promise<{ page: Page; failed: string[] }> {
  const page = await context.newPage();
  const failed: string[] = [];
  page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? "failed"})`));
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  await page.goto(url, { waitUntil: "load" });
  await page.locator('[data-component-name="Menu/Menu"]').first().waitFor({ state: "visible", timeout: 30_000 });
  return { page, failed };
}

async function checkPage(url: string) {
  const { page, failed } = await openDocs(url);
  try {
    expect(operations.length).toBeGreaterThanOrEqual(2);
    const menu = page.locator('[data-component-name="Menu/Menu"]').first();
    for (const op of operations) {
      // Redoc 3 lists operations under their (collapsed) tag in the sidebar; each operation is its own page.
      const entry = menu.getByText(op.summary, { exact: true });
      if (!(await entry.isVisible())) await menu.getByText(op.tag, { exact: true }).first().click();
      await entry.first().click();
      // The operation page: heading, method + path, and every request body field.
      const main = page.locator("#api-content, main").first();
      await expect.poll(() => main.getByText(op.summary, { exact: true }).first().isVisible(), { timeout: 15_000 }).toBe(true);
      await expect.poll(async () => (await main.innerText()).includes(op.path)).toBe(true);
      expect(op.fields.length).toBeGreaterThan(0);
      for (const field of op.fields) {
        const name = page.locator(`[id$="/t=request&path=${field}"] .schema-name`).first();
        await name.waitFor({ state: "attached", timeout: 10_000 });
        await name.scrollIntoViewIfNeeded();
        expect(await name.isVisible(), `${op.summary}: request field '${field}' visible`).toBe(true);
        expect(await name.innerText()).toBe(field);
      }
      for (const field of op.required) {
        const row = page.locator(`[id$="/t=request&path=${field}"]`).first();
        expect(await row.innerText(), `${field} marked required`).toContain("required");
      }
    }
    const unexpected = failed.filter((f) => !KNOWN_FAILURE.test(f));
    expect(unexpected, `failed requests: ${failed.join(", ")}`).toEqual([]);
  } finally {
    await page.close();
  }
}

describe("generated docs in headless Chromium", () => {
  it("file://generated/docs/index.html renders both operations and their request fields", async () => {
    await checkPage(pathToFileURL(join(root, "generated/docs/index.html")).href);
  });

  const base = inject("apiBaseUrl");
  it.skipIf(!base)("the mock's /docs renders the same", async () => {
    await checkPage(new URL("/docs", base).href);
  });
});
