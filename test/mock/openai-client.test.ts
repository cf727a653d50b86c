// An OpenAI-compatible client works against the mock unchanged: only baseURL and apiKey are set.
import OpenAI from "openai";
import { describe, expect, it } from "vitest";
import { baseUrl, hasServer, ops } from "../support/mock";

const chatOp = ops.find((o) => o.path.endsWith("/chat/completions"));

describe.skipIf(!hasServer || !chatOp)("openai npm client (6.49.0) pointed at the mock", () => {
  const client = new OpenAI({ apiKey: "sk-or-v1-test", baseURL: baseUrl, maxRetries: 0, timeout: 10_000 });
  const body = chatOp?.validBody as { model: string; messages: OpenAI.Chat.ChatCompletionMessageParam[] } | undefined;

  it("chat.completions.create (non-streaming)", async () => {
    const completion = await client.chat.completions.create({ model: body!.model, messages: body!.messages });
    expect(completion.object).toBe("chat.completion");
    expect(completion.choices.length).toBeGreaterThan(0);
    expect(typeof completion.choices[0]!.message.content).toBe("string");
  });

  it("chat.completions.create({ stream: true }) yields chunks and ignores the keep-alive comments", async () => {
    const stream = await client.chat.completions.create({ model: body!.model, messages: body!.messages, stream: true });
    let text = "";
    let chunks = 0;
    for await (const chunk of stream) {
      chunks++;
      expect(chunk.object).toBe("chat.completion.chunk");
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(chunks).toBeGreaterThan(1);
    expect(text.length).toBeGreaterThan(0);
  });

  it("an invalid request surfaces as an APIError with status 400 and the envelope's message", async () => {
    const err = await client.chat.completions
      .create({ model: body!.model, messages: body!.messages, temperature: 5 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.APIError);
    expect((err as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((err as Error).message).toContain("/temperature");
  });
});
