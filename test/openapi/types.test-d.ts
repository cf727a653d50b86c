// Type tests for the request side of generated/schema.d.ts (run by vitest typecheck and by `tsc -p .`).
// Valid bodies must type-check; each `@ts-expect-error` marks exactly one line that must fail.
import { assertType, describe, expectTypeOf, test } from "vitest";
import type { components, operations } from "../../generated/schema";

type Schemas = components["schemas"];
type CompletionRequest = Schemas["CreateCompletionRequest"];
type ChatRequest = Schemas["CreateChatCompletionRequest"];
type ChatMessage = Schemas["ChatMessage"];

describe("POST /completions request type", () => {
  test("is the operation's JSON request body", () => {
    expectTypeOf<operations["createCompletion"]["requestBody"]>().toEqualTypeOf<{
      content: { "application/json": CompletionRequest };
    }>();
  });

  test("accepts the required fields only", () => {
    assertType<CompletionRequest>({ model: "mistralai/mistral-7b-instruct", prompt: "Hello" });
  });

  test("accepts every seed field and the legacy fields", () => {
    assertType<CompletionRequest>({
      model: "meta-llama/llama-3.1-8b-instruct",
      prompt: [464, 3139, 286],
      models: ["a", "b"],
      provider: { sort: "throughput" },
      reasoning: { effort: "high", max_tokens: 2048, exclude: false },
      usage: { include: true },
      transforms: ["middle-out"],
      stream: false,
      max_tokens: 256,
      temperature: 0.7,
      seed: 42,
      top_p: 0.9,
      top_k: 40,
      frequency_penalty: 0.5,
      presence_penalty: 0.25,
      repetition_penalty: 1.1,
      logit_bias: { "50256": -100 },
      top_logprobs: 5,
      min_p: 0.05,
      top_a: 0.1,
      user: "user-1234",
      suffix: null,
      echo: true,
      best_of: 2,
      n: 1,
      logprobs: 3,
      stop: ["\n"],
    });
  });

  test("prompt is a string, strings, tokens or token arrays", () => {
    expectTypeOf<CompletionRequest["prompt"]>().toEqualTypeOf<string | string[] | number[] | number[][]>();
  });

  test("rejects bodies without model or prompt", () => {
    // @ts-expect-error model is required
    assertType<CompletionRequest>({ prompt: "Hello" });
    // @ts-expect-error prompt is required
    assertType<CompletionRequest>({ model: "m" });
  });

  test("rejects wrong field types", () => {
    // @ts-expect-error temperature is a number
    assertType<CompletionRequest>({ model: "m", prompt: "p", temperature: "0.7" });
    // @ts-expect-error logprobs is an integer on /completions, not a boolean
    assertType<CompletionRequest>({ model: "m", prompt: "p", logprobs: true });
    // @ts-expect-error prompt is not an object
    assertType<CompletionRequest>({ model: "m", prompt: { text: "p" } });
    // @ts-expect-error reasoning.effort is an enum
    assertType<CompletionRequest>({ model: "m", prompt: "p", reasoning: { effort: "extreme" } });
  });
});

describe("POST /chat/completions request type", () => {
  test("is the operation's JSON request body", () => {
    expectTypeOf<operations["createChatCompletion"]["requestBody"]>().toEqualTypeOf<{
      content: { "application/json": ChatRequest };
    }>();
  });

  test("accepts the required fields only", () => {
    assertType<ChatRequest>({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Hi" }] });
  });

  test("accepts a multi-turn body with tools, parts and OpenRouter extensions", () => {
    assertType<ChatRequest>({
      model: "openai/gpt-4o",
      models: ["anthropic/claude-sonnet-4.5"],
      messages: [
        { role: "system", content: [{ type: "text", text: "Be brief.", cache_control: { type: "ephemeral" } }] },
        {
          role: "user",
          content: [
            { type: "text", text: "What is in this image?" },
            { type: "image_url", image_url: { url: "https://example.org/a.png", detail: "high" } },
            { type: "input_audio", input_audio: { data: "AAAA", format: "wav" } },
            { type: "file", file: { filename: "a.pdf", file_data: "https://example.org/a.pdf" } },
          ],
        },
        {
          role: "assistant",
          content: null,
          tool_calls: [{ id: "call_1", type: "function", function: { name: "lookup", arguments: "{}" } }],
        },
        { role: "tool", tool_call_id: "call_1", content: "42" },
      ],
      tools: [
        { type: "function", function: { name: "lookup", parameters: { type: "object" } } },
        { type: "openrouter:web_search", parameters: { max_results: 3 } },
      ],
      tool_choice: { type: "function", function: { name: "lookup" } },
      response_format: { type: "json_schema", json_schema: { name: "answer", schema: { type: "object" } } },
      provider: { order: ["openai"], allow_fallbacks: false, max_price: { prompt: 1, completion: "2" } },
      reasoning: { effort: "max" },
      plugins: [{ id: "file-parser", pdf: { engine: "native" } }, { id: "response-healing" }],
      stop: "END",
      stream: true,
      temperature: null,
    });
  });

  test("messages narrow on role", () => {
    const m = {} as ChatMessage;
    if (m.role === "tool") expectTypeOf(m.tool_call_id).toEqualTypeOf<string>();
    if (m.role === "assistant") expectTypeOf(m).toEqualTypeOf<Schemas["AssistantMessage"]>();
    expectTypeOf<ChatMessage["role"]>().toEqualTypeOf<"system" | "developer" | "user" | "assistant" | "tool">();
  });

  test("rejects bodies without model or messages", () => {
    // @ts-expect-error model is required
    assertType<ChatRequest>({ messages: [{ role: "user", content: "Hi" }] });
    // @ts-expect-error messages is required
    assertType<ChatRequest>({ model: "m" });
  });

  test("accepts provider-specific top-level keys, as the open request body says", () => {
    assertType<ChatRequest>({ model: "m", messages: [], provider_specific_knob: { depth: 2 } });
    assertType<CompletionRequest>({ model: "m", prompt: "p", provider_specific_knob: 1 });
  });

  test("rejects wrong field types and unknown roles", () => {
    // @ts-expect-error an unknown role is not a ChatMessage
    assertType<ChatRequest>({ model: "m", messages: [{ role: "robot", content: "beep" }] });
    // @ts-expect-error a tool message needs tool_call_id
    assertType<ChatRequest>({ model: "m", messages: [{ role: "tool", content: "42" }] });
    // @ts-expect-error max_tokens is a number
    assertType<ChatRequest>({ model: "m", messages: [], max_tokens: "10" });
    // @ts-expect-error stream is a boolean
    assertType<ChatRequest>({ model: "m", messages: [], stream: "true" });
    // @ts-expect-error content parts have a closed set of types
    assertType<ChatRequest>({ model: "m", messages: [{ role: "user", content: [{ type: "hologram" }] }] });
    // @ts-expect-error provider preferences are a closed object
    assertType<ChatRequest>({ model: "m", messages: [], provider: { fastest: true } });
  });
});

describe("open enums keep their known values", () => {
  type ApiErrorType = Schemas["ApiErrorType"];
  type Format = Schemas["ReasoningDetailFormat"];
  type AvailabilityCode = Schemas["AvailabilityError"]["code"];
  test("known values stay literal members (autocompletion), any other string is accepted", () => {
    // A plain `"a" | string` would collapse to `string` and Extract would give never.
    expectTypeOf<Extract<ApiErrorType, "rate_limit_exceeded">>().toEqualTypeOf<"rate_limit_exceeded">();
    expectTypeOf<Extract<Format, "anthropic-claude-v1">>().toEqualTypeOf<"anthropic-claude-v1">();
    expectTypeOf<Extract<AvailabilityCode, "no_endpoints">>().toEqualTypeOf<"no_endpoints">();
    assertType<ApiErrorType>("a_value_added_later");
    assertType<Format>(null);
    // @ts-expect-error an open enum is still a string
    assertType<ApiErrorType>(5);
  });
  test("the 200 body type is the convenient ChatCompletion first, or the error-only body", () => {
    type Json200 = operations["createChatCompletion"]["responses"][200]["content"]["application/json"];
    expectTypeOf<Json200>().toEqualTypeOf<Schemas["ChatCompletionOrError"]>();
    expectTypeOf<Schemas["ChatCompletion"]>().toMatchTypeOf<Json200>();
    expectTypeOf<Schemas["ErrorResponse"]>().toMatchTypeOf<Json200>();
  });
});
