// Open enums: values OpenRouter documents as growing are `anyOf: [{type: string, enum: [known]}, {type: string}]`
// (an open union's catch-all member tags itself `{type: string, not: {enum: [known]}}`). Every validator accepts a
// new value; the conformance library reports it as `no_undocumented_values`, info when tolerant, error when strict.
import { registerSchema, validate } from "@hyperjump/json-schema/openapi-3-1";
import { beforeAll, describe, expect, it } from "vitest";
import { validateResponse } from "../../src/conformance/index";
import { escapeToken, getAt } from "../../src/spec/pointer";
import { contract, spec } from "../support/conformance";

const ID = "https://openrouter-contract.invalid/open-enums/openapi.json";
beforeAll(() => registerSchema(structuredClone(spec) as never, ID, "https://spec.openapis.org/oas/3.1/dialect/base"));

const bare = (s: any) => s?.type === "string" && Object.keys(s).every((k) => k === "type" || k === "description");
/** Pointers of every open enum in the bundle, found by shape (no names hard-coded). */
function openEnums(): { pointer: string; known: string[] }[] {
  const out: { pointer: string; known: string[] }[] = [];
  const walk = (v: any, p: string) => {
    if (!v || typeof v !== "object") return;
    if (Array.isArray(v.anyOf)) {
      // The known values are a `…Known` component the branch refs (scripts/normalize-bundle.ts), or inline.
      const resolve = (b: any) => (typeof b?.$ref === "string" ? getAt(spec, b.$ref.slice(1)) : b) as any;
      const k = v.anyOf.map(resolve).find((b: any) => b?.type === "string" && Array.isArray(b.enum));
      if (k && v.anyOf.some(bare)) out.push({ pointer: `#${p}`, known: k.enum });
    }
    for (const [key, x] of Object.entries(v))
      if (key !== "examples" && key !== "example") walk(x, `${p}/${escapeToken(key)}`);
  };
  walk(spec.components.schemas, "/components/schemas");
  return out;
}

const GEN = { id: "gen-1", object: "chat.completion", created: 1, model: "m" };
const chat = (message: unknown) => ({
  ...GEN,
  choices: [{ index: 0, finish_reason: "stop", message: { role: "assistant", content: "x", ...(message as object) } }],
});
const found = (vs: { check: string; severity: string; instancePath: string }[]) =>
  vs.map((v) => [v.check, v.severity, v.instancePath]);

describe("open enums", () => {
  const all = openEnums();

  it("cover the values OpenRouter documents as growing", () => {
    expect(all.map((e) => e.pointer)).toEqual(
      expect.arrayContaining([
        "#/components/schemas/ApiErrorType",
        "#/components/schemas/ReasoningDetailFormat",
        "#/components/schemas/AvailabilityError/properties/code",
        "#/components/schemas/OpenRouterMetadata/properties/pipeline/items/properties/type",
      ]),
    );
    expect(spec.components.schemas.UnknownReasoningDetail.properties.type.not.enum).toEqual([
      "reasoning.summary",
      "reasoning.encrypted",
      "reasoning.text",
      "reasoning.server_tool_call",
    ]);
  });

  it.each(all.map((e) => [e.pointer, e] as const))(
    "%s: Ajv and hyperjump accept known and new values, reject non-strings",
    async (ptr, e) => {
      const ajv = (v: unknown) => contract.validate(ptr, v, { check: "x", location: "" }).length === 0;
      const hj = async (v: unknown) => ((await validate(ID + ptr, v as never)) as { valid: boolean }).valid;
      for (const v of [e.known[0], "a_value_added_later"]) {
        expect(ajv(v), String(v)).toBe(true);
        expect(await hj(v), String(v)).toBe(true);
      }
      expect(ajv(5)).toBe(false);
      expect(await hj(5)).toBe(false);
    },
  );

  it.each([
    [
      "error.metadata.error_type",
      502,
      { error: { code: 502, message: "x", metadata: { error_type: "provider_new_kind" } } },
      "/error/metadata/error_type",
    ],
    [
      "error.error_type",
      404,
      { error: { message: "x", error_type: "not_found_v2", http_status: 404 } },
      "/error/error_type",
    ],
    [
      "availability.code",
      404,
      { error: { message: "x", error_type: "not_found", availability: { code: "maintenance_window" } } },
      "/error/availability/code",
    ],
    [
      "pipeline stage type",
      200,
      {
        ...chat({}),
        openrouter_metadata: {
          requested: "m",
          strategy: "direct",
          attempt: 1,
          endpoints: { total: 1, available: [] },
          pipeline: [{ type: "cache", name: "c" }],
        },
      },
      "/openrouter_metadata/pipeline/0/type",
    ],
    [
      "reasoning format",
      200,
      chat({ reasoning_details: [{ type: "reasoning.text", text: "t", format: "newvendor-v1" }] }),
      "/choices/0/message/reasoning_details/0/format",
    ],
    [
      "reasoning_details type",
      200,
      chat({ reasoning_details: [{ type: "reasoning.image", index: 0 }] }),
      "/choices/0/message/reasoning_details/0/type",
    ],
  ] as const)(
    "an unknown %s is info when tolerant, an error when strict, at its pointer",
    (_n, status, body, pointer) => {
      expect(found(validateResponse("createChatCompletion", status, "application/json", body))).toEqual([
        ["no_undocumented_values", "info", pointer],
      ]);
      expect(
        found(validateResponse("createChatCompletion", status, "application/json", body, { mode: "strict" })),
      ).toEqual([["no_undocumented_values", "error", pointer]]);
    },
  );

  it("a known value produces no finding, and a documented reasoning type with a broken shape is still an error", () => {
    expect(
      validateResponse(
        "createChatCompletion",
        200,
        "application/json",
        chat({ reasoning_details: [{ type: "reasoning.text", text: "t", format: "anthropic-claude-v1" }] }),
        { mode: "strict" },
      ),
    ).toEqual([]);
    const broken = validateResponse(
      "createChatCompletion",
      200,
      "application/json",
      chat({ reasoning_details: [{ type: "reasoning.summary" }] }),
    );
    expect(found(broken)).toEqual([
      ["response_body_schema", "error", "/choices/0/message/reasoning_details/0/summary"],
    ]);
  });

  it("an undocumented field is judged in the union member the value matches, not in the others", () => {
    // ChatCompletionOrError: a chat completion with one extra field reports that field only (not every
    // ChatCompletion field as unknown to ErrorResponse).
    const vs = validateResponse("createChatCompletion", 200, "application/json", { ...chat({}), brand_new: 1 });
    expect(found(vs)).toEqual([["no_undocumented_fields", "info", "/brand_new"]]);
  });
});
