// Kubb (plugin-ts + plugin-client with its fetch client; config in ../kubb.config.ts). Each function returns the
// response body only, typed as the 200's; a non-2xx answer is not thrown, its body comes back under that type (the
// error types are only a type argument of the request). A custom `client` is the way to see the status. It sends no
// `Content-Type`: pass `application/json` yourself.
import fetchClient, { type Client } from "@kubb/plugin-client/clients/fetch";
import { createChatCompletion, createCompletion } from "../out/kubb/clients/index.ts";
import type { ApiErrorTypeKnown, CreateChatCompletionRequest as Req } from "../out/kubb/index.ts";
import { createChatCompletion as streamChatCompletion } from "../out/kubb-stream/clients/index.ts";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome, throws } from "./common";

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
  let status = 0;
  const client: Client = async (config) => {
    const res = await fetchClient(config);
    status = res.status;
    return res as never;
  };
  // Its fetch client sends no Content-Type of its own: without this header every call is a 400 (content_type).
  const headers = { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" };
  const config = { baseURL: baseUrl, headers, client };
  const chat = await createChatCompletion(chatBody, undefined, config);
  const text = await createCompletion(completionBody, undefined, config);
  const bad = await createChatCompletion(invalidBody, undefined, config);
  // The 400's body arrives typed as ChatCompletionOrError, whose error-only member `{error, user_id}` fits it.
  if (status !== 400 || !("error" in bad) || "choices" in bad) throw new Error(`expected a 400 body, got ${status}`);
  // openapi.stream.json: the fetch client parses every body as JSON, which an event stream is not.
  const streamThrows = await throws(() => streamChatCompletion({ ...chatBody, stream: true }, undefined, config));
  return {
    chat: "choices" in chat ? chat.choices?.[0]?.message.content : undefined,
    completion: "choices" in text ? text.choices?.[0]?.text : undefined,
    badRequest: {
      status,
      code: bad.error.code,
      message: bad.error.message,
      pointers: pointersOf(bad.error.metadata),
    },
    streamBundle: streamThrows ? "throws" : "sse text typed as a chunk",
  };
}
