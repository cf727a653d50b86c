// The README's opening TypeScript snippet, pasted as written: it must name the mock as its baseUrl (so pasting it
// never sends a key to openrouter.ai) and run, JSON call and stream, against the mock (here on the tests' port).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, expect, inject, test, vi } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const MOCK = "http://127.0.0.1:4010/api/v1";
const snippet = /```ts\n([\s\S]*?)```/.exec(readFileSync(join(root, "README.md"), "utf8"))?.[1] ?? "";
const file = join(root, ".tmp", `readme-snippet-${process.pid}.ts`);
afterAll(() => rmSync(file, { force: true }));

test("the quick-start snippet sets baseUrl to the mock", () => {
  expect(snippet).toContain("createOpenRouterClient({");
  expect(snippet).toContain(`baseUrl: "${MOCK}"`);
});

test.runIf(inject("apiBaseUrl"))("the quick-start snippet runs against the mock as written", async () => {
  const code = snippet
    .replace(`"${MOCK}"`, JSON.stringify(inject("apiBaseUrl")))
    .replace(`from "openrouter-contract"`, `from ${JSON.stringify(join(root, "src/client/index.ts"))}`);
  mkdirSync(join(root, ".tmp"), { recursive: true });
  writeFileSync(file, `${code}\nexport {};\n`);
  vi.stubEnv("OPENROUTER_API_KEY", "sk-or-v1-readme");
  const logged: unknown[] = [];
  const written: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((v) => void logged.push(v));
  const write = vi.spyOn(process.stdout, "write").mockImplementation((v) => (written.push(String(v)), true));
  try {
    await import(file);
  } finally {
    log.mockRestore();
    write.mockRestore();
    vi.unstubAllEnvs();
  }
  expect(logged).toHaveLength(1);
  expect(typeof logged[0]).toBe("string");
  expect(written.join("").length).toBeGreaterThan(0);
});
