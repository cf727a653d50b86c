// The client reads real traffic from the capture corpus (test/corpus): the error-only 200 body throws InBandError,
// an error-only stream event throws StreamError, and shapes the contract now accepts (open-enum values, the
// `/completions` body that says `chat.completion`) pass strict validation.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createClientValidator } from "../../src/conformance/index";
import { InBandError, StreamError, createOpenRouterClient, type ChatCompletionChunk } from "../../src/client/index";

const corpus = join(import.meta.dirname, "../corpus");
const capture = (file: string) => JSON.parse(readFileSync(join(corpus, file), "utf8"));
const transcript = (file: string) => readFileSync(join(corpus, file), "utf8");

function clientAnswering(status: number, contentType: string, body: string, extra: object = {}) {
  const violations: unknown[] = [];
  const client = createOpenRouterClient({
    apiKey: "sk-or-v1-canary",
    baseUrl: "http://127.0.0.1:9/api/v1",
    maxRetries: 0,
    fetch: async () => new Response(body, { status, headers: { "content-type": contentType } }),
    validate: "strict",
    validator: createClientValidator(),
    onViolation: (vs) => violations.push(...vs),
    ...extra,
  });
  return { client, violations };
}
const chatBody = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

describe("client on real traffic", () => {
  it("a 200 body of only {error, user_id} throws InBandError (or is returned with inBandErrors: return)", async () => {
    const body = capture("errors/python-sdk-200-error-user-id.json").body;
    const { client, violations } = clientAnswering(200, "application/json", JSON.stringify(body));
    const err = await client.chat.completions.create(chatBody).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InBandError);
    expect((err as InBandError).status).toBe(200);
    expect((err as InBandError).code).toBe(502);
    expect((err as Error).message).toContain("Provider returned error");
    expect(violations).toEqual([]);
    const returned = clientAnswering(200, "application/json", JSON.stringify(body), { inBandErrors: "return" });
    expect(await returned.client.chat.completions.create(chatBody)).toEqual(body);
  });

  it("an error-only stream event throws StreamError with the event's code", async () => {
    const { client } = clientAnswering(200, "text/event-stream", transcript("streams/error-only-event.sse"));
    const stream = await client.chat.completions.create({ ...chatBody, stream: true });
    const seen: ChatCompletionChunk[] = [];
    const err = await (async () => {
      for await (const c of stream) seen.push(c);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamError);
    expect((err as StreamError).code).toBe(429);
    expect(seen).toEqual([]);
  });

  it("new open-enum values and the real /completions body pass strict validation", async () => {
    const unknownType = {
      id: "gen-1",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          finish_reason: "stop",
          message: {
            role: "assistant",
            content: "x",
            reasoning_details: [{ type: "reasoning.image", format: "newvendor-v1" }],
          },
        },
      ],
    };
    const a = clientAnswering(200, "application/json", JSON.stringify(unknownType));
    expect((await a.client.chat.completions.create(chatBody)).choices?.[0]?.message.reasoning_details?.[0]?.type).toBe(
      "reasoning.image",
    );
    expect(a.violations).toEqual([]);
    const real = capture("responses/completions-object-chat-completion.json").body;
    const b = clientAnswering(200, "application/json", JSON.stringify(real));
    expect((await b.client.completions.create({ model: "m", prompt: "Once" })).object).toBe("chat.completion");
    expect(b.violations).toEqual([]);
  });
});
