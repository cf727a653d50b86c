// The diff's text report: counts and verdict first, breaking changes in full, allowed ones by rule and reason,
// warnings by rule with a few examples (every one with `all`). Run on the README's example (the released bundle
// against the working one) and on small hand-made results.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { type Change, type DiffResult, diffSpecs, formatDiffText, parseAllowList } from "../../src/conformance/index";

const root = resolve(import.meta.dirname, "../..");
const read = (f: string) => JSON.parse(readFileSync(join(root, f), "utf8"));
const readme = diffSpecs(read(".ci/released/openapi-0.1.0.json"), read("generated/openapi.json"), {
  allow: parseAllowList(readFileSync(join(root, ".ci/diff-allowlist.txt"), "utf8")),
});

const change = (id: string, level: Change["level"], n: number, allowed?: string): Change => ({
  id,
  level,
  operation: "POST /chat/completions",
  location: `request.body[application/json]/properties/p${n}`,
  message: `message ${n}`,
  ...(allowed ? { allowed } : {}),
});
const result = (changes: Change[]): DiffResult => {
  const summary = { ERR: 0, WARN: 0, INFO: 0, allowed: 0 };
  for (const c of changes) c.allowed === undefined ? summary[c.level]++ : summary.allowed++;
  return { changes, summary };
};

describe("diff text report", () => {
  it("on the README example: counts and the verdict lead, every change is counted once", () => {
    const [counts, verdict] = formatDiffText(readme).split("\n");
    const s = readme.summary;
    expect(counts).toBe(
      `${readme.changes.length} changes: ${s.ERR} ERR (breaking), ${s.allowed} allowed by the allow-list, ` +
        `${s.WARN} WARN (review), ${s.INFO} INFO (hidden; --show-info)`,
    );
    expect(s.ERR + s.WARN + s.INFO + s.allowed).toBe(readme.changes.length);
    expect(verdict).toMatch(/^Result: clean for --fail-on ERR: no breaking change outside the allow-list \(exit 0\)/);
  });

  it("on the README example: a screenful by default, every WARN with all", () => {
    const short = formatDiffText(readme);
    const full = formatDiffText(readme, { all: true });
    expect(short.split("\n").length).toBeLessThan(120);
    const located = (text: string) => text.split("\n").filter((l) => /^ {4}POST \//.test(l)).length;
    expect(located(full)).toBe(readme.summary.WARN);
    expect(full).not.toContain("more (--all lists them)");
    expect(short).toContain("more (--all lists them)");
  });

  it("lists every breaking change, whatever their number; the verdict says exit 1", () => {
    const text = formatDiffText(
      result([...Array.from({ length: 7 }, (_, i) => change("request_max_decreased", "ERR", i))]),
    );
    expect(text.split("\n")[1]).toBe("Result: 7 changes at or above --fail-on ERR outside the allow-list: exit 1.");
    for (let i = 0; i < 7; i++) expect(text).toContain(`properties/p${i}\n        message ${i}`);
    expect(text).toContain("Breaking (ERR, not allowed): 7\n  request_max_decreased (7) in POST /chat/completions");
  });

  it("groups allowed changes by rule and reason, and warnings by rule with the first three", () => {
    const text = formatDiffText(
      result([
        change("request_type_narrowed", "ERR", 1, "union type"),
        change("request_type_narrowed", "ERR", 2, "union type"),
        change("request_type_narrowed", "ERR", 3, "header"),
        ...[4, 5, 6, 7, 8].map((n) => change("response_enum_value_added", "WARN", n)),
      ]),
    );
    expect(text).toContain('  request_type_narrowed (3): 2 × "union type"; 1 × "header"');
    expect(text).toContain("WARN (5): may affect some clients, by rule; the first 3 of each rule:");
    expect(text).toContain("message 6\n    … 2 more (--all lists them)");
    expect(text).not.toContain("message 7");
    expect(text.split("\n")[1]).toContain("The 5 WARN are for review, not failures.");
  });

  it("--fail-on WARN turns warnings into the failing count; identical specs say so in one line", () => {
    const warn = result([change("response_enum_value_added", "WARN", 1)]);
    expect(formatDiffText(warn, { failOn: "WARN" }).split("\n")[1]).toBe(
      "Result: 1 change at or above --fail-on WARN outside the allow-list: exit 1.",
    );
    expect(formatDiffText(result([]))).toBe(
      "0 changes: 0 ERR (breaking), 0 allowed by the allow-list, 0 WARN (review), 0 INFO: " +
        "nothing a client could notice\n",
    );
  });
});
