import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { diffSpecs, parseAllowList, type Change } from "../../src/conformance/index";
import { DIFF_RULES } from "../../src/conformance/diff";

const base = JSON.parse(readFileSync(new URL("./fixtures/specs/base.json", import.meta.url), "utf8"));
type Spec = any;
const S = (h: Spec) => h.components.schemas;
const chat = (h: Spec) => h.paths["/chat/completions"].post;

/** [name, mutation of a copy of base, forward rule+level, reverse (head->base) rule+level or null = no ERR/WARN]. */
const table: [string, (h: Spec) => void, [string, Change["level"]], [string, Change["level"]] | null][] = [
  [
    "operation removed",
    (h) => delete h.paths["/completions"],
    ["operation_removed", "ERR"],
    ["operation_added", "INFO"],
  ],
  [
    "operationId changed",
    (h) => (chat(h).operationId = "chat"),
    ["operation_id_changed", "ERR"],
    ["operation_id_changed", "ERR"],
  ],
  [
    "success status removed",
    (h) => delete chat(h).responses["200"],
    ["success_status_removed", "ERR"],
    ["response_status_added", "WARN"],
  ],
  [
    "media type removed",
    (h) => delete chat(h).responses["200"].content["text/event-stream"],
    ["media_type_removed", "ERR"],
    ["media_type_added", "INFO"],
  ],
  ["security added", (h) => delete h.paths["/completions"].post.security, ["security_added", "ERR"], null],
  [
    "new required property",
    (h) => S(h).ChatRequest.required.push("model"),
    ["request_required_added", "ERR"],
    ["request_required_removed", "INFO"],
  ],
  [
    "null removed from a request type",
    (h) => (S(h).ChatRequest.properties.temperature.type = "number"),
    ["request_type_narrowed", "ERR"],
    ["request_type_widened", "INFO"],
  ],
  [
    "request type narrowed number->integer",
    (h) => (S(h).ChatRequest.properties.temperature.type = ["integer", "null"]),
    ["request_type_narrowed", "ERR"],
    ["request_type_widened", "INFO"],
  ],
  [
    "request enum value removed",
    (h) => (S(h).ChatRequest.properties.tier.enum = ["a"]),
    ["request_enum_value_removed", "ERR"],
    ["request_enum_value_added", "INFO"],
  ],
  [
    "request maximum decreased",
    (h) => (S(h).ChatRequest.properties.temperature.maximum = 1),
    ["request_max_decreased", "ERR"],
    null,
  ],
  [
    "request minItems increased",
    (h) => (S(h).ChatRequest.properties.messages.minItems = 2),
    ["request_min_increased", "ERR"],
    null,
  ],
  [
    "request maxLength decreased inside a oneOf branch",
    (h) => (S(h).User.properties.content.maxLength = 50),
    ["request_max_decreased", "ERR"],
    null,
  ],
  [
    "request pattern added",
    (h) => (S(h).ChatRequest.properties.stop.pattern = "^[a-z]+$"),
    ["request_pattern_changed", "ERR"],
    null,
  ],
  [
    "request const changed",
    (h) => (S(h).System.properties.content.const = "x"),
    ["request_const_changed", "ERR"],
    null,
  ],
  [
    "additionalProperties -> false",
    (h) => (S(h).ChatRequest.additionalProperties = false),
    ["request_additional_properties_closed", "ERR"],
    null,
  ],
  [
    "request oneOf branch removed",
    (h) => {
      S(h).Message.oneOf.pop();
      delete S(h).Message.discriminator.mapping.system;
    },
    ["request_branch_removed", "ERR"],
    ["request_branch_added", "INFO"],
  ],
  [
    "required header parameter added",
    (h) => chat(h).parameters.push({ name: "X-New", in: "header", required: true, schema: { type: "string" } }),
    ["request_parameter_required_added", "ERR"],
    ["request_parameter_removed", "INFO"],
  ],
  [
    "request body became required",
    (h) => (h.paths["/completions"].post.requestBody.required = true),
    ["request_body_became_required", "ERR"],
    null,
  ],
  [
    "response property removed",
    (h) => delete S(h).ChatResponse.properties.created,
    ["response_property_removed", "ERR"],
    ["response_property_added", "INFO"],
  ],
  [
    "response required -> optional",
    (h) => (S(h).ChatResponse.required = ["choices"]),
    ["response_required_removed", "ERR"],
    ["response_required_added", "INFO"],
  ],
  [
    "response type widened (null added)",
    (h) => (S(h).Choice.properties.index.type = ["integer", "null"]),
    ["response_type_widened", "ERR"],
    ["response_type_narrowed", "INFO"],
  ],
  [
    "response const changed",
    (h) => (S(h).Choice.properties.object.const = "chat.completion.v2"),
    ["response_const_changed", "ERR"],
    ["response_const_changed", "ERR"],
  ],
  [
    "response enum value added",
    (h) => S(h).Choice.properties.finish_reason.enum.push("tool_calls"),
    ["response_enum_value_added", "WARN"],
    ["response_enum_value_removed", "INFO"],
  ],
  [
    "response enum value added with x-extensible-enum",
    (h) => {
      const f = S(h).Choice.properties.finish_reason;
      f.enum.push("tool_calls");
      f["x-extensible-enum"] = true;
    },
    ["response_enum_value_added", "INFO"],
    null,
  ],
  [
    "SSE chunk property removed",
    (h) => {
      delete S(h).Chunk.properties.id;
      S(h).Chunk.required = [];
    },
    ["response_property_removed", "ERR"],
    ["response_property_added", "INFO"],
  ],
  [
    "SSE terminator changed",
    (h) => (S(h).ChatStream["x-sse-terminator"] = "[END]"),
    ["sse_terminator_changed", "ERR"],
    ["sse_terminator_changed", "ERR"],
  ],
  [
    "error schema changed (downgraded to WARN)",
    (h) => delete S(h).Error.properties.error.properties.code,
    ["response_property_removed", "WARN"],
    ["response_property_added", "INFO"],
  ],
  [
    "new 4xx status",
    (h) => (chat(h).responses["429"] = chat(h).responses["400"]),
    ["response_status_added", "WARN"],
    ["response_status_removed", "WARN"],
  ],
  [
    "discriminator mapping changed",
    (h) => (S(h).Message.discriminator.mapping.person = "#/components/schemas/User"),
    ["discriminator_mapping_changed", "WARN"],
    ["discriminator_mapping_changed", "WARN"],
  ],
  [
    "response header removed",
    (h) => delete chat(h).responses["200"].headers,
    ["response_header_removed", "WARN"],
    null,
  ],
  [
    "request schema became a union",
    (h) =>
      (S(h).ChatRequest.properties.stop = {
        anyOf: [S(h).ChatRequest.properties.stop, { type: "array", items: { type: "string" } }],
      }),
    ["request_composition_changed", "WARN"],
    ["request_composition_changed", "WARN"],
  ],
  [
    "response schema became a union",
    (h) => (S(h).Choice.properties.index = { anyOf: [S(h).Choice.properties.index, { type: "string" }] }),
    ["response_composition_changed", "WARN"],
    ["response_composition_changed", "WARN"],
  ],
  [
    "optional request property added",
    (h) => (S(h).ChatRequest.properties.seed = { type: "integer" }),
    ["request_property_added", "INFO"],
    ["request_property_removed", "INFO"],
  ],
];

describe("diff rule table (both directions)", () => {
  it("no changes between identical specs", () => {
    expect(diffSpecs(base, structuredClone(base)).changes).toEqual([]);
  });
  // The generator-friendly spellings scripts/generate.ts writes accept exactly the same values: no change either way.
  it.each([
    [
      "a const with its one-value enum",
      (h: Spec) => (S(h).System.properties.role.enum = [S(h).System.properties.role.const]),
    ],
    [
      "a nullable enum as anyOf [enum, null]",
      (h: Spec) => {
        const p = S(h).Choice.properties;
        const { type, enum: values, ...rest } = p.finish_reason;
        p.finish_reason = {
          ...rest,
          anyOf: [
            { type: type.filter((t: string) => t !== "null"), enum: values.filter((v: unknown) => v !== null) },
            { type: "null" },
          ],
        };
      },
    ],
  ])("equivalent spelling: %s", (_name, mutate) => {
    const head = structuredClone(base);
    mutate(head);
    expect(JSON.stringify(head)).not.toBe(JSON.stringify(base));
    expect(diffSpecs(base, head).changes).toEqual([]);
    expect(diffSpecs(head, base).changes).toEqual([]);
  });
  it.each(table)("%s", (_name, mutate, fwd, rev) => {
    const head = structuredClone(base);
    mutate(head);
    const f = diffSpecs(base, head);
    expect(
      f.changes.map((c) => [c.id, c.level]),
      JSON.stringify(f.changes, null, 1),
    ).toContainEqual(fwd);
    const r = diffSpecs(head, base);
    if (rev) expect(r.changes.map((c) => [c.id, c.level])).toContainEqual(rev);
    else expect(r.changes.filter((c) => c.level !== "INFO").map((c) => c.id)).toEqual([]);
  });
  it("covers every rule that has a default level (except doc-level ones)", () => {
    const seen = new Set(table.flatMap(([, , f, r]) => [f[0], r?.[0]]));
    const missing = Object.keys(DIFF_RULES).filter((k) => !seen.has(k));
    // Rules not in the table must be justified here.
    // Covered by the dedicated tests below or by the fixture pair; listed so a new rule without a test fails here.
    expect(missing.sort()).toEqual(
      [
        "discriminator_property_changed",
        "request_enum_added",
        "request_property_removed_closed",
        "response_additional_properties_opened",
        "response_bounds_loosened",
        "response_branch_added",
        "response_branch_removed",
        "response_enum_removed",
        "sse_chunk_schema_removed",
      ].sort(),
    );
  });
  it.each([
    [
      "request enum added",
      (b: Spec): unknown => b,
      (h: Spec) => (S(h).ChatRequest.properties.model.enum = ["x"]),
      ["request_enum_added", "ERR"],
    ],
    [
      "response enum removed",
      (b: Spec) => (S(b).ChatResponse.properties.id.enum = ["a"]),
      (h: Spec) => delete S(h).ChatResponse.properties.id.enum,
      ["response_enum_removed", "ERR"],
    ],
    [
      "response branch added",
      (b: Spec) => (S(b).ChatResponse.properties.extra = { oneOf: [{ type: "string" }, { type: "integer" }] }),
      (h: Spec) =>
        S(h).ChatResponse.properties.extra.oneOf.push({ type: "object", properties: { a: { type: "string" } } }),
      ["response_branch_added", "WARN"],
    ],
    [
      "response branch removed",
      (b: Spec) => (S(b).ChatResponse.properties.extra = { oneOf: [{ type: "string" }, { type: "integer" }] }),
      (h: Spec) => S(h).ChatResponse.properties.extra.oneOf.pop(),
      ["response_branch_removed", "INFO"],
    ],
    [
      "response null branch added",
      (b: Spec) => (S(b).ChatResponse.properties.extra = { anyOf: [{ type: "string" }] }),
      (h: Spec) => S(h).ChatResponse.properties.extra.anyOf.push({ type: "null" }),
      ["response_type_widened", "ERR"],
    ],
    [
      "response additionalProperties opened",
      (b: Spec) => (S(b).ChatResponse.additionalProperties = false),
      (h: Spec) => delete S(h).ChatResponse.additionalProperties,
      ["response_additional_properties_opened", "WARN"],
    ],
    [
      "discriminator property changed",
      (b: Spec): unknown => b,
      (h: Spec) => (S(h).Message.discriminator.propertyName = "kind"),
      ["discriminator_property_changed", "ERR"],
    ],
    [
      "SSE chunk schema removed",
      (b: Spec): unknown => b,
      (h: Spec) => delete S(h).ChatStream.contentSchema,
      ["sse_chunk_schema_removed", "ERR"],
    ],
  ] as [string, (b: Spec) => unknown, (h: Spec) => unknown, [string, Change["level"]]][])("%s", (_n, mb, mh, want) => {
    const b = structuredClone(base);
    mb(b);
    const h = structuredClone(b);
    mh(h);
    expect(diffSpecs(b, h).changes.map((c) => [c.id, c.level])).toContainEqual(want);
  });
  it("a response bound loosened is WARN (and tightening it is not reported)", () => {
    const b = structuredClone(base);
    S(b).Chunk.properties.usage.properties.total_tokens.maximum = 5;
    expect(diffSpecs(b, base).changes.map((c) => [c.id, c.level])).toContainEqual(["response_bounds_loosened", "WARN"]);
    expect(diffSpecs(base, b).changes).toEqual([]);
  });
  it("removing a property while additionalProperties is false is ERR", () => {
    const b = structuredClone(base);
    b.components.schemas.ChatRequest.additionalProperties = false;
    const h = structuredClone(b);
    delete h.components.schemas.ChatRequest.properties.stop;
    expect(diffSpecs(b, h).changes.map((c) => [c.id, c.level])).toContainEqual([
      "request_property_removed_closed",
      "ERR",
    ]);
  });
  it("the v1 -> v2 fixture (base.json -> head-breaking.json) reports all four breaking changes", () => {
    const head = JSON.parse(readFileSync(new URL("./fixtures/specs/head-breaking.json", import.meta.url), "utf8"));
    const ids = diffSpecs(base, head)
      .changes.filter((c) => c.level === "ERR" || c.level === "WARN")
      .map((c) => c.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "request_required_added",
        "request_enum_value_removed",
        "request_type_narrowed",
        "response_status_removed",
      ]),
    );
  });
  it("allow-list entries with reasons mark changes as allowed", () => {
    const head = structuredClone(base);
    S(head).ChatRequest.required.push("model");
    const allow = parseAllowList(
      "# comment\nPOST /chat/completions request_required_added -- model is mandatory upstream since 2026-08\n",
    );
    const r = diffSpecs(base, head, { allow });
    expect(r.summary.ERR).toBe(0);
    expect(r.summary.allowed).toBe(1);
    expect(r.changes.find((c) => c.id === "request_required_added")!.allowed).toMatch(/mandatory/);
  });
  it("allow-list lines without a reason or with unknown rules are rejected", () => {
    expect(() => parseAllowList("POST /chat/completions request_required_added\n")).toThrow(/reason/);
    expect(() => parseAllowList("POST /x not_a_rule -- because\n")).toThrow(/unknown rule/);
  });
  it("the real bundle diffs clean against itself and handles its recursion", () => {
    const real = JSON.parse(readFileSync(new URL("../../generated/openapi.json", import.meta.url), "utf8"));
    expect(diffSpecs(real, structuredClone(real)).changes).toEqual([]);
  });
});
