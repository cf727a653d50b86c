// The static rules of the spec live in redocly.yaml, so that `npm run lint` points at the source line that breaks
// one. Each rule is shown to bite here: a temporary copy of openapi/ gets one defect per rule (each in its own
// place), is linted through scripts/redocly.ts with the project's redocly.yaml, and the rule must be reported at
// that file and line.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";

const root = fileURLToPath(new URL("../..", import.meta.url));

interface Defect {
  rule: string;
  /** File under openapi/ to break. */
  file: string;
  /** The first line whose text (without indentation) starts with this is replaced... */
  line: string;
  /** ...by this one (same indentation). */
  by: string;
  /**
   * Where the report must point: the replaced line, or for a missing field the start of the object that lacks it,
   * given as the start of that line's text (the nearest such line at or above the replaced one).
   */
  at?: string;
}

const defects: Defect[] = [
  {
    rule: "operation-description",
    file: "paths/completions.yaml",
    line: "description: |",
    by: "x-doc: |",
    at: "post:",
  },
  {
    rule: "parameter-description",
    file: "components/parameters/XTitle.yaml",
    line: "description: >-",
    by: "x-doc: >-",
    at: "name: X-Title",
  },
  {
    rule: "rule/property-description",
    file: "shared/request-properties.yaml",
    line: "description: 'OpenRouter extension: sample only from the k most likely tokens",
    by: "x-doc: top k",
    at: "type: [integer, 'null']",
  },
  {
    rule: "rule/header-description",
    file: "components/headers/RetryAfter.yaml",
    line: "description: Seconds to wait before retrying; may be sent with 429 and 503.",
    by: "x-doc: seconds",
  },
  {
    rule: "rule/request-body-description",
    file: "paths/chat_completions.yaml",
    line: "description: The conversation, the model and the generation options.",
    by: "x-doc: body",
    at: "required: true",
  },
  {
    rule: "rule/documented-error-responses",
    file: "paths/completions.yaml",
    line: "'524':",
    by: "'525':",
    at: "responses:",
  },
  {
    rule: "rule/error-response-has-body",
    file: "components/responses/Forbidden.yaml",
    line: "content:",
    by: "x-content:",
    at: "description:",
  },
  {
    rule: "rule/error-response-is-json",
    file: "components/responses/NotFound.yaml",
    line: "application/json:",
    by: "text/event-stream:",
  },
  {
    rule: "rule/error-response-schema",
    file: "components/responses/BadGateway.yaml",
    line: "$ref: ../schemas/errors/ErrorResponse.yaml",
    by: "$ref: ../schemas/errors/ErrorObject.yaml",
  },
  {
    rule: "rule/error-response-example",
    file: "components/responses/PayloadTooLarge.yaml",
    line: "examples:",
    by: "x-examples:",
    at: "schema:",
  },
  {
    rule: "rule/retry-after-response-headers",
    file: "components/responses/ServiceUnavailable.yaml",
    line: "headers:",
    by: "x-headers:",
    at: "description:",
  },
  {
    rule: "rule/retry-after-on-429-and-503",
    file: "components/responses/TooManyRequests.yaml",
    line: "Retry-After:",
    by: "Retry-After-Ms:",
    at: "headers:",
  },
  {
    rule: "rule/rate-limit-headers-on-429",
    file: "components/responses/TooManyRequests.yaml",
    line: "X-RateLimit-Reset:",
    by: "X-RateLimit-Resets:",
    at: "headers:",
  },
  {
    rule: "rule/code-sample-label",
    file: "paths/completions.yaml",
    line: "label: fetch (stream)",
    by: "label: Fetch stream",
  },
];

/** `::error title=<rule>,file=<path>,line=<n>,col=<n>::<message>` lines of redocly's github-actions format. */
interface Report {
  rule: string;
  file: string;
  line: number;
  message: string;
}
function lint(...targets: string[]): { reports: Report[]; output: string } {
  const r = spawnSync(
    process.execPath,
    ["--import", "tsx", join(root, "scripts/redocly.ts"), "lint", ...targets, "--format=github-actions"],
    { cwd: root, encoding: "utf8", env: { ...process.env, REDOCLY_TELEMETRY: "off", FORCE_COLOR: "0" } },
  );
  const output = r.stdout + r.stderr;
  const reports = [...output.matchAll(/^::\w+ title=([^,]+),file=([^,]+),line=(\d+),[^:]*::(.*)$/gm)].map((m) => ({
    rule: m[1]!,
    file: m[2]!,
    line: Number(m[3]),
    message: m[4]!,
  }));
  return { reports, output };
}

// Named schemas exist only in a bundle (the source has one file per schema), so that rule is shown on a small one.
const BUNDLE = `openapi: 3.1.0
info: {title: t, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        name: {type: string, description: The name.}
`;

let dir = "";
let result: { reports: Report[]; output: string };
const where = new Map<Defect, { file: string; line: number }>();

beforeAll(() => {
  mkdirSync(join(root, ".tmp"), { recursive: true });
  dir = mkdtempSync(join(root, ".tmp", "lint-rules-"));
  cpSync(join(root, "openapi"), join(dir, "openapi"), { recursive: true });
  for (const d of defects) {
    const path = join(dir, "openapi", d.file);
    const lines = readFileSync(path, "utf8").split("\n");
    const i = lines.findIndex((l) => l.trim().startsWith(d.line));
    if (i < 0) throw new Error(`${d.file}: no line ${d.line}`);
    lines[i] = lines[i]!.replace(/\S.*/, d.by);
    writeFileSync(path, lines.join("\n"));
    let at = i;
    if (d.at) while (at >= 0 && !lines[at]!.trim().startsWith(d.at)) at--;
    if (at < 0) throw new Error(`${d.file}: no line ${d.at} above ${d.line}`);
    where.set(d, { file: relative(root, path), line: at + 1 });
  }
  writeFileSync(join(dir, "bundle.yaml"), BUNDLE);
  result = lint(relative(root, join(dir, "openapi/openapi.yaml")), relative(root, join(dir, "bundle.yaml")));
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("redocly.yaml rules point at the source line they break", () => {
  test.each(defects.map((d) => [d.rule, d] as const))("%s", (rule, d) => {
    const { file, line } = where.get(d)!;
    const got = result.reports.filter((r) => r.rule === rule);
    expect(
      got.map((r) => `${r.file}:${r.line}`),
      result.output,
    ).toContain(`${file}:${line}`);
  });

  test("rule/schema-description (on a bundle, where schemas are named)", () => {
    const file = relative(root, join(dir, "bundle.yaml"));
    const line = BUNDLE.split("\n").indexOf("      type: object") + 1;
    const got = result.reports.filter((r) => r.rule === "rule/schema-description");
    expect(
      got.map((r) => `${r.file}:${r.line}`),
      result.output,
    ).toEqual([`${file}:${line}`]);
  });

  test("nothing else in the copy fails: each report comes from one of the defects", () => {
    const files = new Set([...where.values()].map((w) => w.file));
    // A broken ErrorResponse $ref also makes that response's example invalid; that is the same defect.
    const others = result.reports.filter(
      (r) => !files.has(r.file) && !r.file.endsWith("bundle.yaml") && !r.file.endsWith("examples/ErrorBadGateway.yaml"),
    );
    expect(others, result.output).toEqual([]);
  });
});

describe("redocly.yaml", () => {
  const config = parse(readFileSync(join(root, "redocly.yaml"), "utf8")) as {
    rules: Record<string, { assertions?: { enum?: string[] } }>;
    openapi: { codeSamples: { languages: { lang: string; label?: string }[] } };
  };

  test("the code-sample labels the rule allows are the languages Redoc is configured to show", () => {
    const shown = config.openapi.codeSamples.languages.map((l) => l.label ?? l.lang);
    expect(config.rules["rule/code-sample-label"]?.assertions?.enum).toEqual(shown);
  });
});
