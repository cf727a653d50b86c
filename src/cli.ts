#!/usr/bin/env node
// bin `openrouter-contract`: thin entry over src/conformance/node/cli-main.ts.
import { main, quietOnClosedStdout } from "./conformance/node/cli-main";

quietOnClosedStdout();
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`openrouter-contract: internal error: ${String(err)}\n`);
    process.exitCode = 2;
  },
);
