// The published code runs in a browser: the client and the conformance entry, bundled for the browser by esbuild
// from src/ (as a consumer's bundler would), make a JSON call, a streaming call and validations in headless
// Chromium against the mock (same origin: the page is the mock's /docs).
import { join, resolve } from "node:path";
import { build } from "esbuild";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { type Browser, launchChromium } from "../support/chromium";

const root = resolve(import.meta.dirname, "../..");
const apiBaseUrl = inject("apiBaseUrl");

let chromium: Browser | undefined;
let browser: BrowserContext;
beforeAll(async () => {
  chromium = await launchChromium();
  browser = chromium.context;
});
afterAll(async () => {
  await chromium?.close();
});

async function bundle(entry: string, globalName: string): Promise<string> {
  const out = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    format: "iife",
    globalName,
    platform: "browser",
    target: "es2022",
  });
  return out.outputFiles[0]!.text;
}

it.runIf(apiBaseUrl)("client and conformance entry work in Chromium: JSON call, stream, validation", async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(new URL("/docs", apiBaseUrl).href, { waitUntil: "domcontentloaded" });
  await page.addScriptTag({ content: await bundle("src/client/index.ts", "ORC") });
  await page.addScriptTag({ content: await bundle("src/conformance/index.ts", "ORCC") });
  const result = await page.evaluate(async (baseUrl) => {
    const { createOpenRouterClient, StreamError } = (globalThis as any).ORC;
    const { validateRequest, checkStream } = (globalThis as any).ORCC;
    const client = createOpenRouterClient({ apiKey: "sk-or-v1-browser", baseUrl, maxRetries: 0 });
    const messages = [{ role: "user", content: "Hi" }];
    const json = await client.chat.completions.create({ model: "openai/gpt-4o", messages });
    const chunks: string[] = [];
    for await (const c of await client.chat.completions.create({ model: "openai/gpt-4o", messages, stream: true }))
      chunks.push(c.object);
    let midStream = "";
    try {
      for await (const _ of await client.chat.completions.create(
        { model: "openai/gpt-4o", messages, stream: true },
        { headers: { Prefer: "example=stream_error" } },
      ));
    } catch (e) {
      midStream = e instanceof StreamError ? "StreamError" : String(e);
    }
    const bad = validateRequest("createChatCompletion", { model: "m", messages, top_k: 0 }).map(
      (v: any) => v.instancePath,
    );
    const sse = await (
      await fetch(`${baseUrl}/completions`, {
        method: "POST",
        headers: { authorization: "Bearer x", "content-type": "application/json" },
        body: JSON.stringify({ model: "m", prompt: "p", stream: true }),
      })
    ).text();
    const streamViolations = checkStream("createCompletion", sse).filter((v: any) => v.severity === "error").length;
    return {
      object: json.object,
      chunks: chunks.length,
      first: chunks[0],
      midStream,
      bad,
      streamViolations,
      ua: navigator.userAgent,
    };
  }, apiBaseUrl);
  expect(errors).toEqual([]);
  expect(result).toMatchObject({
    object: "chat.completion",
    first: "chat.completion.chunk",
    midStream: "StreamError",
    bad: ["/top_k"],
    streamViolations: 0,
  });
  expect(result.chunks).toBeGreaterThan(1);
  expect(result.ua).toMatch(/Chrome/);
  await page.close();
});
