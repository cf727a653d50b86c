// `npm start`: regenerate generated/ when openapi/ is newer, then start the mock (Prism + layer) on PORT (4010).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, utimesSync } from "node:fs";
import { join, relative } from "node:path";
import { hostFromEnv, repoRoot, startMock, STREAM_DELAY_HEADER } from "./server";

function newestMtime(dir: string): number {
  let newest = 0;
  for (const d of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!d.isFile()) continue;
    const m = statSync(join(d.parentPath ?? d.path, d.name)).mtimeMs;
    if (m > newest) newest = m;
  }
  return newest;
}

function regenerateIfStale(): void {
  const outputs = ["generated/openapi.yaml", "generated/openapi.json", "generated/docs/index.html"].map((f) => join(repoRoot, f));
  const missing = outputs.some((f) => !existsSync(f));
  const oldestOutput = missing ? 0 : Math.min(...outputs.map((f) => statSync(f).mtimeMs));
  const src = join(repoRoot, "openapi");
  const stale = missing || (existsSync(src) && newestMtime(src) > oldestOutput);
  if (!stale) return;
  if (!missing) {
    // Newer mtimes alone (a fresh clone, a touched file) do not mean new content: compare the actual output first.
    try {
      execFileSync(process.execPath, [join(repoRoot, "scripts/generate.mjs"), "--check"], { cwd: repoRoot, stdio: "ignore" });
      const now = new Date();
      for (const f of outputs) utimesSync(f, now, now); // up to date: skip this check next time
      return;
    } catch {
      /* content differs: regenerate below */
    }
  }
  console.log(missing ? "generated/ is missing: running `npm run generate`..." : "openapi/ changed since the last generate: running `npm run generate`...");
  try {
    execFileSync(process.execPath, [join(repoRoot, "scripts/generate.mjs")], { cwd: repoRoot, stdio: "inherit" });
  } catch {
    console.error("Generation failed: fix the spec (see the errors above), then run `npm start` again.");
    process.exit(1);
  }
}

/**
 * The launcher chain (`npm start` -> sh -> tsx -> node): SIGTERM to npm kills npm and sh but not tsx and this
 * process, which would keep the port. So watch the first few ancestors and stop when one of them is gone.
 */
function launcherPids(levels = 3): number[] {
  const out: number[] = [];
  let pid = process.ppid;
  for (let i = 0; i < levels && pid > 1; i++) {
    out.push(pid);
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      pid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      break; // no /proc (macOS, Windows): the direct parent is still watched
    }
  }
  return out;
}

function onLauncherExit(cb: () => void): void {
  const pids = launcherPids();
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone =
      process.ppid !== parent ||
      pids.some((pid) => {
        try {
          process.kill(pid, 0);
          return false;
        } catch (e) {
          return (e as NodeJS.ErrnoException).code === "ESRCH";
        }
      });
    if (gone) {
      clearInterval(timer);
      cb();
    }
  }, 1000);
  timer.unref();
}

async function main() {
  // MOCK_SKIP_GENERATE=1: serve generated/ as it is (tests run beside readers of generated/; a fresh clone's mtimes
  // can make openapi/ look newer than identical output).
  if (!process.env.MOCK_SKIP_GENERATE) regenerateIfStale();
  const port = process.env.PORT ? Number(process.env.PORT) : 4010;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid PORT: ${process.env.PORT}`);
  // Project-specific on purpose: a generic HOST (set by many shells and containers) must not expose the mock.
  const host = hostFromEnv();
  const mock = await startMock({
    port,
    host,
    onPrismExit: (code, signal) => {
      console.error(`Prism exited unexpectedly (code ${code}, signal ${signal}); stopping.`);
      void mock.close().finally(() => process.exit(1));
    },
  });
  const pacing = process.env.MOCK_STREAM_DELAY_MS ?? "20";
  const retryAfter = process.env.MOCK_RETRY_AFTER
    ? `${process.env.MOCK_RETRY_AFTER} s (MOCK_RETRY_AFTER)`
    : "the spec's example (env MOCK_RETRY_AFTER, or per request Prefer: retry-after=0)";
  console.log(
    [
      `OpenRouter mock (Prism 5.14.2 + streaming/error-envelope layer), serving ${relative(process.cwd(), join(repoRoot, "generated/openapi.yaml"))}`,
      `  Base URL: ${mock.baseUrl}   (POST /completions, POST /chat/completions; the bare paths ${mock.url}/chat/completions etc. answer too)`,
      `  Docs:     ${mock.docsUrl}`,
      `  Bundle:   ${mock.url}/openapi.yaml, ${mock.url}/openapi.json, ${mock.url}/openapi.stream.json`,
      `  Choose a response with Prefer: code=429 or Prefer: example=<key>; "stream": true streams (Prefer: example=stream_error for a mid-stream error).`,
      `  Retry-After on 429/503: ${retryAfter}.`,
      `  Stream pacing: ${pacing} ms between events (env MOCK_STREAM_DELAY_MS, or request header ${STREAM_DELAY_HEADER}).`,
      mock.engine === "child"
        ? `  Prism runs as a child process (MOCK_PRISM=child, pid ${mock.prismPid}); Ctrl-C stops both.`
        : `  Prism's request pipeline runs in this process (MOCK_PRISM=child spawns the Prism CLI instead); Ctrl-C stops it.`,
    ].join("\n"),
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // Second Ctrl-C: do not wait for the graceful close.
      if (mock.engine === "child") {
        try {
          process.kill(mock.prismPid, "SIGKILL");
        } catch {
          /* gone */
        }
      }
      process.exit(130);
    }
    stopping = true;
    console.log(`\n${signal}: stopping...`);
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGHUP", () => stop("SIGHUP"));
  onLauncherExit(() => stop("launcher exited"));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
