// `openrouter-contract replay`, run in-process through main() with its own Io.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { spawn } from "node:child_process";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/run";
import type { ExchangeRecord } from "../../src/conformance/types";
import { chatBody, completion, jsonRecord, post, SSE, streamRecord } from "./fixtures";

const dir = mkdtempSync(join(tmpdir(), "replay-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function jsonl(name: string, records: ExchangeRecord[]): string {
  const file = join(dir, name);
  writeFileSync(file, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  return file;
}

/** Start the command, wait for its URL, run `drive`, and return the exit code and everything it printed. */
async function run(args: string[], drive: (url: string) => Promise<void>, stop?: AbortController) {
  let out = "";
  let err = "";
  let announced: (url: string) => void = () => {};
  const url = new Promise<string>((r) => (announced = r));
  const io = {
    stdout: (s: string) => {
      out += s;
      const m = /replay listening on (\S+):/.exec(out);
      if (m) announced(m[1]!);
    },
    stderr: (s: string) => void (err += s),
    ...(stop ? { stop: stop.signal } : {}),
  };
  const code = main(["replay", ...args], io);
  const first = await Promise.race([url, code]);
  if (typeof first === "string") await drive(first);
  return { code: await code, out, err };
}

describe("openrouter-contract replay", () => {
  it("answers from a JSONL file, stops after --exit-after, summarises and exits 0 when clean", async () => {
    const file = jsonl("ok.jsonl", [jsonRecord("a", "hello", "Hi"), streamRecord("s", "count")]);
    const r = await run([file, "--exit-after", "2"], async (url) => {
      expect(await (await post(url, chatBody("hello"))).json()).toEqual(completion("Hi"));
      expect(await (await post(url, chatBody("count", { stream: true }))).text()).toBe(SSE);
    });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/replay listening on http:\/\/127\.0\.0\.1:\d+\/api\/v1: 2 recordings/);
    expect(r.out).toContain("2 exchanges checked");
    expect(r.out).toContain("replay: 2 requests, 2 answered from recordings, 0 unmatched (404); 2 of 2 recordings");
    expect(r.out + r.err).not.toContain("sk-or-v1-test-not-a-key");
  });

  it("reports a recording that no longer conforms as drift and exits 1 (--fail-on error)", async () => {
    const stale = jsonRecord("stale", "q", "x");
    delete (stale.response!.body as Record<string, unknown>).choices; // the API no longer sends it this way
    const file = jsonl("stale.jsonl", [stale]);
    const drive = async (url: string) => {
      expect((await post(url, chatBody("q"))).status).toBe(200);
    };
    const r = await run([file, "--exit-after", "1"], drive);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/#1 stale\.jsonl:stale ERROR +response_body_schema response\.body \/choices/);
    expect(r.out).toContain("1 error, 0 warning");
    const excluded = await run([file, "--exit-after", "1", "--exclude-checks", "response_body_schema"], drive);
    expect(excluded.code).toBe(0);
  });

  it("an unmatched request: 404 for the client, the closest recording and pointer in the log, exit 1", async () => {
    const file = jsonl("one.jsonl", [jsonRecord("only", "hello", "Hi")]);
    const r = await run([file, "--exit-after", "1", "--format", "json"], async (url) => {
      expect((await post(url, { ...chatBody("hello"), model: "other/model" })).status).toBe(404);
    });
    expect(r.code).toBe(1);
    expect(r.err).toContain("replay_unmatched request /model");
    expect(r.err).toContain('closest: one.jsonl:only; first difference at body /model: expected "openai/gpt-4o-mini"');
    const report = JSON.parse(r.out.slice(r.out.indexOf("{"), r.out.indexOf("\nreplay: ")));
    expect(report.summary).toMatchObject({ exchanges: 1, bySeverity: { error: 1 } });
    expect(report.groups[0]).toMatchObject({ check: "replay_unmatched", instancePath: "/model" });
  });

  it("reads capture files and folders, --match and --pace apply; stops on io.stop", async () => {
    const capture = {
      request: { method: "POST", url: "https://openrouter.ai/api/v1/chat/completions", body: chatBody("cap") },
      response: { status: 200, content_type: "application/json", body: completion("from a capture") },
    };
    const sub = join(dir, "captures");
    rmSync(sub, { recursive: true, force: true });
    writeFileSync(join(dir, "placeholder.txt"), "");
    await import("node:fs").then((fs) => fs.mkdirSync(join(sub, "nested"), { recursive: true }));
    writeFileSync(join(sub, "nested", "one.json"), JSON.stringify(capture));
    const stop = new AbortController();
    const r = await run(
      [sub, "--match", "model+messages", "--pace", "5"],
      async (url) => {
        const res = await post(url, { ...chatBody("cap"), temperature: 1 });
        expect(await res.json()).toEqual(completion("from a capture"));
        stop.abort();
      },
      stop,
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain("1 recordings, matched by request (match: model+messages)");
    expect(r.out).toContain("1 of 1 recordings served");
  });

  it("as a process: SIGTERM stops it and prints the summary", { timeout: 60_000 }, async () => {
    const file = jsonl("sig.jsonl", [jsonRecord("a", "hello", "Hi")]);
    // One process, as the published bin runs (tsx's own CLI would stand between the signal and the command).
    const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "replay", file], {
      cwd: resolve(import.meta.dirname, "../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const url = await new Promise<string>((res, rej) => {
      const poll = setInterval(() => {
        const m = /replay listening on (\S+):/.exec(out);
        if (m) {
          clearInterval(poll);
          res(m[1]!);
        }
      }, 50);
      void exited.then(() => {
        clearInterval(poll);
        rej(new Error(out));
      });
    });
    expect((await post(url, chatBody("hello"))).status).toBe(200);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(out).toContain("replay: 1 requests, 1 answered from recordings");
  });

  it("usage errors exit 2 with a message", async () => {
    const file = jsonl("u.jsonl", [jsonRecord("a", "q", "x")]);
    const cases: [string[], RegExp][] = [
      [[], /needs at least one recording/],
      [[join(dir, "missing.jsonl")], /cannot read .*missing\.jsonl/],
      [[file, "--pace", "soon"], /--pace must be a delay in ms/],
      [[file, "--match", "+"], /--match needs body, path or a list/],
      [[file, "--port", "99999"], /--port must be an integer/],
      [[file, "--fail-on", "fatal"], /--fail-on must be/],
      [[jsonl("empty.jsonl", [])], /no recordings found/],
    ];
    for (const [args, msg] of cases) {
      let err = "";
      const code = await main(["replay", ...args], { stdout: () => {}, stderr: (s) => void (err += s) });
      expect([args, code]).toEqual([args, 2]);
      expect(err).toMatch(msg);
    }
    let help = "";
    expect(await main(["replay", "--help"], { stdout: (s) => void (help += s), stderr: () => {} })).toBe(0);
    expect(help).toContain("--sequence");
  });
});
