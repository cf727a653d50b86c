// swagger-typescript-api --modular (a class per tag over fetch; a non-2xx response is thrown with its typed `error`).
import { Chat } from "../out/swagger-typescript-api/Chat";
import { Completions } from "../out/swagger-typescript-api/Completions";
import type { ChatCompletion, ErrorResponse } from "../out/swagger-typescript-api/data-contracts";
import type { HttpResponse } from "../out/swagger-typescript-api/http-client";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// Type-level contract of the bundle's form: `stream` (which has a documented default) may be left out, unknown
// request keys are allowed, and a nullable enum is its values or null (not the string "null").
import type {
  CreateChatCompletionRequest as Req,
  FinishReason as Finish,
  ProviderPreferences,
} from "../out/swagger-typescript-api/data-contracts";
export const typed = {
  minimal: { model: "m", messages: [{ role: "user", content: "hi" }] } satisfies Req,
  extra: { model: "m", messages: [], provider_specific_knob: 1 } satisfies Req,
  finish: [null, "stop"] satisfies Finish[],
};
// (Checked on data_collection, a closed one: FinishReason is becoming an open enum, which takes any string.)
// @ts-expect-error the string "null" is not a data_collection value
export const notACollection: ProviderPreferences["data_collection"] = "null";

export async function run(baseUrl: string): Promise<Outcome> {
  const config = { baseUrl, baseApiParams: { headers: { Authorization: `Bearer ${API_KEY}` } } };
  const api = { chat: new Chat(config), completions: new Completions(config) };
  const chat = await api.chat.createChatCompletion(chatBody);
  const text = await api.completions.createCompletion(completionBody);
  let bad: HttpResponse<ChatCompletion, ErrorResponse> | undefined;
  try {
    await api.chat.createChatCompletion(invalidBody);
  } catch (thrown) {
    bad = thrown as HttpResponse<ChatCompletion, ErrorResponse>;
  }
  if (bad?.status !== 400) throw new Error(`expected a typed 400, got ${bad?.status}`);
  // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError): narrow on `choices`.
  return {
    chat: "choices" in chat.data ? chat.data.choices?.[0]?.message.content : undefined,
    completion: "choices" in text.data ? text.data.choices?.[0]?.text : undefined,
    badRequest: {
      status: bad.status,
      code: bad.error.error.code,
      message: bad.error.error.message,
      pointers: pointersOf(bad.error.error.metadata),
    },
  };
}

// An open enum's known values are a TypeScript enum of their own (ApiErrorType itself widens to `string`).
import { ApiErrorTypeKnown } from "../out/swagger-typescript-api/data-contracts";
export const known: ApiErrorTypeKnown = ApiErrorTypeKnown.RateLimitExceeded;
// @ts-expect-error a value outside the known list
export const notKnown: ApiErrorTypeKnown = "a_new_kind";
