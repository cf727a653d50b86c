// The generated docs (generated/docs/index.html, Redoc with the bundle inlined) render both operations and their
// request fields in a real browser, from file:// and from the mock's /docs, request nothing off the machine (Redoc's
// CDN logo is replaced at generate time), and show each streaming response's chunk fields (`delta`). Operation
// summaries and field names are read from the bundle.
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bundledSpec } from "../../src/spec/bundle";
import { type Browser, launchChromium } from "../support/chromium";
import { deref } from "../support/spec";

const root = resolve(import.meta.dirname, "../..");
/** Requests that stay on the machine: the page itself, inlined data, blobs, and the loopback mock. */
const LOCAL = /^(file:|data:|blob:|about:|https?:\/\/(127\.0\.0\.1|localhost)[:/])/;

// The bundle the docs page is built from (not MOCK_SPEC: the page does not change with it).
const spec = bundledSpec as Record<string, any>;
const operations = Object.entries<any>(spec.paths).flatMap(([path, item]) =>
  Object.entries<any>(item).map(([method, op]) => {
    const schema = deref(deref(op.requestBody, spec)?.content?.["application/json"]?.schema, spec);
    return {
      path,
      method,
      summary: op.summary as string,
      tag: (op.tags?.[0] ?? "") as string,
      fields: Object.keys(schema?.properties ?? {}),
      required: (schema?.required ?? []) as string[],
    };
  }),
);

/** The text as rendered (Playwright's `innerText`): hidden nodes do not count, as a reader would not see them. */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what the docs show; textContent is not
const rendered = (l: Locator): Promise<string> => l.innerText();

let chromium: Browser | undefined;
let context: BrowserContext;

beforeAll(async () => {
  chromium = await launchChromium({ width: 1400, height: 1000 });
  context = chromium.context;
});

afterAll(async () => {
  await chromium?.close();
});

async function openDocs(url: string): Promise<{ page: Page; failed: string[]; offMachine: string[] }> {
  const page = await context.newPage();
  const failed: string[] = [];
  const offMachine: string[] = [];
  page.on("request", (r) => {
    if (!LOCAL.test(r.url())) offMachine.push(r.url());
  });
  page.on("requestfailed", (r) => failed.push(`${r.url()} (${r.failure()?.errorText ?? "failed"})`));
  page.on("response", (r) => {
    if (r.status() >= 400) failed.push(`${r.url()} (HTTP ${r.status()})`);
  });
  await page.goto(url, { waitUntil: "load" });
  await page.locator('[data-component-name="Menu/Menu"]').first().waitFor({ state: "visible", timeout: 30_000 });
  return { page, failed, offMachine };
}

async function checkPage(url: string) {
  const { page, failed, offMachine } = await openDocs(url);
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
      await expect
        .poll(() => main.getByText(op.summary, { exact: true }).first().isVisible(), { timeout: 15_000 })
        .toBe(true);
      await expect.poll(async () => (await rendered(main)).includes(op.path)).toBe(true);
      expect(op.fields.length).toBeGreaterThan(0);
      for (const field of op.fields) {
        const name = page.locator(`[id$="/t=request&path=${field}"] .schema-name`).first();
        await name.waitFor({ state: "attached", timeout: 10_000 });
        await name.scrollIntoViewIfNeeded();
        expect(await name.isVisible(), `${op.summary}: request field '${field}' visible`).toBe(true);
        expect(await rendered(name)).toBe(field);
      }
      for (const field of op.required) {
        const row = page.locator(`[id$="/t=request&path=${field}"]`).first();
        expect(await rendered(row), `${field} marked required`).toContain("required");
      }
    }
    await showsChunkFields(page);
    expect(failed, "failed requests").toEqual([]);
    expect(offMachine, "requests leaving the machine").toEqual([]);
  } finally {
    await page.close();
  }
}

/** The chat 200's text/event-stream body shows the chunk schema's fields, down to `choices[].delta`. */
async function showsChunkFields(page: Page) {
  const chat = operations.find((o) => o.path === "/chat/completions")!;
  const menu = page.locator('[data-component-name="Menu/Menu"]').first();
  const entry = menu.getByText(chat.summary, { exact: true });
  if (!(await entry.isVisible())) await menu.getByText(chat.tag, { exact: true }).first().click();
  await entry.first().click();
  // The media type dropdown of the 200 response: switch it to text/event-stream.
  const dropdown = page
    .locator('[data-component-name="Dropdown/Dropdown"] button:has-text("application/json")')
    .first();
  await dropdown.scrollIntoViewIfNeeded();
  await dropdown.click();
  await page.locator('[data-component-name="Dropdown/DropdownMenuItem"]:has-text("text/event-stream")').first().click();
  // The payload is the event union (chunk first, then the error-only event): Redoc prefixes its first member's fields.
  const id = "t=response&c=200&ct=text/event-stream&path=";
  const sse = (path: string) => page.locator(`[id$="${id}${path}"], [id$="${id}&oneof=0/${path}"]`).first();
  await sse("choices").waitFor({ state: "visible", timeout: 10_000 });
  await sse("choices").locator(".schema-name").first().click(); // expands the array's item schema
  const delta = sse("choices[]/delta").locator(".schema-name").first();
  await delta.waitFor({ state: "visible", timeout: 10_000 });
  expect(await rendered(delta)).toBe("delta");
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
