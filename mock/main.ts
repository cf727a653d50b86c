// `npm start`: the mock (Prism + layer) on PORT (4010). Its pre-step (`prestart`, regenerate-if-stale.ts) has already
// brought generated/ up to date: the mock serves it as it is.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { replayPaths } from "./replay";
import { DEFAULT_RETRY_AFTER_SECONDS, hostFromEnv, repoRoot, startMock, STREAM_DELAY_HEADER } from "./server";
import type { SpecInfo } from "./spec";

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

/** The 200 example keys per operation and media type, for the banner (a 404 names them too). */
function exampleLines(spec: SpecInfo): string[] {
  const lines: string[] = [];
  for (const [path, methods] of spec.paths)
    for (const op of methods.values()) {
      const media = Object.entries(op.examples["200"] ?? {}).map(([mt, keys]) => `${mt}: ${keys.join(", ")}`);
      lines.push(`    ${op.method.toUpperCase()} ${path}  ${media.join("; ")}`);
    }
  return lines.length ? ["  Examples (the first of each media type is the default):", ...lines] : [];
}

async function main() {
  const port = process.env.PORT ? Number(process.env.PORT) : 4010;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid PORT: ${process.env.PORT}`);
  // Project-specific on purpose: a generic HOST (set by many shells and containers) must not expose the mock.
  const host = hostFromEnv();
  // `npm start -- --replay <path>[,<path>]` (or MOCK_REPLAY): recordings answer the requests they match.
  const at = process.argv.indexOf("--replay");
  const replay = replayPaths(at >= 0 ? process.argv[at + 1] : process.env.MOCK_REPLAY);
  const mock = await startMock({
    port,
    host,
    ...(replay.length ? { replay } : {}),
    onPrismExit: (code, signal) => {
      console.error(`Prism exited unexpectedly (code ${code}, signal ${signal}); stopping.`);
      void mock.close().finally(() => process.exit(1));
    },
  });
  const pacing = process.env.MOCK_STREAM_DELAY_MS ?? "20";
  const retryAfter = process.env.MOCK_RETRY_AFTER
    ? `${process.env.MOCK_RETRY_AFTER} s (MOCK_RETRY_AFTER)`
    : `${DEFAULT_RETRY_AFTER_SECONDS} s (env MOCK_RETRY_AFTER, or per request Prefer: retry-after=<seconds>)`;
  const bundlePath = relative(process.cwd(), join(repoRoot, "generated/openapi.yaml"));
  console.log(
    [
      `OpenRouter mock (Prism 5.14.2 + streaming/error-envelope layer), serving ${bundlePath}`,
      `  Base URL: ${mock.baseUrl}   (POST /completions, POST /chat/completions; ` +
        `the bare paths ${mock.url}/chat/completions etc. answer too)`,
      `  Docs:     ${mock.docsUrl}`,
      `  Bundle:   ${mock.url}/openapi.yaml, ${mock.url}/openapi.json, ${mock.url}/openapi.stream.json`,
      `  Choose a response with Prefer: code=429 or Prefer: example=<key>; "stream": true streams ` +
        `(Prefer: example=stream_error for a mid-stream error).`,
      ...exampleLines(mock.spec),
      `  Retry-After on 429/503: ${retryAfter}.`,
      replay.length
        ? `  Replaying ${replay.join(", ")}: matching requests (JSON-equal body) get the recorded answer.`
        : "  Recordings: none (npm start -- --replay <file.jsonl|folder>, or MOCK_REPLAY, answers from them).",
      `  Stream pacing: ${pacing} ms between events ` +
        `(env MOCK_STREAM_DELAY_MS, or request header ${STREAM_DELAY_HEADER}).`,
      mock.engine === "child"
        ? `  Prism runs as a child process (MOCK_PRISM=child, pid ${mock.prismPid}); Ctrl-C stops both.`
        : `  Prism's request pipeline runs in this process ` +
          `(MOCK_PRISM=child spawns the Prism CLI instead); Ctrl-C stops it.`,
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
