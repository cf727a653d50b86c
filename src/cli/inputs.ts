// Node-only: find the capture files (or other recordings) under a folder, in a stable order, for `check` and `replay`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { captureToExchange } from "../conformance/capture";
import type { LineResult } from "../conformance/exchange";

/** The files below `dir` whose name `accept`s, sorted by path, at most 16 folders deep; symlinks are not followed. */
export function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 16) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && accept(e.name)) out.push(p);
    }
  };
  walk(dir, 0);
  return out.sort();
}

/** Every `*.json` file below `dir` (`*.meta.json` excluded), sorted by path; a file argument is itself. */
export function captureFiles(dir: string): string[] {
  if (!statSync(dir).isDirectory()) return [dir];
  return filesUnder(dir, (name) => name.endsWith(".json") && !name.endsWith(".meta.json"));
}

/** Read one capture file as an exchange record named by its path relative to `root`. */
export function readCapture(file: string, root: string): LineResult {
  let v: unknown;
  try {
    v = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return { ok: false, error: `${file}: not JSON (${(e as Error).message})` };
  }
  const id = relative(root, file) || file;
  return captureToExchange(v, id);
}
