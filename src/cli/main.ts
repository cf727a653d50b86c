#!/usr/bin/env node
// bin `openrouter-contract`: thin entry over src/cli/run.ts.
import { isMainThread } from "node:worker_threads";
import { main, quietOnClosedStdout } from "./run";

// The proxy loads this file again in its check worker (see proxy.ts): only the main thread runs the CLI.
if (isMainThread) quietOnClosedStdout();
if (isMainThread) main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`openrouter-contract: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
