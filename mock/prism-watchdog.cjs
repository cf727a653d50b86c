// Preloaded into the Prism child (`node --require prism-watchdog.cjs prism mock ...`): Prism exits when the
// parent's stdin pipe closes, so even a parent killed with SIGKILL leaves no orphan Prism behind.
"use strict";
if (process.env.MOCK_PRISM_WATCHDOG === "1") {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.on("close", () => process.exit(0));
  process.stdin.on("error", () => process.exit(0));
  process.stdin.resume();
}
