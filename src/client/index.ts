/**
 * openrouter-contract: typed client for OpenRouter's POST /completions and POST /chat/completions.
 * No network at import; no node: imports (runs in browsers and Node 20/22/24). This is the public export list.
 */
export { createOpenRouterClient } from "./client";
export type { OpenRouterClient, ChatCompletionsResource, CompletionsResource } from "./client";
export { DEFAULT_BASE_URL } from "./options";
export type { ClientOptions, RequestOptions } from "./options";
export { Stream } from "./stream/stream";
export type { StreamControl } from "./stream/stream";
export * from "./errors/classes";
export { isRetryableStatus, parseRetryAfter, backoffDelay } from "./retry";
export { ChatCompletionAccumulator, accumulateChatCompletion, accumulateCompletion } from "./accumulate";
export type { ClientValidator, ClientViolation, ValidateMode, ViolationSite } from "./validate";
export type * from "../types";
