// `redocly <args>` for the npm scripts, minus one known notice: under Node 20, Redocly CLI 2.x prints a boxed
// "Node.js 20 support is ending" banner on every run, and no flag or setting turns it off. The project supports
// Node 20 on purpose, so the banner is noise that hides real lint output. Only that box is dropped; every other line
// (other boxes included) and the exit code pass through unchanged. Delete this wrapper once Node 22 is the minimum.
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const NOTICE = "Node.js 20 support is ending";
// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes start with ESC, the character to match
const ANSI = /\x1b\[[0-9;]*m/g;

/**
 * A line filter that removes the deprecation box (and the blank line on either side of it) from a text stream.
 * `push` takes chunks split anywhere; `end` flushes what is held back.
 */
export function createNoticeFilter(write: (text: string) => void): { push(chunk: string): void; end(): void } {
  let partial = "";
  let box: string[] | null = null; // lines of a box being read
  let blanks: string[] = []; // blank lines held until we know whether a dropped box follows
  let dropBlank = false; // the blank line right after a dropped box
  const flushBlanks = () => {
    for (const b of blanks) write(b);
    blanks = [];
  };
  const line = (l: string) => {
    const bare = l.replace(ANSI, "").trim();
    if (box) {
      box.push(l);
      if (bare.startsWith("╚")) {
        if (box.some((b) => b.includes(NOTICE))) {
          blanks = blanks.slice(1); // one blank line belongs to the box
          dropBlank = true;
        } else {
          flushBlanks();
          for (const b of box) write(b);
        }
        box = null;
      } else if (box.length > 40) {
        flushBlanks(); // not the box we know: give it back
        for (const b of box) write(b);
        box = null;
      }
      return;
    }
    if (bare === "") {
      if (dropBlank) dropBlank = false;
      else blanks.push(l);
      return;
    }
    dropBlank = false;
    if (bare.startsWith("╔")) {
      box = [l];
      return;
    }
    flushBlanks();
    write(l);
  };
  return {
    push(chunk) {
      partial += chunk;
      let nl: number;
      while ((nl = partial.indexOf("\n")) !== -1) {
        line(partial.slice(0, nl + 1));
        partial = partial.slice(nl + 1);
      }
    },
    end() {
      flushBlanks();
      if (box) for (const b of box) write(b);
      box = null;
      if (partial) write(partial);
      partial = "";
    },
  };
}

// Run as a script (`tsx scripts/redocly.ts ...`), not imported for createNoticeFilter.
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const cli = join(dirname(fileURLToPath(import.meta.url)), "../node_modules/@redocly/cli/bin/cli.js");
  const child = spawn(process.execPath, [cli, ...process.argv.slice(2)], { stdio: ["inherit", "inherit", "pipe"] });
  const filter = createNoticeFilter((s) => process.stderr.write(s));
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => filter.push(d));
  child.stderr.on("end", () => filter.end());
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("close", (code, signal) => {
    filter.end();
    process.exitCode = code ?? (signal ? 1 : 0);
  });
}
