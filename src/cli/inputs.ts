// Node-only: find the capture files under a folder (or take one file), in a stable order, for `check` and `replay`.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { captureToExchange } from "../conformance/capture";
import type { LineResult } from "../conformance/exchange";

/** Every `*.json` file below `dir` (README and `*.meta.json` excluded), sorted by path; symlinks are not followed. */
export function captureFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, depth: number) => {
    if (depth > 16) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p, depth + 1);
      else if (e.isFile() && e.name.endsWith(".json") && !e.name.endsWith(".meta.json")) out.push(p);
    }
  };
  if (statSync(dir).isDirectory()) walk(dir, 0);
  else out.push(dir);
  return out.sort();
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
