// openapi-typescript-codegen (`-c fetch --useUnionTypes`): static service classes over a global `OpenAPI` config;
// a non-2xx answer is thrown as `ApiError` whose `body` is `any` (the 400 is not typed). `--useUnionTypes` matters:
// without it every enum property becomes a TypeScript enum named after it, and `export enum object` does not compile.
import {
  ApiError,
  type ApiErrorTypeKnown,
  ChatService,
  CompletionsService,
  OpenAPI,
} from "../out/openapi-typescript-codegen";
import { ChatService as StreamChat, OpenAPI as StreamOpenAPI } from "../out/openapi-typescript-codegen-stream";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

// An open enum's known values are a literal union of their own (ApiErrorType itself widens to `string`).
export const known: ApiErrorTypeKnown = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: ApiErrorTypeKnown = "a_new_kind";

export async function run(baseUrl: string): Promise<Outcome> {
  for (const config of [OpenAPI, StreamOpenAPI]) Object.assign(config, { BASE: baseUrl, TOKEN: API_KEY });
  const chat = await ChatService.createChatCompletion(chatBody);
  const text = await CompletionsService.createCompletion(completionBody);
  const bad = await ChatService.createChatCompletion(invalidBody).then(
    () => undefined,
    (err: unknown) => (err instanceof ApiError ? err : undefined),
  );
  if (!bad) throw new Error("expected an ApiError for the 400");
  // openapi.stream.json: the 200 is typed as one ChatCompletionStreamEvent; a non-JSON body is returned as text.
  const streamed: unknown = await StreamChat.createChatCompletion({ ...chatBody, stream: true });
  return {
    chat: "choices" in chat ? chat.choices?.[0]?.message.content : undefined,
    completion: "choices" in text ? text.choices?.[0]?.text : undefined,
    badRequest: {
      status: bad.status,
      code: bad.body?.error?.code,
      message: String(bad.body?.error?.message),
      pointers: pointersOf(bad.body?.error?.metadata),
    },
    streamBundle: typeof streamed === "string" ? "sse text typed as a chunk" : "throws",
  };
}
