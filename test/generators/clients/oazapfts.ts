// oazapfts (fetch functions on @oazapfts/runtime; responses are unions discriminated by status).
import { createChatCompletion, createCompletion } from "../out/oazapfts/api";
import { createChatCompletion as streamChatCompletion } from "../out/oazapfts-stream/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// Type-level contract of the bundle's form: `stream` (which has a documented default) may be left out, unknown
// request keys are allowed, and a nullable enum is its values or null (not the string "null").
import type {
  CreateChatCompletionRequest as Req,
  FinishReason as Finish,
  ProviderPreferences,
} from "../out/oazapfts/api";
export const typed = {
  minimal: { model: "m", messages: [{ role: "user", content: "hi" }] } satisfies Req,
  extra: { model: "m", messages: [], provider_specific_knob: 1 } satisfies Req,
  finish: [null, "stop"] satisfies Finish[],
};
// (Checked on data_collection, a closed one: FinishReason is becoming an open enum, which takes any string.)
// @ts-expect-error the string "null" is not a data_collection value
export const notACollection: ProviderPreferences["data_collection"] = "null";

export async function run(baseUrl: string): Promise<Outcome> {
  const opts = { baseUrl, headers: { Authorization: `Bearer ${API_KEY}` } };
  const chat = await createChatCompletion(chatBody, {}, opts);
  const text = await createCompletion(completionBody, {}, opts);
  const bad = await createChatCompletion(invalidBody, {}, opts);
  if (chat.status !== 200 || text.status !== 200) throw new Error(`expected 200s, got ${chat.status}, ${text.status}`);
  if (bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
  // openapi.stream.json: the 200 is typed as one ChatCompletionStreamEvent; the runtime hands over the SSE text.
  const streamed = await streamChatCompletion({ ...chatBody, stream: true }, {}, opts).catch(() => undefined);
  const sse = streamed?.status === 200 && typeof (streamed.data as unknown) === "string";
  // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError): narrow on `choices`.
  return {
    streamBundle: sse ? "sse text typed as a chunk" : "throws",
    chat: "choices" in chat.data ? chat.data.choices?.[0]?.message.content : undefined,
    completion: "choices" in text.data ? text.data.choices?.[0]?.text : undefined,
    badRequest: {
      status: bad.status,
      code: bad.data.error.code,
      message: bad.data.error.message,
      pointers: pointersOf(bad.data.error.metadata),
    },
  };
}

// An open enum's known values are a literal union of their own (ApiErrorType itself widens to `string`).
import type { ApiErrorTypeKnown } from "../out/oazapfts/api";
export const known: ApiErrorTypeKnown = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: ApiErrorTypeKnown = "a_new_kind";
