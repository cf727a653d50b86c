/**
 * Stream -> final message. `ChatCompletionAccumulator.push(chunk)` folds chunks into a `ChatCompletion`-shaped
 * object: `content` and `reasoning` concatenated, `reasoning_details` merged by `index` (text/summary appended),
 * `tool_calls` assembled from fragments by `index` (id/name from the first fragment, `arguments` appended),
 * `finish_reason`, `usage` and other top-level fields from the latest chunk that has them. Unknown fields are kept.
 *
 * If the stream throws (StreamError, StreamTruncatedError, AbortError...), the accumulator still holds everything
 * received so far: pass your own accumulator to `accumulateChatCompletion` and read `acc.result()` in the catch.
 */
import type { ChatCompletion, ChatCompletionChunk, Completion, CompletionChunk } from "../types";
import { isArray, isObject, type JsonObject } from "./json";

/** A tool call assembled from its fragments (`index` is dropped from the result). */
interface ToolCallState {
  index: number;
  id: unknown;
  type: unknown;
  function: { name: unknown; arguments: string };
}

interface ChoiceState {
  index: number;
  content: string[];
  reasoning: string[];
  refusal: string[];
  details: JsonObject[];
  tools: ToolCallState[];
  extra: Record<string, unknown>;
  delta: Record<string, unknown>;
  finish_reason: unknown;
}

const SKIP_TOP = new Set(["choices", "object", "error"]);
const SKIP_DELTA = new Set([
  "content",
  "reasoning",
  "reasoning_details",
  "tool_calls",
  "refusal",
  "role",
  "annotations",
  "images",
]);

function mergeDetail(list: JsonObject[], detail: unknown): void {
  const d = isObject(detail) ? detail : {};
  const prev = typeof d.index === "number" ? list.find((x) => x.index === d.index && x.type === d.type) : undefined;
  if (!prev) {
    list.push({ ...d });
    return;
  }
  for (const k of Object.keys(d)) {
    const v = d[k];
    const was = prev[k];
    if ((k === "text" || k === "summary" || k === "data") && typeof v === "string" && typeof was === "string")
      prev[k] = was + v;
    else if (v !== undefined && v !== null) prev[k] = v;
  }
}

function mergeToolCall(list: ToolCallState[], fragment: unknown): void {
  const t = isObject(fragment) ? fragment : {};
  const fn = isObject(t.function) ? t.function : {};
  const index = typeof t.index === "number" ? t.index : list.length;
  let tc = list.find((x) => x.index === index);
  if (!tc) {
    tc = {
      index,
      id: t.id ?? "",
      type: t.type ?? "function",
      function: { name: fn.name ?? "", arguments: "" },
    };
    list.push(tc);
  } else {
    if (t.id) tc.id = t.id;
    if (t.type) tc.type = t.type;
    if (fn.name && !tc.function.name) tc.function.name = fn.name;
  }
  const args = fn.arguments;
  if (typeof args === "string") tc.function.arguments += args;
}

export class ChatCompletionAccumulator {
  #top: Record<string, unknown> = {};
  #choices = new Map<number, ChoiceState>();
  #annotations = new Map<number, unknown[]>();
  #images = new Map<number, unknown[]>();

  /** Folds one chunk in. Chunks with `choices: []` (usage chunk) update top-level fields only. */
  push(chunk: ChatCompletionChunk): void {
    const c: JsonObject = chunk;
    for (const k in c) if (!SKIP_TOP.has(k) && c[k] !== undefined && c[k] !== null) this.#top[k] = c[k];
    if (!isArray(c.choices)) return;
    for (const choice of c.choices) {
      const ch = isObject(choice) ? choice : {};
      const index = typeof ch.index === "number" ? ch.index : 0;
      let s = this.#choices.get(index);
      if (!s)
        this.#choices.set(
          index,
          (s = {
            index,
            content: [],
            reasoning: [],
            refusal: [],
            details: [],
            tools: [],
            extra: {},
            delta: {},
            finish_reason: null,
          }),
        );
      for (const k in ch)
        if (k !== "delta" && k !== "index" && ch[k] !== undefined && ch[k] !== null) s.extra[k] = ch[k];
      if (ch.finish_reason != null) s.finish_reason = ch.finish_reason;
      const d = ch.delta;
      if (!isObject(d)) continue;
      if (typeof d.content === "string") s.content.push(d.content);
      if (typeof d.reasoning === "string") s.reasoning.push(d.reasoning);
      if (typeof d.refusal === "string") s.refusal.push(d.refusal);
      if (isArray(d.reasoning_details)) for (const r of d.reasoning_details) mergeDetail(s.details, r);
      if (isArray(d.tool_calls)) for (const t of d.tool_calls) mergeToolCall(s.tools, t);
      if (isArray(d.annotations))
        (this.#annotations.get(index) ?? this.#annotations.set(index, []).get(index)!).push(...d.annotations);
      if (isArray(d.images)) (this.#images.get(index) ?? this.#images.set(index, []).get(index)!).push(...d.images);
      for (const k in d) if (!SKIP_DELTA.has(k) && d[k] !== undefined && d[k] !== null) s.delta[k] = d[k];
    }
  }

  /** The completion assembled so far (valid at any time, also after a stream error). */
  result(): ChatCompletion {
    const choices = [...this.#choices.values()]
      .sort((a, b) => a.index - b.index)
      .map((s) => {
        const message: Record<string, unknown> = {
          ...s.delta,
          role: "assistant",
          content: s.content.length ? s.content.join("") : null,
        };
        if (s.reasoning.length) message.reasoning = s.reasoning.join("");
        if (s.details.length) message.reasoning_details = s.details;
        if (s.refusal.length) message.refusal = s.refusal.join("");
        if (s.tools.length) message.tool_calls = s.tools.map(({ index: _i, ...t }) => t);
        const ann = this.#annotations.get(s.index);
        if (ann) message.annotations = ann;
        const img = this.#images.get(s.index);
        if (img) message.images = img;
        return { ...s.extra, index: s.index, message, finish_reason: s.finish_reason };
      });
    return { ...this.#top, object: "chat.completion", choices } as unknown as ChatCompletion;
  }
}

/** Consumes a chat stream and returns the final `ChatCompletion`. Errors from the stream propagate. */
export async function accumulateChatCompletion(
  stream: AsyncIterable<ChatCompletionChunk>,
  acc: ChatCompletionAccumulator = new ChatCompletionAccumulator(),
): Promise<ChatCompletion> {
  for await (const chunk of stream) acc.push(chunk);
  return acc.result();
}

/** Consumes a `/completions` stream and returns the final `Completion` (`text` and `reasoning` concatenated). */
export async function accumulateCompletion(stream: AsyncIterable<CompletionChunk>): Promise<Completion> {
  const top: Record<string, unknown> = {};
  const choices = new Map<number, { text: string[]; reasoning: string[]; extra: Record<string, unknown> }>();
  for await (const chunk of stream) {
    const c: JsonObject = chunk;
    for (const k in c) if (!SKIP_TOP.has(k) && c[k] !== undefined && c[k] !== null) top[k] = c[k];
    if (!isArray(c.choices)) continue;
    for (const choice of c.choices) {
      const ch = isObject(choice) ? choice : {};
      const index = typeof ch.index === "number" ? ch.index : 0;
      let s = choices.get(index);
      if (!s) choices.set(index, (s = { text: [], reasoning: [], extra: { finish_reason: null } }));
      if (typeof ch.text === "string") s.text.push(ch.text);
      if (typeof ch.reasoning === "string") s.reasoning.push(ch.reasoning);
      for (const k in ch)
        if (k !== "text" && k !== "reasoning" && k !== "index" && ch[k] !== undefined && ch[k] !== null)
          s.extra[k] = ch[k];
    }
  }
  const out = [...choices.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([index, s]) => ({
      ...s.extra,
      index,
      text: s.text.join(""),
      ...(s.reasoning.length ? { reasoning: s.reasoning.join("") } : {}),
    }));
  return { ...top, object: "text_completion", choices: out } as unknown as Completion;
}
