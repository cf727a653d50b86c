// orval (`--client fetch`, no config file): fetch functions whose result is `{data, status}`, a union discriminated
// by status. Without a config (`output.baseUrl` or a custom fetch) the URLs are relative (`/chat/completions`), so
// this usage file hands it a fetch that prefixes the mock's address.
import {
  type ApiErrorTypeKnown,
  type CreateChatCompletionRequest as Req,
  createChatCompletion,
  createCompletion,
} from "../out/orval/api";
import { createChatCompletion as streamChatCompletion } from "../out/orval-stream/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// Type-level contract of the bundle's form: `stream` may be left out, unknown request keys are allowed.
export const typed = {
  minimal: { model: "m", messages: [{ role: "user", content: "hi" }] } satisfies Req,
  extra: { model: "m", messages: [], provider_specific_knob: 1 } satisfies Req,
};
// An open enum's known values are a literal union of their own (ApiErrorType itself widens to `string`).
export const known: ApiErrorTypeKnown = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: ApiErrorTypeKnown = "a_new_kind";

export async function run(baseUrl: string): Promise<Outcome> {
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => realFetch(typeof input === "string" ? baseUrl + input : input, init);
  try {
    const opts = { headers: { Authorization: `Bearer ${API_KEY}` } };
    const chat = await createChatCompletion(chatBody, opts);
    const text = await createCompletion(completionBody, opts);
    const bad = await createChatCompletion(invalidBody, opts);
    if (chat.status !== 200 || text.status !== 200) throw new Error(`expected 200s: ${chat.status}, ${text.status}`);
    if (bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
    // The 200 has two media types: the JSON body (a completion or the error-only body) or the SSE text.
    const c = chat.data;
    const t = text.data;
    // openapi.stream.json: the 200 is typed as one ChatCompletionStreamEvent, but the data is the SSE text.
    const streamed = await streamChatCompletion({ ...chatBody, stream: true }, opts);
    const sse = streamed.status === 200 && typeof (streamed.data as unknown) === "string";
    return {
      chat: typeof c === "object" && "choices" in c ? c.choices?.[0]?.message.content : undefined,
      completion: typeof t === "object" && "choices" in t ? t.choices?.[0]?.text : undefined,
      badRequest: {
        status: bad.status,
        code: bad.data.error.code,
        message: bad.data.error.message,
        pointers: pointersOf(bad.data.error.metadata),
      },
      streamBundle: sse ? "sse text typed as a chunk" : "throws",
    };
  } finally {
    globalThis.fetch = realFetch;
  }
}
