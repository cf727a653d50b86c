// Table-driven request constraint tests for both endpoints: the seed's ranges as JSON Schema keywords, checked
// with Ajv 2020 against the bundled spec (generated/openapi.json). No server needed (TEST_SKIP_MOCK=1 is fine).
import { describe, expect, test } from "vitest";
import { describeErrors, pointers, validate } from "../support/ajv";

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
  {
    label: "reasoning.max_tokens as float",
    patch: { reasoning: { max_tokens: 1.5 } },
    pointer: "/reasoning/max_tokens",
  },
  { label: "reasoning.exclude as string", patch: { reasoning: { exclude: "no" } }, pointer: "/reasoning/exclude" },
  {
    label: "reasoning.effort outside the enum",
    patch: { reasoning: { effort: "extreme" } },
    pointer: "/reasoning/effort",
  },
  { label: "provider.sort outside the enum", patch: { provider: { sort: "cheapest" } }, pointer: "/provider/sort" },
  { label: "provider with an unknown key", patch: { provider: { fastest: true } }, pointer: "/provider" },
  { label: "stop with five sequences", patch: { stop: ["a", "b", "c", "d", "e"] }, pointer: "/stop" },
  { label: "stop as number", patch: { stop: 1 }, pointer: "/stop" },
];

/** Values that must be accepted on both endpoints beyond the plain ranges. */
const accepted: { label: string; patch: Body }[] = [
  {
    label: "unknown top-level keys (passed through to providers)",
    patch: { safe_prompt: true, raw_mode: false, x_custom: { a: 1 } },
  },
  {
    label: "every reasoning effort of the current docs",
    patch: { reasoning: { effort: "max", exclude: false, max_tokens: 2048, enabled: true } },
  },
  { label: "reasoning.effort none", patch: { reasoning: { effort: "none" } } },
  { label: "seed's provider.sort string", patch: { provider: { sort: "throughput" } } },
  {
    label: "provider.sort object and max_price as number and string",
    patch: { provider: { sort: { by: "price", partition: "none" }, max_price: { prompt: 1, completion: "2.5" } } },
  },
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
      test.each(bad.map((v) => [v]))("rejects %s", (v) =>
        expectRejectedAt(schema, withPatch(base, { [field]: v }), `/${field}`),
      );
    }
    if (integer)
      test("rejects a non-integer (1.5)", () =>
        expectRejectedAt(schema, withPatch(base, { [field]: 1.5 }), `/${field}`));
  });

  test.each(wrongTypes)("rejects $label", ({ patch, pointer }) =>
    expectRejectedAt(schema, withPatch(base, patch), pointer),
  );

  test.each(accepted)("accepts $label", ({ patch }) => expectValid(schema, withPatch(base, patch)));

  test.each(required.map((f) => [f]))("rejects a body without %s", (field) => {
    const body = { ...base };
    delete body[field];
    const r = validate(schema, body);
    expect(r.valid).toBe(false);
    expect(
      r.errors.some((e) => e.instancePath === "" && e.keyword === "required" && e.params.missingProperty === field),
    ).toBe(true);
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
  test("rejects chat-style boolean logprobs", () =>
    expectRejectedAt(schema, withPatch(base, { logprobs: true }), "/logprobs"));
});

describe("POST /chat/completions messages", () => {
  const schema = "CreateChatCompletionRequest";
  const base = endpoints[1].base;
  const msgs = (...messages: unknown[]) => withPatch(base, { messages });

  test("rejects an empty messages array", () => expectRejectedAt(schema, msgs(), "/messages"));
  test("rejects messages as a string", () =>
    expectRejectedAt(schema, withPatch(base, { messages: "hi" }), "/messages"));
  test("rejects an unknown role", () =>
    expectRejectedAt(schema, msgs({ role: "robot", content: "beep" }), "/messages/0"));
  test("rejects a message without role", () => expectRejectedAt(schema, msgs({ content: "hi" }), "/messages/0"));
  test("rejects a user message without content", () => expectRejectedAt(schema, msgs({ role: "user" }), "/messages/0"));
  test("rejects numeric content", () => expectRejectedAt(schema, msgs({ role: "user", content: 5 }), "/messages/0"));
  test("rejects a tool message without tool_call_id", () =>
    expectRejectedAt(schema, msgs({ role: "tool", content: "42" }), "/messages/0"));
  test("rejects an unknown content part type", () =>
    expectRejectedAt(schema, msgs({ role: "user", content: [{ type: "hologram", data: "x" }] }), "/messages/0"));
  test("rejects an image part on a system message", () =>
    expectRejectedAt(
      schema,
      msgs({ role: "system", content: [{ type: "image_url", image_url: { url: "https://x" } }] }),
      "/messages/0",
    ));

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
  test("accepts an echoed assistant turn with reasoning_content, annotations and null tool arguments", () =>
    expectValid(
      schema,
      msgs(
        { role: "user", content: "who won?" },
        {
          role: "assistant",
          content: "Team A.",
          reasoning_content: "the search says Team A",
          annotations: [{ type: "url_citation", url_citation: { url: "https://example.com/r", title: "Report" } }],
          tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: null } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "ok" },
      ),
    ));
  test("rejects a non-string reasoning_content and a non-array annotations on an assistant turn", () => {
    expectRejectedAt(schema, msgs({ role: "assistant", content: "a", reasoning_content: 5 }), "/messages/0");
    expectRejectedAt(schema, msgs({ role: "assistant", content: "a", annotations: "x" }), "/messages/0");
  });
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
    for (const tool_choice of [
      "auto",
      "none",
      "required",
      { type: "function", function: { name: "get_weather" } },
      { type: "openrouter:web_search" },
    ])
      expectValid(schema, withPatch(base, { tools, tool_choice }));
  });
  // OpenRouter's spec sets only a length limit on function names (no character pattern).
  test("rejects a function name over 64 characters", () =>
    expectRejectedAt(
      schema,
      withPatch(base, { tools: [{ type: "function", function: { name: "f".repeat(65) } }] }),
      "/tools/0",
    ));
  test("rejects an unknown tool_choice string", () =>
    expectRejectedAt(schema, withPatch(base, { tool_choice: "sometimes" }), "/tool_choice"));
  test.each([
    [{ type: "text" }],
    [{ type: "json_object" }],
    [{ type: "json_schema", json_schema: { name: "answer", schema: { type: "object" }, strict: true } }],
    [{ type: "grammar", grammar: 'root ::= "yes"' }],
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
  test("rejects an unknown plugin id", () =>
    expectRejectedAt(schema, withPatch(base, { plugins: [{ id: "teleport" }] }), "/plugins/0"));
  test("accepts stop_server_tools_when conditions", () =>
    expectValid(
      schema,
      withPatch(base, {
        stop_server_tools_when: [
          { type: "step_count_is", step_count: 5 },
          { type: "max_cost", max_cost_in_dollars: 0.5 },
        ],
      }),
    ));
});

describe("POST /chat/completions server tools", () => {
  const schema = "CreateChatCompletionRequest";
  const base = endpoints[1].base;
  const withTools = (...tools: unknown[]) => withPatch(base, { tools });

  /** Like expectRejectedAt (with the failing keyword), but also allows errors at the `type` tag of an enclosing
   * object, e.g. `/tools/0/type`: that is where the non-matching branches of the `Tool`/`ServerTool` anyOf (or of a
   * nested tagged oneOf) report themselves, since each branch has its own `const` type. */
  function expectToolRejectedAt(body: Body, pointer: string, keyword: string) {
    const r = validate(schema, body);
    expect(r.valid).toBe(false);
    const hit = r.errors.filter((e) => e.instancePath === pointer);
    expect(
      hit.map((e) => e.keyword),
      describeErrors(r.errors),
    ).toContain(keyword);
    const isAncestor = (p: string) => pointer.startsWith(`${p}/`);
    const onBranch = (p: string) =>
      p === pointer ||
      p.startsWith(`${pointer}/`) ||
      isAncestor(p) ||
      (p.endsWith("/type") && isAncestor(p.slice(0, -"/type".length)));
    for (const p of pointers(r.errors))
      expect(onBranch(p), `${p} is off ${pointer}\n${describeErrors(r.errors)}`).toBe(true);
  }

  test.each([
    [
      "advisor",
      {
        type: "openrouter:advisor",
        parameters: {
          model: "anthropic/claude-opus-4",
          name: "Senior reviewer_1",
          instructions: "Be brief.",
          forward_transcript: true,
          max_completion_tokens: 2000,
          reasoning: { effort: "high", max_tokens: 4096 },
          stream: false,
          temperature: 0.2,
        },
      },
    ],
    [
      "bash with a new container",
      {
        type: "openrouter:bash",
        parameters: { engine: "openrouter", environment: { type: "container_auto" }, sleep_after_seconds: 2_592_000 },
      },
    ],
    [
      "bash with a container reference",
      {
        type: "openrouter:bash",
        parameters: { engine: "auto", environment: { type: "container_reference", container_id: "ctr_ABC-123" } },
      },
    ],
    ["datetime", { type: "openrouter:datetime", parameters: { timezone: "Europe/Berlin" } }],
    ["files without parameters", { type: "openrouter:files" }],
    [
      "fusion",
      {
        type: "openrouter:fusion",
        parameters: {
          analysis_models: ["a/1", "b/2"],
          model: "c/3",
          max_tool_calls: 16,
          max_completion_tokens: 16000,
          reasoning: { effort: "low" },
          temperature: 0.5,
          tools: [{ type: "openrouter:web_search" }],
          cache_control: { type: "ephemeral" },
        },
      },
    ],
    [
      "image generation with image_config keys",
      {
        type: "openrouter:image_generation",
        parameters: { model: "openai/gpt-5-image", aspect_ratio: "16:9", quality: "high" },
      },
    ],
    ["model search", { type: "openrouter:experimental__search_models", parameters: { max_results: 20 } }],
    [
      "subagent with server tools",
      {
        type: "openrouter:subagent",
        parameters: {
          model: "openai/gpt-4o-mini",
          name: "researcher",
          instructions: "Dig.",
          max_completion_tokens: 1000,
          max_tool_calls: 25,
          reasoning: { max_tokens: 2048 },
          temperature: 1,
          tools: [{ type: "openrouter:web_fetch", parameters: { max_uses: 3 } }],
          inherit_functions: true,
          inherited_function_names: ["get_weather"],
        },
      },
    ],
    [
      "web fetch",
      {
        type: "openrouter:web_fetch",
        parameters: {
          engine: "firecrawl",
          allowed_domains: ["example.org"],
          blocked_domains: ["example.com"],
          max_content_tokens: 5000,
          max_uses: 2,
        },
      },
    ],
    [
      "web search",
      {
        type: "openrouter:web_search",
        parameters: {
          engine: "exa",
          mode: "deep",
          max_results: 10,
          max_total_results: 30,
          max_uses: 3,
          max_characters: 100_000,
          search_context_size: "high",
          user_location: { type: "approximate", city: "Berlin", country: "DE" },
        },
      },
    ],
    [
      "a config with an undocumented key (configs are open)",
      { type: "openrouter:datetime", parameters: { timezone: "UTC", locale: "de-DE" } },
    ],
    [
      "an undocumented openrouter:* type with free-form parameters",
      { type: "openrouter:shell", parameters: { anything: [1, 2] } },
    ],
  ])("accepts %s", (_label, tool) => expectValid(schema, withTools(tool)));

  test("accepts two server tools with tool_choice naming one of them", () => {
    const body = withTools(
      { type: "openrouter:web_search", parameters: { max_results: 3 } },
      { type: "openrouter:datetime" },
    );
    for (const tool_choice of [
      { type: "openrouter:datetime" },
      { type: "openrouter:web_search" },
      { type: "web_search" },
      { type: "openrouter:apply_patch" },
    ])
      expectValid(schema, { ...body, tool_choice });
  });
  test("rejects a tool_choice type that is neither a function, a shorthand nor openrouter:*", () =>
    expectRejectedAt(schema, withPatch(base, { tool_choice: { type: "code_interpreter" } }), "/tool_choice"));

  test.each([
    [
      "model search max_results above 20",
      { type: "openrouter:experimental__search_models", parameters: { max_results: 21 } },
      "/tools/0/parameters/max_results",
      "maximum",
    ],
    [
      "bash sleep_after_seconds above 30 days",
      { type: "openrouter:bash", parameters: { sleep_after_seconds: 2_592_001 } },
      "/tools/0/parameters/sleep_after_seconds",
      "maximum",
    ],
    [
      "bash engine outside the enum",
      { type: "openrouter:bash", parameters: { engine: "docker" } },
      "/tools/0/parameters/engine",
      "enum",
    ],
    [
      "bash container_id longer than 20",
      {
        type: "openrouter:bash",
        parameters: { environment: { type: "container_reference", container_id: "x".repeat(21) } },
      },
      "/tools/0/parameters/environment/container_id",
      "maxLength",
    ],
    [
      "bash container_id with a dot",
      { type: "openrouter:bash", parameters: { environment: { type: "container_reference", container_id: "a.b" } } },
      "/tools/0/parameters/environment/container_id",
      "pattern",
    ],
    [
      "advisor name longer than 64",
      { type: "openrouter:advisor", parameters: { name: "a".repeat(65) } },
      "/tools/0/parameters/name",
      "maxLength",
    ],
    [
      "advisor name with a slash",
      { type: "openrouter:advisor", parameters: { name: "a/b" } },
      "/tools/0/parameters/name",
      "pattern",
    ],
    [
      "advisor empty name",
      { type: "openrouter:advisor", parameters: { name: "" } },
      "/tools/0/parameters/name",
      "minLength",
    ],
    [
      "fusion without analysis models",
      { type: "openrouter:fusion", parameters: { analysis_models: [] } },
      "/tools/0/parameters/analysis_models",
      "minItems",
    ],
    [
      "fusion with nine analysis models",
      { type: "openrouter:fusion", parameters: { analysis_models: Array.from({ length: 9 }, (_, i) => `m/${i}`) } },
      "/tools/0/parameters/analysis_models",
      "maxItems",
    ],
    [
      "fusion max_tool_calls 17",
      { type: "openrouter:fusion", parameters: { max_tool_calls: 17 } },
      "/tools/0/parameters/max_tool_calls",
      "maximum",
    ],
    [
      "fusion max_tool_calls 0",
      { type: "openrouter:fusion", parameters: { max_tool_calls: 0 } },
      "/tools/0/parameters/max_tool_calls",
      "minimum",
    ],
    [
      "subagent max_tool_calls 26",
      { type: "openrouter:subagent", parameters: { max_tool_calls: 26 } },
      "/tools/0/parameters/max_tool_calls",
      "maximum",
    ],
    [
      "web fetch engine outside the enum",
      { type: "openrouter:web_fetch", parameters: { engine: "curl" } },
      "/tools/0/parameters/engine",
      "enum",
    ],
    [
      "web search max_characters above 100,000",
      { type: "openrouter:web_search", parameters: { max_characters: 100_001 } },
      "/tools/0/parameters/max_characters",
      "maximum",
    ],
    [
      "web search search_context_size outside the enum",
      { type: "openrouter:web_search", parameters: { search_context_size: "huge" } },
      "/tools/0/parameters/search_context_size",
      "enum",
    ],
    [
      "datetime timezone as a number",
      { type: "openrouter:datetime", parameters: { timezone: 1 } },
      "/tools/0/parameters/timezone",
      "type",
    ],
  ])("rejects %s", (_label, tool, pointer, keyword) => expectToolRejectedAt(withTools(tool), pointer, keyword));

  test("rejects a nested fusion/subagent tool without a type (nested tools are checked only for their type)", () => {
    expectToolRejectedAt(
      withTools({ type: "openrouter:subagent", parameters: { tools: [{ parameters: {} }] } }),
      "/tools/0/parameters/tools/0",
      "required",
    );
    expectToolRejectedAt(
      withTools({ type: "openrouter:fusion", parameters: { tools: [{ type: 7 }] } }),
      "/tools/0/parameters/tools/0/type",
      "type",
    );
  });
  test("rejects more than 8 fusion tools", () =>
    expectToolRejectedAt(
      withTools({
        type: "openrouter:fusion",
        parameters: { tools: Array.from({ length: 9 }, () => ({ type: "openrouter:datetime" })) },
      }),
      "/tools/0/parameters/tools",
      "maxItems",
    ));
  test("a documented type does not fall back to the generic branch", () => {
    const r = validate(
      schema,
      withTools({ type: "openrouter:experimental__search_models", parameters: { max_results: 21 } }),
    );
    expect(r.errors.some((e) => e.instancePath === "/tools/0/type" && e.keyword === "not")).toBe(true);
  });
  test("rejects a non-openrouter server tool type", () =>
    expectRejectedAt(schema, withTools({ type: "code_interpreter" }), "/tools/0"));
});
