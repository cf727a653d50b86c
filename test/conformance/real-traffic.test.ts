// Real traffic is the judge: every exchange recorded with OpenRouter's live API (`../shared/captures`, 357 from 14
// public projects' test suites; read in place, never copied here) is checked by the conformance library in tolerant
// mode and by an independent validator (@hyperjump/json-schema): no errors, no warnings, and exactly the info
// findings listed below (also listed, with reasons, in src/conformance/README.md). A missing folder fails the suite.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { createParser } from "eventsource-parser";
import { beforeAll, describe, expect, it } from "vitest";
import { captureFiles, readCapture } from "../../src/cli/inputs";
import { checkExchange } from "../../src/conformance/index";
import type { ExchangeRecord, Violation } from "../../src/conformance/types";
import { findMedia, findResponse } from "../../src/spec/operations";
import { contract } from "../support/conformance";
import { CAPTURES_DIR } from "../support/shared-captures";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const CAPTURES = CAPTURES_DIR;

/**
 * The info findings left, as "check field" (field: the instance path with indexes as `*`, a stream chunk's prefix
 * dropped), each with the number of exchanges that show it. Each is a real value the contract names on purpose.
 */
const EXPECTED_INFO: Record<string, number> = {
  // A 2024 Anthropic finish reason before OpenRouter normalised it; the open enum accepts it and says it is new.
  "no_undocumented_values /choices/*/finish_reason": 2,
};

const present = existsSync(CAPTURES);
const files = present ? captureFiles(CAPTURES) : [];
const records: ExchangeRecord[] = [];
const unreadable: string[] = [];
for (const f of files) {
  const r = readCapture(f, CAPTURES);
  if (r.ok === true) records.push(r.record);
  else if (r.ok === false) unreadable.push(r.error);
}

const field = (v: Violation) => v.instancePath.replace(/^\/events\/\d+\/data/, "").replace(/\/\d+(?=\/|$)/g, "/*");

describe("real OpenRouter traffic (../shared/captures)", () => {
  it("the captures folder is there (set OPENROUTER_CAPTURES to move it) and every file reads as an exchange", () => {
    expect(present, `no captures at ${CAPTURES}: put shared/ beside the repository or set OPENROUTER_CAPTURES`).toBe(
      true,
    );
    expect(unreadable).toEqual([]);
    expect(records.length).toBeGreaterThanOrEqual(357);
    expect(records.filter((r) => r.response?.bodyText !== undefined).length).toBeGreaterThanOrEqual(93);
  });

  const results = records.map((r) => ({ id: r.id!, vs: checkExchange(r, { contract }).violations }));

  it("checkExchange (tolerant): no errors and no warnings on any exchange", () => {
    const bad = results.flatMap(({ id, vs }) =>
      vs.filter((v) => v.severity !== "info").map((v) => `${id} ${v.check} ${v.instancePath}: ${v.message}`),
    );
    expect(bad).toEqual([]);
  });

  it("the info findings left are exactly the listed ones, on the listed number of exchanges", () => {
    const seen = new Map<string, Set<string>>();
    for (const { id, vs } of results) {
      for (const v of vs.filter((x) => x.severity === "info")) {
        const key = `${v.check} ${field(v)}`;
        seen.set(key, (seen.get(key) ?? new Set()).add(id));
      }
    }
    const counts = Object.fromEntries([...seen].map(([k, ids]) => [k, ids.size]));
    expect(counts).toEqual(EXPECTED_INFO);
  });

  it("strict mode: the same findings as errors, nothing else (undocumented-but-sent fields are documented)", () => {
    const strict = new Set<string>();
    for (const r of records) {
      for (const v of checkExchange(r, { contract, mode: "strict" }).violations) {
        strict.add(`${v.severity} ${v.check} ${field(v)}`);
      }
    }
    expect([...strict].sort()).toEqual(Object.keys(EXPECTED_INFO).map((k) => `error ${k}`));
  });

  it("src/conformance/README.md lists the same info findings", () => {
    const readme = readFileSync(join(repoRoot, "src", "conformance", "README.md"), "utf8");
    for (const [key, n] of Object.entries(EXPECTED_INFO)) {
      const [check, path] = key.split(" ");
      expect(readme).toContain(`| \`${check}\` | \`${path}\` | ${n} |`);
    }
  });
});

describe("real OpenRouter traffic, independent validator (@hyperjump/json-schema)", () => {
  const ID = "https://openrouter-contract.invalid/real-traffic/openapi.json";
  beforeAll(() => {
    registerSchema(structuredClone(contract.spec) as never, ID, "https://spec.openapis.org/oas/3.1/dialect/base");
  });

  /** [exchange id, what, schema pointer, value] for every request body, JSON response body and stream chunk. */
  function payloads(): [string, string, string, unknown][] {
    const out: [string, string, string, unknown][] = [];
    for (const r of records) {
      const op = contract.match(r.request.method, r.request.url).op!;
      const reqMedia = findMedia(op.request!.content, "application/json")!;
      if (r.request.body !== undefined) out.push([r.id!, "request", reqMedia.schemaPointer!, r.request.body]);
      const res = r.response!;
      const media = findMedia(findResponse(op, res.status)!.content, res.headers?.["content-type"] ?? "")!;
      if (media.kind === "sse") {
        let n = 0;
        const parser = createParser({
          onEvent: (e) => {
            if (e.data !== "[DONE]") out.push([r.id!, `event ${n}`, media.chunkPointer!, JSON.parse(e.data)]);
            n++;
          },
        });
        parser.feed(res.bodyText!);
      } else out.push([r.id!, "response", media.schemaPointer!, res.body]);
    }
    return out;
  }

  it("accepts every request body, JSON response body and stream chunk", async () => {
    const compiled = new Map<string, (v: unknown) => { valid: boolean }>();
    const list = payloads();
    const invalid: string[] = [];
    for (const [id, what, pointer, value] of list) {
      let fn = compiled.get(pointer);
      if (!fn) {
        fn = (await validate(ID + pointer)) as unknown as (v: unknown) => { valid: boolean };
        compiled.set(pointer, fn);
      }
      if (!fn(value).valid) invalid.push(`${id} ${what}`);
    }
    expect(invalid).toEqual([]);
    expect(list.length).toBeGreaterThan(3000);
    // The validator does reject: the same first response body with a broken `choices`.
    const [, , pointer, body] = list.find(([, what]) => what === "response")!;
    expect(compiled.get(pointer)!({ ...(body as object), choices: 5 }).valid).toBe(false);
  }, 60_000);
});
