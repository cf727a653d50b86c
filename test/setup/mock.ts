// Placeholder globalSetup (replaced by the mock issue): starts bare Prism on the bundle.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** Base URL with the production base path, e.g. http://127.0.0.1:PORT/api/v1 */
    apiBaseUrl: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => res(typeof a === "object" && a ? a.port : 0));
    });
  });
}

export default async function setup(project: TestProject) {
  if (process.env.TEST_API_BASE_URL) {
    project.provide("apiBaseUrl", process.env.TEST_API_BASE_URL);
    return;
  }
  if (process.env.TEST_SKIP_MOCK) {
    project.provide("apiBaseUrl", "");
    return;
  }
  const port = await freePort();
  const require = createRequire(import.meta.url);
  const child = spawn(process.execPath, [require.resolve("@stoplight/prism-cli/dist/index.js"), "mock", "generated/openapi.yaml", "-h", "127.0.0.1", "-p", String(port), "--errors", "-v", "error"], { stdio: "ignore", env: { ...process.env, FORCE_COLOR: "0" } });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { await fetch(url, { signal: AbortSignal.timeout(1000) }); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  project.provide("apiBaseUrl", url);
  return async () => { child.kill("SIGTERM"); };
}
