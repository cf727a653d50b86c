// openapi-typescript with its default options (what `npx openapi-typescript` gives) and openapi-fetch.
import createClient from "openapi-fetch";
import type { components, paths } from "../out/openapi-typescript/schema";
import type { paths as streamPaths } from "../out/openapi-typescript-stream/schema";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome, throws } from "./common";

type Request = components["schemas"]["CreateChatCompletionRequest"];
// Defaults do not make fields required (`stream` may be left out) and the body accepts provider-specific keys.
const minimal: Request = { model: "openai/gpt-4o", messages: [{ role: "user", content: "Hi" }] };
const extra: Request = { ...minimal, provider_specific_knob: 1 };
const finish: components["schemas"]["FinishReason"] = null;
export const typed = { minimal, extra, finish };
// An open enum's known values are a literal union of their own (ApiErrorType itself is `string`).
type Known = components["schemas"]["ApiErrorTypeKnown"];
export const known: Known = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: Known = "a_new_kind";

export async function run(baseUrl: string): Promise<Outcome> {
  const client = createClient<paths>({ baseUrl, headers: { Authorization: `Bearer ${API_KEY}` } });
  const chat = await client.POST("/chat/completions", { body: chatBody });
  const text = await client.POST("/completions", { body: completionBody });
  const bad = await client.POST("/chat/completions", { body: invalidBody });
  if (!bad.error) throw new Error(`expected a typed 400, got ${bad.response.status}`);
  // The 200 has two media types, so data is `ChatCompletion | string` (the SSE body): narrow it.
  // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError): narrow on `choices`.
  const completion = typeof chat.data === "object" && "choices" in chat.data ? chat.data : undefined;
  const legacy = typeof text.data === "object" && "choices" in text.data ? text.data : undefined;
  // openapi.stream.json: openapi-fetch parses the 200 as JSON, which an event stream is not.
  const streamClient = createClient<streamPaths>({ baseUrl, headers: { Authorization: `Bearer ${API_KEY}` } });
  const streamThrows = await throws(() =>
    streamClient.POST("/chat/completions", { body: { ...chatBody, stream: true } }),
  );
  return {
    streamBundle: streamThrows ? "throws" : "sse text typed as a chunk",
    chat: completion?.choices?.[0]?.message.content,
    completion: legacy?.choices?.[0]?.text,
    badRequest: {
      status: bad.response.status,
      code: bad.error.error.code,
      message: bad.error.error.message,
      pointers: pointersOf(bad.error.error.metadata),
    },
  };
}
