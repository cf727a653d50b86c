// scripts/redocly.ts, which the lint scripts use: Redocly's Node 20 deprecation box is dropped, everything else
// (lint findings, other messages, the exit code) passes through.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const wrapper = join(root, "scripts/redocly.ts");
/** tsx's CLI, which runs the wrapper in the npm scripts (`tsx scripts/redocly.ts lint ...`). */
const tsx = join(root, "node_modules/tsx/dist/cli.mjs");
const NOTICE = "Node.js 20 support is ending";
const node = (args: string[], cwd = root) =>
  spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout: 60_000 });

describe("scripts/redocly.ts", () => {
  it("prints Redocly's output without the Node 20 notice", () => {
    const bare = node([join(root, "node_modules/@redocly/cli/bin/cli.js"), "--version"]);
    const wrapped = node([tsx, wrapper, "--version"]);
    if (Number(process.versions.node.split(".")[0]) === 20) expect(bare.stderr).toContain(NOTICE);
    expect(wrapped.status).toBe(0);
    expect(wrapped.stdout).toBe(bare.stdout);
    expect(wrapped.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    expect(wrapped.stderr).toBe("");
  });

  it("keeps lint findings and the failing exit code", () => {
    const dir = mkdtempSync(join(tmpdir(), "redocly-wrapper-"));
    try {
      writeFileSync(join(dir, "bad.yaml"), 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\npaths: {}\n');
      const r = node([tsx, wrapper, "lint", "bad.yaml", "--format=stylish"], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toMatch(/1:1 +error +no-empty-servers/); // stylish findings go to stdout
      expect(r.stderr).toMatch(/Validation failed with 1 error/);
      expect(r.stderr).not.toContain(NOTICE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("drops only that box, however the stream is chunked", () => {
    const notice = [
      "",
      "    ╔════════════════════════════════════════╗",
      "    ║  Deprecation warning: Node.js 20 support is ending  ║",
      "    ║  Update Node.js: https://nodejs.org/en/download      ║",
      "    ╚════════════════════════════════════════╝",
      "",
    ].join("\n");
    const other = "╔═══╗\n║ Other notice ║\n╚═══╝\n";
    const input = `first\n${notice}\nvalidating x...\n\n${other}last, no newline`;
    const script = `
      import { createNoticeFilter } from ${JSON.stringify(pathToFileURL(wrapper).href)};
      const input = ${JSON.stringify(input)};
      const results = [];
      for (const size of [1, 7, input.length]) {
        let out = "";
        const f = createNoticeFilter((s) => (out += s));
        for (let i = 0; i < input.length; i += size) f.push(input.slice(i, i + size));
        f.end();
        results.push(out);
      }
      console.log(JSON.stringify(results));`;
    const r = node(["--import", "tsx", "--input-type=module", "-e", script]);
    expect(r.stderr).toBe("");
    const expected = `first\nvalidating x...\n\n${other}last, no newline`;
    expect(JSON.parse(r.stdout)).toEqual([expected, expected, expected]);
  });
});
