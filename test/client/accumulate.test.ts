import { describe, expect, it } from "vitest";
import {
  ChatCompletionAccumulator,
  accumulateChatCompletion,
  accumulateCompletion,
  type ChatCompletionChunk,
  type CompletionChunk,
} from "../../src/client/index";

const base = { id: "gen-1", object: "chat.completion.chunk" as const, created: 1, model: "m" };
const ch = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  ({ ...base, choices: [{ index: 0, delta, finish_reason: null, ...extra }] }) as unknown as ChatCompletionChunk;

async function* iter<T>(xs: T[]) {
  yield* xs;
}

describe("accumulate", () => {
  it("content, reasoning and reasoning_details (merged by index)", async () => {
    const r = await accumulateChatCompletion(
      iter([
        ch({
          role: "assistant",
          reasoning: "Think",
          reasoning_details: [{ type: "reasoning.text", text: "Think", index: 0, format: "anthropic-claude-v1" }],
        }),
        ch({
          reasoning: "ing.",
          reasoning_details: [{ type: "reasoning.text", text: "ing.", index: 0, signature: "sig" }],
        }),
        ch({ reasoning_details: [{ type: "reasoning.encrypted", data: "xyz", index: 1 }] }),
        ch({ content: "Hel" }),
        ch({ content: "lo" }),
        ch({ content: "" }, { finish_reason: "stop", native_finish_reason: "end_turn" }),
        {
          ...base,
          choices: [],
          usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
          provider: "Anthropic",
        } as unknown as ChatCompletionChunk,
      ]),
    );
    expect(r).toMatchObject({
      id: "gen-1",
      object: "chat.completion",
      model: "m",
      provider: "Anthropic",
      usage: { total_tokens: 3 },
    });
    const c = r.choices![0]!;
    expect(c.finish_reason).toBe("stop");
    expect(c).toMatchObject({ native_finish_reason: "end_turn" });
    expect(c.message).toMatchObject({ role: "assistant", content: "Hello", reasoning: "Thinking." });
    expect(c.message.reasoning_details).toEqual([
      { type: "reasoning.text", text: "Thinking.", index: 0, format: "anthropic-claude-v1", signature: "sig" },
      { type: "reasoning.encrypted", data: "xyz", index: 1 },
    ]);
  });

  it("tool_calls assembled from fragments by index (interleaved)", async () => {
    const r = await accumulateChatCompletion(
      iter([
        ch({
          role: "assistant",
          content: null,
          tool_calls: [{ index: 0, id: "call_a", type: "function", function: { name: "get_weather", arguments: "" } }],
        }),
        ch({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
        ch({
          tool_calls: [
            { index: 1, id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz"' } },
          ],
        }),
        ch({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
        ch({ tool_calls: [{ index: 1, function: { arguments: ':"CET"}' } }] }),
        ch({}, { finish_reason: "tool_calls" }),
      ]),
    );
    const m = r.choices![0]!.message;
    expect(m.content).toBeNull();
    expect(m.tool_calls).toEqual([
      { id: "call_a", type: "function", function: { name: "get_weather", arguments: '{"city":"Paris"}' } },
      { id: "call_b", type: "function", function: { name: "get_time", arguments: '{"tz":"CET"}' } },
    ]);
    expect(JSON.parse(m.tool_calls![0]!.function.arguments ?? "")).toEqual({ city: "Paris" });
    expect(r.choices![0]!.finish_reason).toBe("tool_calls");
  });

  it("multiple choices by index, unknown fields kept", () => {
    const acc = new ChatCompletionAccumulator();
    acc.push({
      ...base,
      x_top: 1,
      choices: [
        { index: 1, delta: { content: "B", x_delta: true }, finish_reason: null },
        { index: 0, delta: { content: "A" }, finish_reason: null },
      ],
    } as unknown as ChatCompletionChunk);
    const r = acc.result() as any;
    expect(r.x_top).toBe(1);
    expect(r.choices.map((c: any) => c.message.content)).toEqual(["A", "B"]);
    expect(r.choices[1].message.x_delta).toBe(true);
  });

  it("partial result stays readable after a stream error", async () => {
    async function* failing() {
      yield ch({ content: "Part" });
      throw new Error("boom");
    }
    const acc = new ChatCompletionAccumulator();
    await expect(accumulateChatCompletion(failing(), acc)).rejects.toThrow("boom");
    expect(acc.result().choices![0]!.message.content).toBe("Part");
  });

  it("completions stream: text concatenated", async () => {
    const c = (text: string, finish_reason: string | null = null) =>
      ({
        id: "g",
        object: "text_completion",
        created: 1,
        model: "m",
        choices: [{ text, index: 0, finish_reason, logprobs: null }],
      }) as unknown as CompletionChunk;
    const r = await accumulateCompletion(iter([c("Hel"), c("lo", "stop")]));
    expect(r.choices![0]).toMatchObject({ text: "Hello", finish_reason: "stop", index: 0 });
  });
});
