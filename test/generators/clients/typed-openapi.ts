// typed-openapi (runtime "none": types plus a small ApiClient around a fetcher you supply).
import { createApiClient, type Fetcher } from "../out/typed-openapi/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// Type-level contract of the bundle's form: `stream` (which has a documented default) may be left out, unknown
// request keys are allowed, and a nullable enum is its values or null (not the string "null").
import type { Schemas } from "../out/typed-openapi/api";
type Req = Schemas.CreateChatCompletionRequest;
type Finish = Schemas.FinishReason;
type ProviderPreferences = Schemas.ProviderPreferences;
export const typed = {
  minimal: { model: "m", messages: [{ role: "user", content: "hi" }] } satisfies Req,
  extra: { model: "m", messages: [], provider_specific_knob: 1 } satisfies Req,
  finish: [null, "stop"] satisfies Finish[],
};
// (Checked on data_collection, a closed one: FinishReason is becoming an open enum, which takes any string.)
// @ts-expect-error the string "null" is not a data_collection value
export const notACollection: ProviderPreferences["data_collection"] = "null";

const fetcher: Fetcher["fetch"] = (input) =>
  fetch(input.url, {
    method: input.method.toUpperCase(),
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: input.parameters?.body === undefined ? undefined : JSON.stringify(input.parameters.body),
  });

export async function run(baseUrl: string): Promise<Outcome> {
  const api = createApiClient({ fetch: fetcher }, baseUrl);
  // typed-openapi wants a `header` object even when every header parameter is optional.
  const chat = await api.post("/chat/completions", { header: {}, body: chatBody });
  const text = await api.post("/completions", { header: {}, body: completionBody });
  const bad = await api.post("/chat/completions", { header: {}, body: invalidBody, withResponse: true });
  if (bad.ok || bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
  // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError): narrow on `choices`.
  return {
    chat: "choices" in chat ? chat.choices?.[0]?.message.content : undefined,
    completion: "choices" in text ? text.choices?.[0]?.text : undefined,
    badRequest: {
      status: bad.status,
      code: bad.data.error.code,
      message: bad.data.error.message,
      pointers: pointersOf(bad.data.error.metadata),
    },
  };
}

// An open enum's known values are a literal union of their own (ApiErrorType itself widens to `string`).
export const known: Schemas.ApiErrorTypeKnown = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: Schemas.ApiErrorTypeKnown = "a_new_kind";
