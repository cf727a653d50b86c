// Starts and stops Prism 5.14.2 as a child process (the public CLI), on 127.0.0.1 and a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { request } from "node:http";

const require = createRequire(import.meta.url);

export interface PrismHandle {
  url: string;
  port: number;
  pid: number;
  child: ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(graceMs?: number): Promise<void>;
}

export async function freePort(host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, host, () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}

function ping(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: "GET", timeout: 1000, agent: false }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on("timeout", () => req.destroy());
    req.on("error", () => resolve(false));
    req.end();
  });
}

export interface StartPrismOptions {
  spec: string;
  host?: string;
  port?: number;
  /** Prism log level (default "error": info logging halves throughput). */
  verbosity?: string;
  readyTimeoutMs?: number;
}

export async function startPrism(opts: StartPrismOptions): Promise<PrismHandle> {
  const host = opts.host ?? "127.0.0.1";
  const port = opts.port || (await freePort(host));
  const cli = require.resolve("@stoplight/prism-cli/dist/index.js");
  const watchdog = fileURLToPath(new URL("./prism-watchdog.cjs", import.meta.url));
  const args = [
    "--require",
    watchdog,
    cli,
    "mock",
    opts.spec,
    "-h",
    host,
    "-p",
    String(port),
    "--errors",
    "-v",
    opts.verbosity ?? "error",
  ];
  const child = spawn(process.execPath, args, {
    stdio: ["pipe", "pipe", "pipe"],
    env: { ...process.env, FORCE_COLOR: "0", NO_COLOR: "1", MOCK_PRISM_WATCHDOG: "1" },
  });
  let log = "";
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-8000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const url = `http://${host}:${port}`;
  const stop = async (graceMs = 5000) => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, "SIGTERM");
      } catch {
        /* already gone */
      }
      const t = setTimeout(() => {
        try {
          if (child.pid) process.kill(child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }, graceMs);
      await exited;
      clearTimeout(t);
    }
    child.stdin?.destroy();
    child.stdout?.destroy();
    child.stderr?.destroy();
  };
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`Prism exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${log}`);
    }
    if (await ping(url)) break;
    if (Date.now() > deadline) {
      await stop(1000);
      throw new Error(`Prism was not ready within ${opts.readyTimeoutMs ?? 30_000} ms:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // After start, Prism only logs errors; keep draining its pipes so it never blocks on a full pipe.
  return { url, port, pid: child.pid ?? -1, child, stop };
}
