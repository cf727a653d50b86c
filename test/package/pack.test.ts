// What `npm pack` ships: the built entries, the spec (source and bundle), types, docs, README, LICENSE, CHANGELOG —
// and nothing of the tooling, tests or sources of the build.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";

interface PackInfo {
  files: { path: string; size: number }[];
  size: number;
  unpackedSize: number;
  filename: string;
}

const info = (
  JSON.parse(
    execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { encoding: "utf8" }),
  ) as PackInfo[]
)[0]!;
const paths = info.files.map((f) => f.path).sort();

describe("npm pack", () => {
  test("builds first (prepack), so a fresh clone never packs without dist/; npm ci runs no prepack", () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "../../package.json"), "utf8"));
    expect(pkg.scripts.prepack).toBe("npm run -s build");
    expect(Object.keys(pkg.scripts).filter((s) => /^(pre|post)?(install|prepare)$/.test(s))).toEqual([]);
  });

  test("ships the entries, the spec, types, docs and the three documents", () => {
    for (const must of [
      "package.json",
      "README.md",
      "LICENSE",
      "CHANGELOG.md",
      "dist/index.js",
      "dist/index.cjs",
      "dist/index.d.ts",
      "dist/index.d.cts",
      "dist/raw.js",
      "dist/raw.cjs",
      "dist/raw.d.ts",
      "dist/raw.d.cts",
      "dist/conformance/index.js",
      "dist/conformance/index.cjs",
      "dist/conformance/index.d.ts",
      "dist/conformance/index.d.cts",
      "dist/replay/index.js",
      "dist/replay/index.cjs",
      "dist/replay/index.d.ts",
      "dist/replay/index.d.cts",
      "dist/cli.js",
      "dist/schema.d.ts",
      "dist/schema.d.cts",
      "generated/openapi.json",
      "generated/openapi.yaml",
      "generated/openapi.stream.json",
      "generated/schema.d.ts",
      "generated/explainers.cjs",
      "generated/docs/index.html",
      "openapi/openapi.yaml",
      "openapi/paths/chat_completions.yaml",
      "openapi/paths/completions.yaml",
    ])
      expect(paths, must).toContain(must);
  });

  test("ships nothing else", () => {
    const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+|generated\/.+|openapi\/.+)$/;
    expect(paths.filter((p) => !allowed.test(p))).toEqual([]);
    expect(
      paths.filter(
        (p) => /^(src|mock|test|bench|scripts|\.ci|node_modules)\//.test(p) || /tsup|vitest|tsconfig|redocly/.test(p),
      ),
    ).toEqual([]);
    expect(paths.filter((p) => p.startsWith("dist/mock") || p.includes(".test."))).toEqual([]);
  });

  test("declares no install scripts and pins its runtime dependencies", async () => {
    const pkg = (await import("../../package.json", { with: { type: "json" } })).default as {
      scripts: Record<string, string>;
      dependencies: Record<string, string>;
    };
    for (const s of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts[s], s).toBeUndefined();
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["ajv", "ajv-formats", "eventsource-parser", "openapi-fetch"]);
    for (const v of Object.values(pkg.dependencies)) expect(v).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test("reports its size", () => {
    console.log(
      `npm pack: ${info.files.length} files, ${(info.size / 1024).toFixed(1)} KiB packed, ` +
        `${(info.unpackedSize / 1024).toFixed(1)} KiB unpacked`,
    );
    expect(info.size).toBeLessThan(5 * 1024 * 1024);
  });
});
