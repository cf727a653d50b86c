#!/usr/bin/env node
// bin `openrouter-contract`: the process around the CLI (run.ts): its streams, its exit code.
import { isMainThread } from "node:worker_threads";
import type { Io } from "./args";
import { main } from "./run";

// A reader that stops early (`check … | head`) closes the pipe: stop writing and exit with the command's own code,
// without an EPIPE stack trace. EPIPE on stdout means the reader is gone, which is not an error of ours.
let stdoutClosed = false;
const processIo: Io = {
  stdout: (s) => {
    if (!stdoutClosed) process.stdout.write(s);
  },
  stderr: (s) => void process.stderr.write(s),
};

// The proxy's check worker loads the bundled bin (dist/cli.js) again: only the main thread runs the CLI.
if (isMainThread) {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE" || e.code === "ERR_STREAM_DESTROYED") {
      stdoutClosed = true;
      return;
    }
    throw e;
  });
  main(process.argv.slice(2), processIo).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`openrouter-contract: internal error: ${String(err)}\n`);
      process.exitCode = 2;
    },
  );
}
