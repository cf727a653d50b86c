// Hostile input for the CLI: many distinct findings, git refs that look like options, a reader that closes the pipe,
// specs with $ref cycles, and the shape of its messages.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { exampleExchanges, runCli as run } from "../support/conformance";
import { tinySpec } from "../support/tiny-spec";

const root = fileURLToPath(new URL("../..", import.meta.url));
let dir: string;

const chatJson = () =>
  exampleExchanges().find(
    (e) => e.request.url.endsWith("/chat/completions") && e.response!.status === 200 && e.response!.body !== undefined,
  )!;

/** n records, each with its own undocumented response field (or, `badIndex`, a bad choice index). */
function distinctFindings(file: string, n: number, badIndex = false) {
  const base = JSON.stringify(chatJson());
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = JSON.parse(base);
    r.id = `rec-${i}`;
    if (badIndex) r.response.body.choices[0].index = `i${i}`;
    else r.response.body[`x_field_${i}`] = i;
    lines.push(JSON.stringify(r));
  }
  writeFileSync(file, `${lines.join("\n")}\n`);
}

function cyclicSpec(file: string) {
  writeFileSync(
    file,
    JSON.stringify(
      tinySpec({
        requestSchema: { $ref: "#/components/schemas/A" },
        schemas: { A: { $ref: "#/components/schemas/B" }, B: { $ref: "#/components/schemas/A" } },
      }),
    ),
  );
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "orc-hostile-cli-"));
  distinctFindings(join(dir, "d1.jsonl"), 200);
  distinctFindings(join(dir, "d4.jsonl"), 800);
  distinctFindings(join(dir, "idx.jsonl"), 20, true);
  cyclicSpec(join(dir, "cyclic.json"));
  writeFileSync(join(dir, "body.json"), "{}");
  writeFileSync(join(dir, "hot.json"), JSON.stringify({ model: "m", prompt: "p", temperature: 3 }));
});

describe("check keeps bounded detail for distinct findings", () => {
  it("groups by check and schema path: 4x records with distinct fields give the same groups, not 4x", async () => {
    const a = JSON.parse(
      (await run("check", join(dir, "d1.jsonl"), "--format", "json", "--strict", "--max-violations", "50")).out,
    );
    const b = JSON.parse(
      (await run("check", join(dir, "d4.jsonl"), "--format", "json", "--strict", "--max-violations", "50")).out,
    );
    expect(b.summary.exchanges).toBe(800);
    expect(b.summary.violations).toBe(800);
    expect(a.groups.length).toBe(1);
    expect(b.groups.length).toBe(1);
    const undocumented = b.groups[0];
    expect(undocumented).toMatchObject({
      check: "no_undocumented_fields",
      count: 800,
      exchanges: 800,
      otherPaths: 795,
    });
    expect(undocumented.instancePaths).toEqual(["/x_field_0", "/x_field_1", "/x_field_2", "/x_field_3", "/x_field_4"]);
    expect(b.violations).toHaveLength(50);
    const text = (await run("check", join(dir, "d4.jsonl"), "--strict")).out;
    expect(text.split("\n").length).toBeLessThan(20);
    expect(text).toContain("(+795 at other paths)");
  });
});

describe("diff reads git refs safely", () => {
  it("a ref that looks like an option is refused and writes nothing", async () => {
    const target = join(dir, "pwned.txt");
    // git show "--output=<target>:y" would write the file "<target>:y".
    const r = await run("diff", `git:--output=${target}:y`, "generated/openapi.json");
    expect(r.code).toBe(2);
    expect(r.err).toContain("bad git ref");
    expect(existsSync(`${target}:y`)).toBe(false);
  });
  it("ordinary refs still work", async () => {
    const r = await run("diff", "git:HEAD:generated/openapi.json", "generated/openapi.json");
    expect(r.err).toBe("");
    expect([0, 1]).toContain(r.code);
  });
});

describe("a reader that closes the pipe early", () => {
  it("check … | head -c100 exits quietly with the command's own exit code", () => {
    const cli = `"${process.execPath}" --import tsx src/cli/main.ts`;
    const check = `${cli} check "${join(dir, "d4.jsonl")}" --format json --strict`;
    const err = join(dir, "epipe.err");
    const pipe = `${check} 2>"${err}" | head -c100 >/dev/null`;
    const cmd = `set -o pipefail; ${pipe}; echo "rc=\${PIPESTATUS[0]}"; cat "${err}"`;
    const r = spawnSync("bash", ["-c", cmd], { cwd: root, encoding: "utf8", timeout: 60_000 });
    expect(r.stdout).toMatch(/^rc=1\n/); // 1: the findings, as without the pipe
    expect(r.stdout).not.toMatch(/EPIPE|Error|internal error/);
  });
});

describe("hostile --spec", () => {
  it("a $ref cycle is a usage error naming the cycle (validate and check)", async () => {
    const v = await run("validate", "x", "request", join(dir, "body.json"), "--spec", join(dir, "cyclic.json"));
    expect(v.code).toBe(2);
    const cycle = "#/components/schemas/A -> #/components/schemas/B -> #/components/schemas/A";
    expect(v.err).toMatch(new RegExp(`invalid spec .*cyclic\\.json: \\$ref cycle: ${cycle}`));
    expect(v.err).not.toContain("internal error");
    const c = await run("check", join(dir, "d1.jsonl"), "--spec", join(dir, "cyclic.json"));
    expect(c.code).toBe(2);
    expect(c.err).toContain("$ref cycle");
  });
});

describe("catastrophic patterns in a user's spec", () => {
  it("are named in a warning when the spec is loaded (validation uses backtracking regular expressions)", async () => {
    const file = join(dir, "redos.json");
    writeFileSync(
      file,
      JSON.stringify(
        tinySpec({
          requestSchema: {
            type: "object",
            properties: {
              s: { type: "string", pattern: "^(a+)+$" },
              ok: { type: "string", pattern: "^[a-z]+$" },
            },
          },
        }),
      ),
    );
    writeFileSync(join(dir, "short.json"), JSON.stringify({ s: "aaab" }));
    const r = await run("validate", "x", "request", join(dir, "short.json"), "--spec", file);
    expect(r.err).toContain(
      'pattern "^(a+)+$" at #/paths/~1x/post/requestBody/content/application~1json/schema/properties/s/pattern',
    );
    expect(r.err).not.toContain("^[a-z]+$");
    expect(r.code).toBe(1);
  });
});

describe("messages name the field once", () => {
  it("validate prints `/temperature: must be <= 2`, not the pointer twice", async () => {
    const r = await run("validate", "createCompletion", "request", join(dir, "hot.json"));
    expect(r.code).toBe(1);
    expect(r.out).toContain("/temperature: must be <= 2");
    expect(r.out).not.toContain("/temperature: /temperature");
  });
  it("the check report does not repeat it either", async () => {
    const r = await run("check", join(dir, "idx.jsonl"));
    expect(r.out).toMatch(/\/choices\/\*\/index: must be integer/);
  });
});
