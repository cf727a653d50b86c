// The mock is a dev tool: shipped code (src/) never imports it, so no build of src/ can pull it in.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const root = resolve(import.meta.dirname, "../..");
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g;

/** Relative import specifiers of a module, resolved to paths under the repository root. */
function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(SPECIFIER)]
    .map((m) => m[1]!)
    .filter((s) => s.startsWith("."))
    .map((s) => relative(root, resolve(dirname(file), s)));
}

describe("mock/ is dev-only", () => {
  it("finds relative imports, including ones that reach mock/", () => {
    const file = join(root, "src/cli/x.ts");
    const text = [
      `import { a } from "./args";`,
      `import type { B } from "../../mock/server";`,
      `await import("../../mock/sse");`,
    ].join("\n");
    expect(importsOf(file, text)).toEqual(["src/cli/args", "mock/server", "mock/sse"]);
  });

  it("no module in src/ imports from mock/", () => {
    const files = readdirSync(join(root, "src"), { recursive: true, withFileTypes: true })
      .filter((d) => d.isFile() && /\.[cm]?ts$/.test(d.name))
      .map((d) => join(d.parentPath, d.name));
    expect(files.length).toBeGreaterThan(10);
    const offending = files.flatMap((f) =>
      importsOf(f, readFileSync(f, "utf8"))
        .filter((p) => p === "mock" || p.startsWith("mock/"))
        .map((p) => `${relative(root, f)} -> ${p}`),
    );
    expect(offending).toEqual([]);
  });
});
