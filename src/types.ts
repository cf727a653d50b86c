/**
 * The one seam between the runtime and the generated contract types: the only module that imports
 * ../generated/schema. Everything else imports curated aliases from here.
 */
import type { components, operations, paths } from "../generated/schema";

export type { components, operations, paths };

type Schemas = components["schemas"];

/** Request body of `POST /completions`. */
export type CreateCompletionRequest = Schemas["CreateCompletionRequest"];
/** Request body of `POST /chat/completions`. */
export type CreateChatCompletionRequest = Schemas["CreateChatCompletionRequest"];
/** JSON 200 body of `POST /completions`. */
export type Completion = Schemas["Completion"];
/** One SSE `data:` payload of `POST /completions` with `stream: true`. */
export type CompletionChunk = Schemas["CompletionChunk"];
/** JSON 200 body of `POST /chat/completions`. */
export type ChatCompletion = Schemas["ChatCompletion"];
/** One SSE `data:` payload of `POST /chat/completions` with `stream: true`. */
export type ChatCompletionChunk = Schemas["ChatCompletionChunk"];
export type ChatCompletionChoice = Schemas["ChatCompletionChoice"];
export type ChatCompletionMessage = Schemas["ChatCompletionMessage"];
export type ChatCompletionChunkChoice = Schemas["ChatCompletionChunkChoice"];
export type ChatCompletionDelta = Schemas["ChatCompletionDelta"];
export type ChatMessage = Schemas["ChatMessage"];
export type ToolCall = Schemas["ToolCall"];
export type ToolCallDelta = Schemas["ToolCallDelta"];
export type ReasoningDetail = Schemas["ReasoningDetail"];
export type Usage = Schemas["Usage"];
export type FinishReason = Schemas["FinishReason"];
export type ErrorResponse = Schemas["ErrorResponse"];
export type ErrorObject = Schemas["ErrorObject"];
/** Every JSON 200 body of `POST /chat/completions`: the `ChatCompletion`, or the error-only `{error, user_id}` body. */
export type ChatCompletionOrError = Schemas["ChatCompletionOrError"];
/** Every SSE `data:` payload of `POST /chat/completions`: a chunk, or an event that carries only `error`. */
export type ChatCompletionStreamEvent = Schemas["ChatCompletionStreamEvent"];
/** In-band `choices[].error` of a 200 response. */
export type ChoiceError = Schemas["ChoiceError"];
/** Top-level `error` of a mid-stream error chunk. */
export type StreamErrorObject = Schemas["StreamError"];

/** Chat request with `stream: true`: the call resolves to a `Stream<ChatCompletionChunk>`. */
export type ChatCompletionCreateParamsStreaming = CreateChatCompletionRequest & { stream: true };
/** Chat request without streaming: the call resolves to a `ChatCompletion`. */
export type ChatCompletionCreateParamsNonStreaming = CreateChatCompletionRequest & { stream?: false | null };
/** Completion request with `stream: true`: the call resolves to a `Stream<CompletionChunk>`. */
export type CompletionCreateParamsStreaming = CreateCompletionRequest & { stream: true };
/** Completion request without streaming: the call resolves to a `Completion`. */
export type CompletionCreateParamsNonStreaming = CreateCompletionRequest & { stream?: false | null };
