// Table-driven request constraint tests for both endpoints: the seed's ranges as JSON Schema keywords, checked
// with Ajv 2020 against the bundled spec (generated/openapi.json). No server needed (TEST_SKIP_MOCK=1 is fine).
import { describe, expect, test } from "vitest";
import { describeErrors, pointers, validate } from "./ajv";

type Body = Record<string, unknown>;

const endpoints = [
  {
    name: "POST /completions",
    schema: "CreateCompletionRequest",
    base: { model: "mistralai/mistral-7b-instruct", prompt: "Hello" } as Body,
    required: ["model", "prompt"],
  },
  {
    name: "POST /chat/completions",
    schema: "CreateChatCompletionRequest",
    base: { model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hello" }] } as Body,
    required: ["model", "messages"],
  },
] as const;

/** Seed fields with a range: values on the boundary are accepted, values just outside are rejected. */
const ranges: { field: string; ok: unknown[]; bad: unknown[]; integer?: boolean }[] = [
  { field: "max_tokens", ok: [1, 2, 128_000], bad: [0, -1], integer: true },
  { field: "temperature", ok: [0, 1, 2], bad: [-0.001, 2.001] },
  { field: "top_p", ok: [1e-9, 0.5, 1], bad: [0, -0.1, 1.001] },
  { field: "top_k", ok: [1, 40, 1_000_000], bad: [0, -1], integer: true },
  { field: "frequency_penalty", ok: [-2, 0, 2], bad: [-2.001, 2.001] },
  { field: "presence_penalty", ok: [-2, 0, 2], bad: [-2.001, 2.001] },
  { field: "repetition_penalty", ok: [1e-9, 1, 2], bad: [0, -1, 2.001] },
  { field: "min_p", ok: [0, 0.5, 1], bad: [-0.001, 1.001] },
  { field: "top_a", ok: [0, 0.5, 1], bad: [-0.001, 1.001] },
  { field: "top_logprobs", ok: [0, 5, 20], bad: [-1, 21], integer: true },
  { field: "seed", ok: [0, -42, 2 ** 40], bad: [], integer: true },
];

/** Values of the wrong JSON type, with the pointer that must fail. */
const wrongTypes: { label: string; patch: Body; pointer: string }[] = [
  { label: "model as number", patch: { model: 42 }, pointer: "/model" },
  { label: "temperature as string", patch: { temperature: "0.7" }, pointer: "/temperature" },
  { label: "max_tokens as string", patch: { max_tokens: "10" }, pointer: "/max_tokens" },
  { label: "stream as string", patch: { stream: "true" }, pointer: "/stream" },
  { label: "seed as boolean", patch: { seed: true }, pointer: "/seed" },
  { label: "user as number", patch: { user: 7 }, pointer: "/user" },
  { label: "models as string", patch: { models: "openai/gpt-4o" }, pointer: "/models" },
  { label: "models item as number", patch: { models: ["a", 1] }, pointer: "/models/1" },
  { label: "transforms as string", patch: { transforms: "middle-out" }, pointer: "/transforms" },
  { label: "logit_bias value as string", patch: { logit_bias: { "50256": "-100" } }, pointer: "/logit_bias/50256" },
  { label: "logit_bias as array", patch: { logit_bias: [1] }, pointer: "/logit_bias" },
  { label: "usage.include as string", patch: { usage: { include: "yes" } }, pointer: "/usage/include" },
  { label: "reasoning.max_tokens as float", patch: { reasoning: { max_tokens: 1.5 } }, pointer: "/reasoning/max_tokens" },
  { label: "reasoning.exclude as string", patch: { reasoning: { exclude: "no" } }, pointer: "/reasoning/exclude" },
  { label: "reasoning.effort outside the enum", patch: { reasoning: { effort: "extreme" } }, pointer: "/reasoning/effort" },
  { label: "provider.sort outside the enum", patch: { provider: { sort: "cheapest" } }, pointer: "/provider/sort" },
  { label: "provider with an unknown key", patch: { provider: { fastest: true } }, pointer: "/provider" },
  { label: "stop with five sequences", patch: { stop: ["a", "b", "c", "d", "e"] }, pointer: "/stop" },
  { label: "stop as number", patch: { stop: 1 }, pointer: "/stop" },
];

/** Values that must be accepted on both endpoints beyond the plain ranges. */
const accepted: { label: string; patch: Body }[] = [
  { label: "unknown top-level keys (passed through to providers)", patch: { safe_prompt: true, raw_mode: false, x_custom: { a: 1 } } },
  { label: "every reasoning effort of the current docs", patch: { reasoning: { effort: "max", exclude: false, max_tokens: 2048, enabled: true } } },
  { label: "reasoning.effort none", patch: { reasoning: { effort: "none" } } },
  { label: "seed's provider.sort string", patch: { provider: { sort: "throughput" } } },
  { label: "provider.sort object and max_price as number and string", patch: { provider: { sort: { by: "price", partition: "none" }, max_price: { prompt: 1, completion: "2.5" } } } },
  { label: "null sampling fields", patch: { temperature: null, top_p: null, max_tokens: null, seed: null } },
  { label: "stop as string, list of four, null", patch: { stop: ["a", "b", "c", "d"] } },
  { label: "deprecated usage and transforms", patch: { usage: { include: true }, transforms: ["middle-out"] } },
  { label: "stream true", patch: { stream: true } },
  { label: "logit_bias map", patch: { logit_bias: { "50256": -100, "13": 2.5 } } },
];

function withPatch(base: Body, patch: Body): Body {
  return { ...base, ...patch };
}

function expectValid(schema: string, body: Body) {
  const r = validate(schema, body);
  expect(r.valid, describeErrors(r.errors)).toBe(true);
}

/** Rejected at the expected pointer, and no error sits off its branch (errors of enclosing nullable `oneOf`
 * wrappers, i.e. at ancestors of the pointer, are expected). */
function expectRejectedAt(schema: string, body: Body, pointer: string) {
  const r = validate(schema, body);
  expect(r.valid).toBe(false);
  const paths = pointers(r.errors);
  expect(paths, describeErrors(r.errors)).toContain(pointer);
  const onBranch = (p: string) => p === pointer || p.startsWith(`${pointer}/`) || pointer.startsWith(`${p}/`);
  for (const p of paths) expect(onBranch(p), `${p} is off ${pointer}\n${describeErrors(r.errors)}`).toBe(true);
}

describe.each(endpoints)("$name request constraints", ({ schema, base, required }) => {
  test("the minimal body is valid", () => expectValid(schema, base));

  describe.each(ranges)("$field", ({ field, ok, bad, integer }) => {
    test.each(ok.map((v) => [v]))("accepts %s", (v) => expectValid(schema, withPatch(base, { [field]: v })));
    if (bad.length) {
      test.each(bad.map((v) => [v]))("rejects %s", (v) => expectRejectedAt(schema, withPatch(base, { [field]: v }), `/${field}`));
    }
    if (integer) test("rejects a non-integer (1.5)", () => expectRejectedAt(schema, withPatch(base, { [field]: 1.5 }), `/${field}`));
  });

  test.each(wrongTypes)("rejects $label", ({ patch, pointer }) => expectRejectedAt(schema, withPatch(base, patch), pointer));

  test.each(accepted)("accepts $label", ({ patch }) => expectValid(schema, withPatch(base, patch)));

  test.each(required.map((f) => [f]))("rejects a body without %s", (field) => {
    const body = { ...base };
    delete body[field];
    const r = validate(schema, body);
    expect(r.valid).toBe(false);
    expect(r.errors.some((e) => e.instancePath === "" && e.keyword === "required" && e.params.missingProperty === field)).toBe(true);
  });

  test("rejects a non-object body", () => {
    expect(validate(schema, [base]).valid).toBe(false);
    expect(validate(schema, "hello").valid).toBe(false);
  });
});

describe("POST /completions legacy fields", () => {
  const schema = "CreateCompletionRequest";
  const base = endpoints[0].base;
  test.each([
    ["a string", "Once upon a time"],
    ["a list of strings", ["a", "b"]],
    ["a token array", [464, 3139, 286]],
    ["a list of token arrays", [[464, 3139], [286]]],
  ])("accepts prompt as %s", (_label, prompt) => expectValid(schema, withPatch(base, { prompt })));
  test.each([
    ["an object", { text: "x" }],
    ["a number", 5],
    ["a mixed array", ["a", 1]],
    ["null", null],
  ])("rejects prompt as %s", (_label, prompt) => expectRejectedAt(schema, withPatch(base, { prompt }), "/prompt"));
  test.each([
    { field: "logprobs", ok: [0, 5], bad: [-1, 6] },
    { field: "best_of", ok: [1, 20], bad: [0, 21] },
    { field: "n", ok: [1, 128], bad: [0, 129] },
  ])("$field range", ({ field, ok, bad }) => {
    for (const v of ok) expectValid(schema, withPatch(base, { [field]: v }));
    for (const v of [...bad, 1.5]) expectRejectedAt(schema, withPatch(base, { [field]: v }), `/${field}`);
  });
  test("accepts suffix and echo", () => expectValid(schema, withPatch(base, { suffix: " end", echo: true })));
  test("rejects chat-style boolean logprobs", () => expectRejectedAt(schema, withPatch(base, { logprobs: true }), "/logprobs"));
});

describe("POST /chat/completions messages", () => {
  const schema = "CreateChatCompletionRequest";
  const base = endpoints[1].base;
  const msgs = (...messages: unknown[]) => withPatch(base, { messages });

  test("rejects an empty messages array", () => expectRejectedAt(schema, msgs(), "/messages"));
  test("rejects messages as a string", () => expectRejectedAt(schema, withPatch(base, { messages: "hi" }), "/messages"));
  test("rejects an unknown role", () => expectRejectedAt(schema, msgs({ role: "robot", content: "beep" }), "/messages/0"));
  test("rejects a message without role", () => expectRejectedAt(schema, msgs({ content: "hi" }), "/messages/0"));
  test("rejects a user message without content", () => expectRejectedAt(schema, msgs({ role: "user" }), "/messages/0"));
  test("rejects numeric content", () => expectRejectedAt(schema, msgs({ role: "user", content: 5 }), "/messages/0"));
  test("rejects a tool message without tool_call_id", () =>
    expectRejectedAt(schema, msgs({ role: "tool", content: "42" }), "/messages/0"));
  test("rejects an unknown content part type", () =>
    expectRejectedAt(schema, msgs({ role: "user", content: [{ type: "hologram", data: "x" }] }), "/messages/0"));
  test("rejects an image part on a system message", () =>
    expectRejectedAt(schema, msgs({ role: "system", content: [{ type: "image_url", image_url: { url: "https://x" } }] }), "/messages/0"));

  test("accepts every seed role with string content", () =>
    expectValid(
      schema,
      msgs(
        { role: "system", content: "s" },
        { role: "developer", content: "d" },
        { role: "user", content: "u" },
        { role: "assistant", content: "a" },
        { role: "tool", content: "t", tool_call_id: "call_1" },
      ),
    ));
  test("accepts an assistant turn with tool calls, reasoning and null content", () =>
    expectValid(
      schema,
      msgs(
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          reasoning: "need the tool",
          tool_calls: [{ id: "call_1", type: "function", function: { name: "get_weather", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "sunny" },
      ),
    ));
  test("accepts every content part type", () =>
    expectValid(
      schema,
      msgs({
        role: "user",
        content: [
          { type: "text", text: "look", cache_control: { type: "ephemeral", ttl: "5m" } },
          { type: "image_url", image_url: { url: "data:image/png;base64,AAAA", detail: "original" } },
          { type: "input_audio", input_audio: { data: "AAAA", format: "mp3" } },
          { type: "video_url", video_url: { url: "https://youtu.be/x" } },
          { type: "input_video", video_url: { url: "https://example.org/v.mp4" } },
          { type: "file", file: { filename: "a.pdf", file_data: "https://example.org/a.pdf" } },
        ],
      }),
    ));
});

describe("POST /chat/completions tools, formats and plugins", () => {
  const schema = "CreateChatCompletionRequest";
  const base = endpoints[1].base;
  test("accepts function, server and shorthand tools with every tool_choice form", () => {
    const tools = [
      { type: "function", function: { name: "get_weather", parameters: { type: "object" } } },
      { type: "openrouter:web_search", parameters: { max_results: 3 } },
      { type: "web_search_preview", search_context_size: "low" },
    ];
    for (const tool_choice of ["auto", "none", "required", { type: "function", function: { name: "get_weather" } }, { type: "openrouter:web_search" }])
      expectValid(schema, withPatch(base, { tools, tool_choice }));
  });
  test("rejects a function name with spaces", () =>
    expectRejectedAt(schema, withPatch(base, { tools: [{ type: "function", function: { name: "get weather" } }] }), "/tools/0"));
  test("rejects an unknown tool_choice string", () => expectRejectedAt(schema, withPatch(base, { tool_choice: "sometimes" }), "/tool_choice"));
  test.each([
    [{ type: "text" }],
    [{ type: "json_object" }],
    [{ type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } }],
    [{ type: "grammar", grammar: "root ::= \"yes\"" }],
    [{ type: "python" }],
  ])("accepts response_format %j", (response_format) => expectValid(schema, withPatch(base, { response_format })));
  test("rejects json_schema without its schema object", () =>
    expectRejectedAt(schema, withPatch(base, { response_format: { type: "json_schema" } }), "/response_format"));
  test("accepts every plugin id", () =>
    expectValid(
      schema,
      withPatch(base, {
        plugins: [
          { id: "web", max_results: 3 },
          { id: "web-fetch" },
          { id: "file-parser", pdf: { engine: "mistral-ocr" } },
          { id: "response-healing" },
          { id: "context-compression" },
          { id: "moderation" },
          { id: "auto-router", allowed_models: ["anthropic/*"] },
          { id: "auto-beta-router" },
          { id: "pareto-router", min_coding_score: 0.5 },
          { id: "fusion", analysis_models: ["a", "b"] },
        ],
      }),
    ));
  test("rejects an unknown plugin id", () => expectRejectedAt(schema, withPatch(base, { plugins: [{ id: "teleport" }] }), "/plugins/0"));
  test("accepts stop_server_tools_when conditions", () =>
    expectValid(schema, withPatch(base, { stop_server_tools_when: [{ type: "step_count_is", step_count: 5 }, { type: "max_cost", max_cost_in_dollars: 0.5 }] })));
});
