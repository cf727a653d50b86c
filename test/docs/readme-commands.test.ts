// The README's shell commands, run as written from the repository root, top to bottom: each must exit with the code
// its marker expects (0 by default). A `server` command (`npm start`) is started on a free PORT, probed, left running
// for the later commands (which reach it through the port the README shows), then stopped by its process-group id.
// The marker convention is in ./markdown-commands.ts and CONTRIBUTING.md.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { extractCommands, MarkerError, type Command } from "./markdown-commands";

const root = resolve(import.meta.dirname, "../..");

describe("extractCommands: the readme-test marker convention", () => {
  const doc = (...lines: string[]) => lines.join("\n");

  it("runs sh/bash/shell lines and the `$ ` lines of console blocks; nothing else is a command", () => {
    const md = doc(
      "```sh",
      "# a comment",
      "npm ci",
      "npm run -s cli -- check a \\",
      "  --format json",
      "```",
      "```ts",
      "npm run not-a-command",
      "```",
      "```",
      "plain output",
      "```",
      "```console",
      "$ curl -s localhost:4010/x",
      '{"output": true}',
      "```",
    );
    expect(extractCommands(md).map((c) => [c.line, c.text, c.mode, c.exit])).toEqual([
      [3, "npm ci", "run", 0],
      [4, "npm run -s cli -- check a \\\n  --format json", "run", 0],
      [14, "curl -s localhost:4010/x", "run", 0],
    ]);
  });

  it("applies skip, exit and server to the block right after the marker, per command or to the whole block", () => {
    const md = doc(
      '<!-- readme-test: skip "npm ci" (installed); exit "npm run -s cli" 1; server "npm start" probe /docs -->',
      "",
      "```sh",
      "npm ci",
      "npm start   # foreground",
      "npm run -s cli -- validate x",
      "npm run -s client",
      "```",
      "<!-- readme-test: skip (needs a network; and a key) -->",
      "```bash",
      "curl https://example.com",
      "```",
      "```sh",
      "npm ci",
      "```",
    );
    expect(extractCommands(md)).toEqual([
      { text: "npm ci", line: 4, mode: "skip", reason: "installed", exit: 0 },
      { text: "npm start   # foreground", line: 5, mode: "server", port: 4010, probe: "/docs", exit: 0 },
      { text: "npm run -s cli -- validate x", line: 6, mode: "run", exit: 1 },
      { text: "npm run -s client", line: 7, mode: "run", exit: 0 },
      { text: "curl https://example.com", line: 11, mode: "skip", reason: "needs a network; and a key", exit: 0 },
      { text: "npm ci", line: 14, mode: "run", exit: 0 },
    ]);
  });

  it.each([
    ["a skip without a reason", "<!-- readme-test: skip -->\n```sh\nx\n```", /line 1: "skip" needs a reason/],
    ["an unknown directive", "<!-- readme-test: ignore (x) -->\n```sh\nx\n```", /unknown directive "ignore"/],
    [
      "a selector that matches nothing",
      '<!-- readme-test: skip "npm ci" (x) -->\n```sh\nnpm i\n```',
      /"npm ci" matches no/,
    ],
    [
      "a marker followed by text",
      "<!-- readme-test: skip (x) -->\nSome text\n```sh\nx\n```",
      /line 1: marker not followed/,
    ],
    ["a marker at the end", "```sh\nx\n```\n<!-- readme-test: skip (x) -->", /line 4: marker not followed/],
    ["a marker on a block that never runs", "<!-- readme-test: skip (x) -->\n```ts\nx\n```", /before a "ts" block/],
    ["an exit without a code", '<!-- readme-test: exit "x" -->\n```sh\nx\n```', /"exit" needs one exit code/],
    [
      "a server without its command",
      "<!-- readme-test: server probe /docs -->\n```sh\nx\n```",
      /needs the quoted command/,
    ],
  ])("rejects %s, naming the line", (_name, md, message) => {
    expect(() => extractCommands(md)).toThrow(MarkerError);
    expect(() => extractCommands(md)).toThrow(message);
  });
});

// ---- running them ----

const freePort = () =>
  new Promise<number>((res, rej) => {
    const s = createServer();
    s.once("error", rej);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });

const tmp = mkdtempSync(join(tmpdir(), "readme-commands-"));
const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: tmp, FORCE_COLOR: "0" };
for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k === "TEST_API_BASE_URL") delete env[k];
if (env.NODE_ENV === "test") delete env.NODE_ENV;

/** Port shown in the README -> port the test's server really got. */
const ports = new Map<number, number>();
const withPorts = (text: string) => {
  let t = text;
  for (const [shown, real] of ports) t = t.replace(new RegExp(`(?<=[:=\\s])${shown}\\b`, "g"), String(real));
  return t;
};

function sh(text: string, extraEnv: NodeJS.ProcessEnv = {}) {
  // detached: its own process group, so a hung command and everything it started can be stopped by one id.
  const child = spawn("sh", ["-c", text], {
    cwd: root,
    env: { ...env, ...extraEnv },
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) =>
    child.once("exit", (code, signal) => r({ code, signal })),
  );
  return { child, exited, out: () => out };
}

const groupAlive = (pid: number) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
const killGroup = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pid, signal);
  } catch {
    /* already gone */
  }
};
const tail = (s: string) => (s.length > 3000 ? `…${s.slice(-3000)}` : s);
const title = (c: Command) => `line ${c.line}: ${c.text.replace(/\s+/g, " ").slice(0, 90)}`;

const servers: { cmd: Command; child: ChildProcess; port: number; exited: Promise<unknown>; out: () => string }[] = [];

afterAll(async () => {
  for (const s of servers) killGroup(s.child.pid!, "SIGKILL"); // only if the stop test did not get to them
  rmSync(tmp, { recursive: true, force: true });
});

describe("README.md, run as written", () => {
  let commands: Command[] = [];
  let markerError: unknown;
  try {
    commands = extractCommands(readFileSync(join(root, "README.md"), "utf8"));
  } catch (e) {
    markerError = e;
  }
  const runnable = commands.filter((c) => c.mode !== "skip");

  it("has valid markers, commands to run, and a reason for every skipped one", () => {
    expect(markerError).toBeUndefined();
    expect(runnable.length).toBeGreaterThanOrEqual(3);
    for (const c of commands.filter((x) => x.mode === "skip")) expect(c.reason, title(c)).toBeTruthy();
  });

  for (const c of runnable) {
    if (c.mode === "server") {
      it(`${title(c)} (serves ${c.probe ?? "/"} in the background)`, { timeout: 120_000 }, async () => {
        const port = await freePort();
        ports.set(c.port!, port);
        const s = sh(withPorts(c.text), { PORT: String(port) });
        servers.push({ cmd: c, child: s.child, port, exited: s.exited, out: s.out });
        let early: string | undefined;
        void s.exited.then(({ code, signal }) => (early = `exited early (code ${code}, signal ${signal})`));
        const url = `http://127.0.0.1:${port}${c.probe ?? "/"}`;
        const deadline = Date.now() + 100_000;
        let status = 0;
        while (!early && Date.now() < deadline) {
          status = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
            (r) => r.status,
            () => 0,
          );
          if (status === 200 || (status && !c.probe)) break;
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(early, tail(s.out())).toBeUndefined();
        if (c.probe) expect(status, `GET ${url}\n${tail(s.out())}`).toBe(200);
        else expect(status, `GET ${url}\n${tail(s.out())}`).toBeGreaterThan(0);
      });
    } else {
      it(`${title(c)} (exit ${c.exit})`, { timeout: 120_000 }, async () => {
        const r = sh(withPorts(c.text));
        const timer = setTimeout(() => killGroup(r.child.pid!, "SIGKILL"), 100_000);
        const { code, signal } = await r.exited.finally(() => clearTimeout(timer));
        expect({ code, signal }, tail(r.out())).toEqual({ code: c.exit, signal: null });
      });
    }
  }

  if (runnable.some((c) => c.mode === "server")) {
    it("the servers stop on SIGTERM and free their ports", { timeout: 60_000 }, async () => {
      for (const s of servers) killGroup(s.child.pid!, "SIGTERM");
      for (const s of servers) {
        const pid = s.child.pid!;
        for (let i = 0; i < 150 && groupAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
        expect(groupAlive(pid), `${title(s.cmd)} still running after SIGTERM\n${tail(s.out())}`).toBe(false);
        await expect(fetch(`http://127.0.0.1:${s.port}/`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
      }
    });
  }
});
