/**
 * openrouter-contract: typed client for OpenRouter's POST /completions and POST /chat/completions.
 * No network at import; no node: imports (runs in browsers and Node 20/22/24).
 */
export { createOpenRouterClient, DEFAULT_BASE_URL } from "./client";
export type { ClientOptions, RequestOptions, OpenRouterClient, ChatCompletionsResource, CompletionsResource } from "./client";
export { Stream } from "./stream";
export type { StreamControl } from "./stream";
export {
  OpenRouterError,
  BadRequestError,
  AuthenticationError,
  PaymentRequiredError,
  PermissionDeniedError,
  NotFoundError,
  RequestTimeoutError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableEntityError,
  RateLimitError,
  ServerError,
  ConnectionError,
  StreamTruncatedError,
  TimeoutError,
  AbortError,
  InvalidResponseError,
  InBandError,
  StreamError,
  ValidationError,
  ResponseTooLargeError,
  RedirectError,
  InvalidRequestError,
  errorClassForStatus,
} from "./errors";
export type { OpenRouterErrorInit } from "./errors";
export { isRetryableStatus, parseRetryAfter, backoffDelay } from "./retry";
export { ChatCompletionAccumulator, accumulateChatCompletion, accumulateCompletion } from "./accumulate";
export type { ClientValidator, ClientViolation, ValidateMode, ViolationSite } from "./validate";
export type * from "../types";
