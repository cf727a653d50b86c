/**
 * The client against the mock over HTTP (inject("apiBaseUrl"), started by test/support/global-setup.ts): both
 * endpoints, JSON and streaming, and every documented error status mapped to its error class (result types:
 * types.test-d.ts).
 * Skipped when TEST_SKIP_MOCK=1 (apiBaseUrl is "").
 */
import { describe, expect, inject, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  InBandError,
  NotFoundError,
  PayloadTooLargeError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  RequestTimeoutError,
  ServerError,
  StreamError,
  UnprocessableEntityError,
  accumulateChatCompletion,
  accumulateCompletion,
  createOpenRouterClient,
  type ChatCompletionChunk,
  type OpenRouterError,
} from "../../src/client/index";

const baseUrl = inject("apiBaseUrl");
const client = createOpenRouterClient({
  apiKey: "sk-or-v1-test",
  baseUrl,
  appUrl: "https://example.test",
  appTitle: "contract tests",
  maxRetries: 0,
});
const chatBody = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hello" }] };
const completionBody = { model: "openai/gpt-3.5-turbo-instruct", prompt: "Say hello" };
const prefer = (v: string) => ({ headers: { prefer: v } });

describe.skipIf(!baseUrl)("client against the mock", () => {
  it("chat JSON", async () => {
    const res = await client.chat.completions.create(chatBody);
    expect(typeof res.id === "string" || res.id === null).toBe(true);
    expect(Array.isArray(res.choices)).toBe(true);
    expect(res.choices![0]!.message).toBeTypeOf("object");
  });

  for (const key of ["tool_calls", "reasoning"]) {
    it(`chat JSON example '${key}'`, async () => {
      const res = await client.chat.completions.create(chatBody, prefer(`example=${key}`));
      expect(res.choices?.length).toBeGreaterThan(0);
      if (key === "tool_calls") expect(res.choices![0]!.message.tool_calls?.[0]?.function.name).toBeTypeOf("string");
      if (key === "reasoning")
        expect(res.choices![0]!.message.reasoning ?? res.choices![0]!.message.reasoning_details).toBeTruthy();
    });
  }

  it("chat JSON in-band error example: InBandError (or the body with inBandErrors: 'return')", async () => {
    const err = await client.chat.completions
      .create(chatBody, prefer("example=in_band_error"))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InBandError);
    expect((err as InBandError).status).toBe(200);
    const res = await client.chat.completions.create(chatBody, {
      ...prefer("example=in_band_error"),
      inBandErrors: "return",
    });
    expect(res.choices?.some((c) => c.finish_reason === "error")).toBe(true);
  });

  it("chat stream: typed chunks, [DONE] ends, accumulates", async () => {
    const stream = await client.chat.completions.create({ ...chatBody, stream: true });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) {
      chunks.push(c);
    }
    expect(chunks.length).toBeGreaterThan(0);
    for (const c of chunks) expect(c.object).toBe("chat.completion.chunk");
    expect(stream.generationId).toBeTypeOf("string");
    const again = await accumulateChatCompletion(await client.chat.completions.create({ ...chatBody, stream: true }));
    expect(again.choices?.[0]?.message.content).toBe(stream.partialContent);
  });

  it("chat stream error example: StreamError with code and partial content", async () => {
    const stream = await client.chat.completions.create({ ...chatBody, stream: true }, prefer("example=stream_error"));
    const err = await accumulateChatCompletion(stream).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamError);
    expect(["number", "string"]).toContain(typeof (err as StreamError).code);
    expect((err as StreamError).generationId).toBeTypeOf("string");
  });

  it("completions JSON", async () => {
    const res = await client.completions.create(completionBody);
    expect(Array.isArray(res.choices)).toBe(true);
    expect(res.choices![0]!.text).toBeTypeOf("string");
  });

  it("completions stream", async () => {
    const stream = await client.completions.create({ ...completionBody, stream: true });
    const done = await accumulateCompletion(stream);
    expect(done.choices?.[0]?.text).toBeTypeOf("string");
  });

  it("completions stream error example", async () => {
    const stream = await client.completions.create({ ...completionBody, stream: true }, prefer("example=stream_error"));
    await expect(accumulateCompletion(stream)).rejects.toBeInstanceOf(StreamError);
  });

  const families: Array<[number, abstract new (...a: never[]) => OpenRouterError]> = [
    [400, BadRequestError],
    [401, AuthenticationError],
    [402, PaymentRequiredError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [408, RequestTimeoutError],
    [413, PayloadTooLargeError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, ServerError],
    [502, ServerError],
    [503, ServerError],
    [524, ServerError],
    [529, ServerError],
  ];
  for (const [status, Cls] of families) {
    it(`HTTP ${status} -> ${Cls.name} with code and message (both endpoints, JSON and stream requests)`, async () => {
      for (const call of [
        () => client.chat.completions.create(chatBody, prefer(`code=${status}`)),
        () => client.chat.completions.create({ ...chatBody, stream: true }, prefer(`code=${status}`)),
        () => client.completions.create(completionBody, prefer(`code=${status}`)),
      ]) {
        const err = (await call().catch((e: unknown) => e)) as OpenRouterError;
        expect(err).toBeInstanceOf(Cls);
        expect(err.status).toBe(status);
        // Availability errors (404/503 examples) carry error_type + availability instead of code.
        if (err.code === undefined) expect(err.errorType).toBeTypeOf("string");
        else expect(err.code).toBe(status);
        expect(err.message.length).toBeGreaterThan(4);
      }
    });
  }
});
