// Code lines stay within 120 characters: Biome wraps code but not long comments or strings. Prints file:line for
// each longer line and exits 1. Markdown and YAML are exempt (tables and one-line descriptions read better whole).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const MAX = 120;
const exempt = /^(generated|dist|test\/generators\/out)\//;
const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => f && !exempt.test(f) && /\.(ts|mts|mjs|cjs|js|sh)$/.test(f));
let bad = 0;
for (const f of files) {
  let text: string;
  try {
    text = readFileSync(f, "utf8");
  } catch {
    continue; // deleted in the working tree
  }
  text.split("\n").forEach((line, i) => {
    if ([...line].length > MAX) {
      bad++;
      console.log(`${f}:${i + 1}: ${[...line].length} characters (max ${MAX})`);
    }
  });
}
if (bad) {
  console.log(`${bad} line(s) over ${MAX} characters`);
  process.exitCode = 1;
}
