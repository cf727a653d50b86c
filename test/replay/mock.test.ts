// The dev mock with recordings: `npm start -- --replay <path>` / MOCK_REPLAY answers matched requests from the
// recordings and leaves the rest to Prism and the spec's examples.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { replayPaths } from "../../mock/replay";
import { startMock } from "../../mock/server";
import { chatBody, completion, jsonRecord, post, SSE, streamRecord } from "./fixtures";

const root = resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "replay-mock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "recorded.jsonl");
writeFileSync(
  file,
  [jsonRecord("j", "recorded question", "a recorded answer"), streamRecord("s", "recorded stream")]
    .map((r) => `${JSON.stringify(r)}\n`)
    .join(""),
);

describe("the mock with --replay", () => {
  it("answers matched requests from the recordings, the rest from the spec's examples", async () => {
    const mock = await startMock({ port: 0, replay: [file] });
    try {
      const hit = await post(mock.baseUrl, chatBody("recorded question"));
      expect(hit.status).toBe(200);
      expect(await hit.text()).toBe(JSON.stringify(completion("a recorded answer")));
      expect(hit.headers.get("access-control-allow-origin")).toBe("*");
      const stream = await post(mock.baseUrl, chatBody("recorded stream", { stream: true }));
      expect(await stream.text()).toBe(SSE);
      const other = await post(mock.baseUrl, chatBody("anything else"));
      expect(other.status).toBe(200);
      const body = (await other.json()) as { choices: { message: { content: string } }[] };
      expect(body.choices[0]!.message.content).not.toBe("a recorded answer");
      // Requests the mock rejects stay rejected: validation is Prism's, recordings only answer what they match.
      expect((await post(mock.baseUrl, { ...chatBody("x"), temperature: 9 })).status).toBe(400);
      expect(mock.stats().replayed).toBe(2);
    } finally {
      await mock.close();
    }
  });

  it("refuses a path with no recordings, naming it", async () => {
    await expect(startMock({ port: 0, replay: [join(dir, "none")] })).rejects.toThrow(/none/);
  });

  it("--replay a,b and MOCK_REPLAY give the same paths", () => {
    expect(replayPaths(" a.jsonl, dir/ ,")).toEqual(["a.jsonl", "dir/"]);
    expect(replayPaths(undefined)).toEqual([]);
  });

  it("npm start reads MOCK_REPLAY and says so", { timeout: 90_000 }, async () => {
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    const child = spawn(process.execPath, [tsx, "mock/main.ts"], {
      cwd: root,
      env: { ...process.env, PORT: "0", MOCK_REPLAY: file },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    try {
      const base = await new Promise<string>((res, rej) => {
        const poll = setInterval(() => {
          const m = /Base URL: (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out);
          if (m && out.includes("Replaying")) {
            clearInterval(poll);
            res(m[1]!);
          }
        }, 50);
        child.once("exit", (code) => {
          clearInterval(poll);
          rej(new Error(`exited (${code}):\n${out}`));
        });
      });
      expect(out).toContain(`Replaying ${file}`);
      expect(await (await post(base, chatBody("recorded question"))).json()).toEqual(completion("a recorded answer"));
    } finally {
      child.kill("SIGTERM");
      await new Promise((r) => child.once("exit", r));
    }
  });
});
