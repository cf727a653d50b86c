// Every named Example Object in the bundle validates against the schema of the media type that uses it (Ajv 2020,
// independently of Redocly). SSE transcripts are parsed with eventsource-parser and each `data:` payload is checked
// against the chunk schema the media type names through `contentSchema`.
import { describe, expect, test } from "vitest";
import { createParser, type EventSourceMessage } from "eventsource-parser";
import bundle from "../../generated/openapi.json" with { type: "json" };
import { indexOperations } from "../../src/spec/operations";
import { getAt } from "../../src/spec/pointer";
import { isOpenEnum } from "../../src/spec/schema-shapes";
import { localRef as refOf } from "../../src/spec/ref";
import { describeErrors, validator } from "../support/ajv";
import { deref as derefIn } from "../support/spec";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
interface OpenApiDoc {
  paths: Record<string, Record<string, JsonObject>>;
  components: Record<string, Record<string, JsonObject>>;
}
const spec = bundle as unknown as OpenApiDoc;

const formatErrors = (errors: Parameters<typeof describeErrors>[0] | null | undefined) => describeErrors(errors ?? []);
const schema = (name: string) => validator(name);
/** Validator for a `#/components/schemas/<Name>` ref of the bundle. */
function validatorFor(ref: string) {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`not a component schema ref: ${ref}`);
  return validator(m[1]!);
}

/** Follows a local `#/...` ref (one or more hops) inside the bundle. */
const deref = (node: unknown): JsonObject => derefIn(node, spec);

interface ExampleUse {
  where: string; // e.g. "createChatCompletion 200 text/event-stream"
  key: string; // example key in the media type
  component?: string; // components.examples name when referenced
  mediaType: string;
  schemaNode: JsonObject; // the media type's `schema` (usually a $ref)
  value: Json;
}

const uses: ExampleUse[] = [];
for (const { path, method, pointer, operationId } of indexOperations(spec as unknown as Record<string, unknown>)) {
  const op = getAt(spec, pointer) as JsonObject;
  const opId = operationId ?? `${method} ${path}`;
  const containers: [string, JsonObject][] = [];
  if (op.requestBody) containers.push(["request", deref(op.requestBody)]);
  for (const [status, resp] of Object.entries((op.responses ?? {}) as JsonObject))
    containers.push([status, deref(resp)]);
  for (const [label, container] of containers) {
    for (const [mediaType, media] of Object.entries((container.content ?? {}) as JsonObject)) {
      const m = media as JsonObject;
      for (const [key, ex] of Object.entries((m.examples ?? {}) as JsonObject)) {
        const ref = refOf(ex);
        uses.push({
          where: `${opId} ${label} ${mediaType}`,
          key,
          component: ref?.startsWith("#/components/examples/") ? ref.slice("#/components/examples/".length) : undefined,
          mediaType,
          schemaNode: m.schema as JsonObject,
          value: deref(ex).value as Json,
        });
      }
    }
  }
}

interface SseEvent {
  data: string;
  event?: string | undefined;
}
function parseSse(text: string): { events: SseEvent[]; comments: string[]; errors: string[] } {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const errors: string[] = [];
  const parser = createParser({
    onEvent: (e: EventSourceMessage) => events.push({ data: e.data, event: e.event }),
    onComment: (c) => comments.push(c),
    onError: (err) => errors.push(err.message),
  });
  parser.feed(text);
  parser.reset({ consume: true });
  return { events, comments, errors };
}

/** The chunk schema ref of an SSE media type, found through the stream schema's `contentSchema`. */
function chunkRefOf(schemaNode: JsonObject): string {
  const stream = deref(schemaNode);
  const ref = refOf(stream.contentSchema);
  if (!ref) throw new Error("text/event-stream schema has no contentSchema $ref");
  return ref;
}

describe("named examples", () => {
  test("every example component is used by a media type and every use is found", () => {
    const used = new Set(uses.map((u) => u.component).filter(Boolean));
    const declared = Object.keys(spec.components.examples ?? {});
    expect(declared.filter((n) => !used.has(n))).toEqual([]);
    expect(uses.length).toBeGreaterThanOrEqual(declared.length);
  });

  const jsonUses = uses.filter((u) => u.mediaType !== "text/event-stream");
  test.each(jsonUses.map((u) => [`${u.where} ${u.key}`, u] as const))("%s validates", (_name, u) => {
    const ref = refOf(u.schemaNode);
    expect(ref, "media type schema is a $ref").toBeTruthy();
    const validate = validatorFor(ref as string);
    expect(validate(u.value), formatErrors(validate.errors)).toBe(true);
  });

  const sseUses = uses.filter((u) => u.mediaType === "text/event-stream");
  test("both operations have SSE transcripts", () => {
    expect(new Set(sseUses.map((u) => u.where.split(" ")[0])).size).toBeGreaterThanOrEqual(2);
  });
  test.each(sseUses.map((u) => [`${u.where} ${u.key}`, u] as const))("%s: every data payload validates", (_name, u) => {
    expect(typeof u.value).toBe("string");
    const text = u.value as string;
    const { events, comments, errors } = parseSse(text);
    expect(errors).toEqual([]);
    expect(comments.every((c) => c.trim() === "OPENROUTER PROCESSING")).toBe(true);
    const validate = validatorFor(chunkRefOf(u.schemaNode));
    const payloads = events.filter((e) => e.data !== "[DONE]");
    expect(payloads.length).toBeGreaterThan(0);
    for (const [i, e] of payloads.entries()) {
      const chunk = JSON.parse(e.data) as Json;
      expect(validate(chunk), `event ${i}: ${formatErrors(validate.errors)}`).toBe(true);
    }
    const done = events.findIndex((e) => e.data === "[DONE]");
    const last = JSON.parse(payloads[payloads.length - 1]!.data) as JsonObject;
    if (last.error) {
      // mid-stream error: the error chunk is last and no [DONE] follows
      expect(done).toBe(-1);
      const choices = last.choices as JsonObject[];
      expect(choices.some((c) => c.finish_reason === "error")).toBe(true);
    } else {
      // normal end: [DONE] is the last event and the chunk before it carries usage
      expect(done).toBe(events.length - 1);
      expect(last.usage).toBeTruthy();
    }
  });
});

describe("SSE transcript checking", () => {
  test("a bad payload in a transcript is caught through contentSchema", () => {
    const op = spec.paths["/chat/completions"]!.post!;
    const media = (deref((op.responses as JsonObject)["200"]).content as JsonObject)["text/event-stream"] as JsonObject;
    const validate = validatorFor(chunkRefOf(media.schema as JsonObject));
    const good = { id: "gen-1", object: "chat.completion.chunk", created: 1, model: "openai/gpt-4o", choices: [] };
    const bad = { ...good, object: "chat.completion" };
    const text =
      `: OPENROUTER PROCESSING\n\ndata: ${JSON.stringify(good)}\n\n` +
      `data: ${JSON.stringify(bad)}\n\ndata: [DONE]\n\n`;
    const { events, comments } = parseSse(text);
    expect(comments).toHaveLength(1);
    expect(events.map((e) => e.data === "[DONE]" || validate(JSON.parse(e.data)))).toEqual([true, false, true]);
  });
});

describe("response floor (seed)", () => {
  test.each(["Completion", "ChatCompletion"])("%s accepts {id: null, choices: null}", (name) => {
    const validate = schema(name);
    expect(validate({ id: null, choices: null }), formatErrors(validate.errors)).toBe(true);
  });
  test.each(["Completion", "ChatCompletion"])("%s requires id and choices", (name) => {
    const validate = schema(name);
    expect(validate({ id: "gen-1" })).toBe(false);
    expect(validate.errors?.some((e) => e.keyword === "required" && e.params.missingProperty === "choices")).toBe(true);
    expect(validate({ choices: [] })).toBe(false);
  });
  test("completion choice requires text, index and finish_reason, each nullable", () => {
    const validate = schema("CompletionChoice");
    expect(validate({ text: null, index: null, finish_reason: null }), formatErrors(validate.errors)).toBe(true);
    for (const missing of ["text", "index", "finish_reason"]) {
      const choice: JsonObject = { text: "x", index: 0, finish_reason: "stop" };
      delete choice[missing];
      expect(validate(choice), missing).toBe(false);
    }
  });
  test("chat choice requires index and message; index may be null; finish_reason may be missing (real traffic)", () => {
    const validate = schema("ChatCompletionChoice");
    expect(validate({ index: null, message: {}, finish_reason: null }), formatErrors(validate.errors)).toBe(true);
    expect(validate({ index: 0, message: {} }), formatErrors(validate.errors)).toBe(true);
    expect(validate({ index: 0, finish_reason: "stop" })).toBe(false);
    expect(validate({ message: {}, finish_reason: "stop" })).toBe(false);
  });
  test.each(["Completion", "ChatCompletion"])("%s is valid without system_fingerprint and with it null", (name) => {
    const validate = schema(name);
    const base = {
      id: "gen-1764139200-abc",
      object: name === "Completion" ? "text_completion" : "chat.completion",
      created: 1764139200,
      model: "openai/gpt-4o",
      choices: [],
    };
    expect(validate(base), formatErrors(validate.errors)).toBe(true);
    expect(validate({ ...base, system_fingerprint: null })).toBe(true);
  });
  test.each([
    [
      "Completion",
      { id: "gen-1", choices: [{ text: "", index: 0, finish_reason: "stop", brand_new: 1 }], future_field: { a: 1 } },
    ],
    [
      "ChatCompletion",
      {
        id: "gen-1",
        choices: [
          { index: 0, message: { role: "assistant", content: "hi", new_thing: true }, finish_reason: "stop", extra: 1 },
        ],
        future_field: [1],
      },
    ],
    [
      "ChatCompletionChunk",
      {
        id: "gen-1",
        object: "chat.completion.chunk",
        created: 1,
        model: "m",
        choices: [{ index: 0, delta: { content: "x", novel: 1 }, finish_reason: null }],
        novel: "x",
      },
    ],
    ["CompletionChunk", { choices: [{ text: "x", index: 0, finish_reason: null, novel: 1 }], novel: 2 }],
    ["ErrorResponse", { error: { code: 400, message: "bad", novel: 1 }, novel: 2 }],
  ] as const)("%s accepts unknown fields", (name, body) => {
    const validate = schema(name);
    expect(validate(body), formatErrors(validate.errors)).toBe(true);
  });
  test("finish_reason is an open enum: the five normalised values, null, and other strings (end_turn is real)", () => {
    const validate = schema("FinishReason");
    for (const v of ["tool_calls", "stop", "length", "content_filter", "error", null, "end_turn"])
      expect(validate(v), String(v)).toBe(true);
    expect(validate(0)).toBe(false);
    // The known values sit behind a ref (`FinishReasonKnown`, the bundle form for generators).
    expect(isOpenEnum(spec.components.schemas?.FinishReason, (r) => getAt(spec, r.slice(1)))).toBe(true);
  });
});

describe("streaming chunks", () => {
  const chunk = (extra: JsonObject): JsonObject => ({
    id: "gen-1",
    object: "chat.completion.chunk",
    created: 1,
    model: "openai/gpt-4o",
    ...extra,
  });
  test("usage chunk may have empty choices or one empty-delta choice", () => {
    const validate = schema("ChatCompletionChunk");
    const usage = { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 };
    expect(validate(chunk({ choices: [], usage })), formatErrors(validate.errors)).toBe(true);
    const one = [
      {
        index: 0,
        delta: { role: "assistant", content: "" },
        finish_reason: null,
        native_finish_reason: null,
        logprobs: null,
      },
    ];
    expect(validate(chunk({ choices: one, usage })), formatErrors(validate.errors)).toBe(true);
  });
  test.each([502, "server_error"])("mid-stream error code %s is accepted", (code) => {
    const validate = schema("ChatCompletionChunk");
    const body = chunk({
      error: { code, message: "Provider returned error", metadata: { error_type: "provider_unavailable" } },
      choices: [{ index: 0, delta: { content: "" }, finish_reason: "error" }],
    });
    expect(validate(body), formatErrors(validate.errors)).toBe(true);
    expect(validate(chunk({ error: { code: true, message: "x" }, choices: [] }))).toBe(false);
  });
  test("debug chunk with empty choices is accepted", () => {
    const validate = schema("ChatCompletionChunk");
    expect(
      validate(chunk({ choices: [], debug: { echo_upstream_body: { model: "gpt-4o", stream: true } } })),
      formatErrors(validate.errors),
    ).toBe(true);
  });
  test.each(["text_completion", "text_completion.chunk", "chat.completion.chunk"])(
    "completion chunk object %s is accepted",
    (object) => {
      const validate = schema("CompletionChunk");
      expect(
        validate({ id: "gen-1", object, choices: [{ text: "x", index: 0, finish_reason: null }] }),
        formatErrors(validate.errors),
      ).toBe(true);
      expect(validate({ object: "chat.completion", choices: [] })).toBe(false);
    },
  );
});
