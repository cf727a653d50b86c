// The capture corpus: OpenRouter payloads reconstructed from public, cited material (see README.md here). Each one
// is checked with the conformance library (tolerant mode, as real traffic is read) and with the independent
// validator of the differential test (@hyperjump/json-schema), against the bundled spec. A payload is accepted,
// or it carries `expect: "invalid"` with a reason and both validators must reject it.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, describe, expect, it } from "vitest";
import { findMedia, findResponse } from "../../src/spec/operations";
import { checkStream, validateRequest, validateResponse } from "../../src/conformance/index";
import { contract, sseBlocks } from "../support/conformance";
import { missingFrom, shapeOf, streamShape } from "../support/shapes";
import { loadSharedCaptures } from "../support/shared-captures";

const here = dirname(fileURLToPath(import.meta.url));
const KINDS = ["requests", "responses", "errors", "streams"] as const;

interface Source {
  /** `verbatim`: the payload exactly as the source gives it; `reconstructed`: built from a partial description. */
  fidelity: "verbatim" | "reconstructed";
  source: string;
  date: string;
  shows: string;
  verbatim: string;
  completed: string | null;
  via?: string;
}
interface Capture {
  file: string;
  _source: Source;
  operation: string;
  kind: "request" | "response";
  status?: number;
  contentType?: string;
  expect: "valid" | "invalid";
  reason?: string;
  body?: unknown;
  sse?: string;
}

function load(): Capture[] {
  const out: Capture[] = [];
  for (const kind of KINDS) {
    for (const name of readdirSync(join(here, kind)).sort()) {
      const path = join(here, kind, name);
      if (name.endsWith(".sse")) {
        const meta = JSON.parse(readFileSync(path.replace(/\.sse$/, ".meta.json"), "utf8"));
        out.push({ ...meta, file: relative(here, path), sse: readFileSync(path, "utf8") });
      } else if (name.endsWith(".json") && !name.endsWith(".meta.json")) {
        out.push({ ...JSON.parse(readFileSync(path, "utf8")), file: relative(here, path) });
      }
    }
  }
  return out;
}

const captures = load();

const ID = "https://openrouter-contract.invalid/corpus/openapi.json";
beforeAll(() => {
  registerSchema(structuredClone(contract.spec) as never, ID, "https://spec.openapis.org/oas/3.1/dialect/base");
});

/** Pointer and values to give the independent validator: the request or response schema, or every stream event. */
function targets(c: Capture): [string, unknown][] {
  const op = contract.operation(c.operation)!;
  if (c.kind === "request") return [[findMedia(op.request!.content, "application/json")!.schemaPointer!, c.body]];
  const media = findMedia(findResponse(op, c.status!)!.content, c.contentType!)!;
  if (media.kind !== "sse") return [[media.schemaPointer!, c.body]];
  return sseBlocks(c.sse!)
    .filter((b) => b.startsWith("data:") && !b.startsWith("data: [DONE]"))
    .map((b) => [media.chunkPointer!, JSON.parse(b.slice(5))]);
}

function library(c: Capture) {
  if (c.kind === "request") return validateRequest(c.operation, c.body);
  if (c.sse !== undefined) return checkStream(c.operation, c.sse);
  return validateResponse(c.operation, c.status!, c.contentType!, c.body);
}

describe("capture corpus", () => {
  it("has at least 40 captures, each citing its source and saying what it shows and what was completed", () => {
    expect(captures.length).toBeGreaterThanOrEqual(40);
    for (const c of captures) {
      const s = c._source;
      expect(s, c.file).toBeTruthy();
      for (const k of ["source", "date", "shows", "verbatim"] as const)
        expect(typeof s[k] === "string" && s[k].length > 3, `${c.file} _source.${k}`).toBe(true);
      expect(["verbatim", "reconstructed"], `${c.file} _source.fidelity`).toContain(s.fidelity);
      // Verbatim means nothing was filled in; a reconstruction says what was.
      if (s.fidelity === "verbatim") expect(s.completed, `${c.file}: verbatim, so completed is null`).toBeNull();
      else expect((s.completed ?? "").length, `${c.file}: say what was completed`).toBeGreaterThan(3);
      expect(["valid", "invalid"]).toContain(c.expect);
      if (c.expect === "invalid") expect((c.reason ?? "").length, `${c.file} needs a reason`).toBeGreaterThan(20);
      expect(contract.operation(c.operation), c.file).toBeTruthy();
    }
  });

  it("the README's Faithfulness section states the current counts", () => {
    const readme = readFileSync(join(here, "../../README.md"), "utf8").replace(/\s+/g, " ");
    const valid = captures.filter((c) => c.expect === "valid").length;
    expect(readme).toContain(`**${captures.length} captures**`);
    expect(readme).toContain(`**${valid} are accepted**`);
    expect(readme).toContain(`**${captures.length - valid} are rejected on purpose**`);
    const verbatim = captures.filter((c) => c._source.fidelity === "verbatim").length;
    expect(readme).toContain(`**${verbatim} verbatim**`);
    expect(readme).toContain(`**${captures.length - verbatim} reconstructed**`);
  });

  it("keeps no accepted reconstruction whose shape a real capture in ../shared/captures already shows", () => {
    const real = loadSharedCaptures();
    const covering = (c: Capture) => {
      const mine = c.sse !== undefined ? streamShape(c.sse) : shapeOf(c.body);
      return real.find(({ capture: r }) => {
        if (c.kind === "request") return missingFrom(mine, shapeOf(r.request.body)).length === 0;
        if ((c.sse !== undefined) !== (r.response.sse !== undefined) || r.response.status !== c.status) return false;
        const theirs = r.response.sse !== undefined ? streamShape(r.response.sse) : shapeOf(r.response.body);
        return missingFrom(mine, theirs).length === 0;
      })?.name;
    };
    // Same shape = every typed JSON pointer of the file (indices as *) occurs in one real exchange of the same kind
    // (request; or response with the same status, JSON or stream). The real-traffic suite checks those exchanges.
    // Only chat files can be covered (no /completions traffic was recorded); rejections on purpose stay.
    const redundant = captures
      .filter((c) => c._source.fidelity === "reconstructed" && c.expect === "valid")
      .filter((c) => c.operation === "createChatCompletion")
      .map((c) => [c.file, covering(c)])
      .filter(([, by]) => by);
    expect(redundant).toEqual([]);
  });

  it.each(captures.map((c) => [c.file, c] as const))("%s", async (_f, c) => {
    const findings = library(c).filter((v) => v.severity === "error" || v.severity === "warning");
    const hj = await Promise.all(
      targets(c).map(async ([ptr, v]) => ((await validate(ID + ptr, v as never)) as { valid: boolean }).valid),
    );
    if (c.expect === "valid") {
      expect(findings, c.file).toEqual([]);
      expect(hj.every(Boolean), `${c.file}: hyperjump`).toBe(true);
    } else {
      expect(findings.length, `${c.file}: conformance library must reject it`).toBeGreaterThan(0);
      expect(
        hj.some((x) => !x),
        `${c.file}: hyperjump must reject it`,
      ).toBe(true);
    }
  });
});
