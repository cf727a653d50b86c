// @hey-api/openapi-ts (fetch client): out/hey-api from openapi.json, out/hey-api-stream from openapi.stream.json.
import { createClient } from "../out/hey-api/client";
import { createChatCompletion, createCompletion } from "../out/hey-api";
import type { ChatCompletion, Completion, ErrorResponse } from "../out/hey-api/types.gen";
import { createClient as createStreamClient } from "../out/hey-api-stream/client";
import { createChatCompletion as streamChatCompletion } from "../out/hey-api-stream";
import type { ChatCompletionChunk } from "../out/hey-api-stream/types.gen";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// Type-level contract of the bundle's form: `stream` (which has a documented default) may be left out, unknown
// request keys are allowed, and a nullable enum is its values or null (not the string "null").
import type {
  CreateChatCompletionRequest as Req,
  FinishReason as Finish,
  ProviderPreferences,
} from "../out/hey-api/types.gen";
export const typed = {
  minimal: { model: "m", messages: [{ role: "user", content: "hi" }] } satisfies Req,
  extra: { model: "m", messages: [], provider_specific_knob: 1 } satisfies Req,
  finish: [null, "stop"] satisfies Finish[],
};
// (Checked on data_collection, a closed one: FinishReason is becoming an open enum, which takes any string.)
// @ts-expect-error the string "null" is not a data_collection value
export const notACollection: ProviderPreferences["data_collection"] = "null";

export async function run(baseUrl: string): Promise<Outcome> {
  const client = createClient({ baseUrl, auth: API_KEY });
  const chat = await createChatCompletion({ client, body: chatBody });
  // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError): narrow on `choices`.
  const completion: ChatCompletion | undefined = chat.data && "choices" in chat.data ? chat.data : undefined;
  const text = await createCompletion({ client, body: completionBody });
  const legacy: Completion | undefined = text.data && "choices" in text.data ? text.data : undefined;
  const bad = await createChatCompletion({ client, body: invalidBody });
  const error: ErrorResponse | undefined = bad.error;
  if (!error) throw new Error("expected a typed 400 error");

  // Streaming form: a typed SSE method. `[DONE]` is not JSON, so it arrives as the string "[DONE]".
  const streamClient = createStreamClient({ baseUrl, auth: API_KEY });
  const { stream } = await streamChatCompletion({
    client: streamClient,
    body: { ...chatBody, stream: true },
    sseMaxRetryAttempts: 1, // the SSE client reconnects on errors by default
  });
  const objects: string[] = [];
  let content = "";
  for await (const event of stream) {
    if ((event as unknown) === "[DONE]") break;
    // An event is a chunk or the error-only event `{error}` (ChatCompletionStreamEvent).
    if (!("object" in event)) throw new Error(`stream error event: ${JSON.stringify(event)}`);
    const chunk: ChatCompletionChunk = event;
    objects.push(chunk.object);
    content += chunk.choices[0]?.delta.content ?? "";
  }
  return {
    chat: completion?.choices?.[0]?.message.content,
    completion: legacy?.choices?.[0]?.text,
    badRequest: {
      status: bad.response?.status ?? 0,
      code: error.error.code,
      message: error.error.message,
      pointers: pointersOf(error.error.metadata),
    },
    stream: { objects, content },
  };
}

// An open enum's known values are a literal union of their own (ApiErrorType itself widens to `string`).
import type { ApiErrorTypeKnown } from "../out/hey-api/types.gen";
export const known: ApiErrorTypeKnown = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: ApiErrorTypeKnown = "a_new_kind";
