// `npm start` as a user runs it: prints the base and docs URLs, serves both, and SIGTERM stops everything it
// started (with MOCK_PRISM=child, the Prism child too) — no orphan process, the port is released.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const tsx = createRequire(import.meta.url).resolve("tsx/cli");

function start(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; out: () => string; baseUrl: string; docsUrl: string; prismPid?: number }> {
  const child = spawn(process.execPath, [tsx, "mock/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`npm start did not print its URLs:\n${out}`)), 45_000);
    const poll = setInterval(() => {
      const base = /Base URL: (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out);
      const docs = /Docs: +(http:\/\/127\.0\.0\.1:\d+\/docs)/.exec(out);
      if (base && docs) {
        clearInterval(poll);
        clearTimeout(timer);
        const pid = /pid (\d+)/.exec(out);
        res({
          child,
          out: () => out,
          baseUrl: base[1]!,
          docsUrl: docs[1]!,
          ...(pid ? { prismPid: Number(pid[1]) } : {}),
        });
      }
    }, 50);
    child.once("exit", (code) => rej(new Error(`npm start exited early (${code}):\n${out}`)));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe.each([
  ["in-process Prism", {}],
  ["Prism as a child process", { MOCK_PRISM: "child" }],
] as const)("npm start (%s)", (_name, env) => {
  it("serves the API and the docs, then SIGTERM stops everything it started", { timeout: 90_000 }, async () => {
    const m = await start(env);
    const res = await fetch(`${m.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-or-v1-x", "content-type": "application/json" },
      body: JSON.stringify({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hi" }] }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { object: string }).object).toBe("chat.completion");
    const docs = await fetch(m.docsUrl);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("Create a chat completion");
    if ("MOCK_PRISM" in env) expect(m.prismPid && alive(m.prismPid)).toBe(true);

    const exited = new Promise<number | null>((r) => m.child.once("exit", (code) => r(code)));
    m.child.kill("SIGTERM");
    expect(await exited).toBe(0);
    if (m.prismPid) {
      for (let i = 0; i < 50 && alive(m.prismPid); i++) await new Promise((r) => setTimeout(r, 100));
      expect(alive(m.prismPid), "Prism child still running").toBe(false);
    }
    await expect(fetch(m.docsUrl, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  });
});
