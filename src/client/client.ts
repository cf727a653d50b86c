/**
 * `createOpenRouterClient()`: typed calls for POST /completions and POST /chat/completions with auth,
 * attribution headers, streaming, typed errors, retries and timeouts, plus `raw`, the openapi-fetch client.
 * This module only wires the parts: options.ts (settings, headers), request.ts (one call: prepare, retry loop,
 * redaction), retry.ts (the loop), attempt.ts (one HTTP attempt), raw.ts (openapi-fetch, loaded lazily).
 */
import type { Client } from "openapi-fetch";
import type { Transport } from "./attempt";
import { resolveOptions, type ClientOptions, type RequestOptions } from "./options";
import { createRawClient } from "./raw";
import { type RequestBody, request } from "./request";
import type { Stream } from "./stream/stream";
import { createChecks } from "./validate";
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  Completion,
  CompletionChunk,
  CompletionCreateParamsNonStreaming,
  CompletionCreateParamsStreaming,
  CreateChatCompletionRequest,
  CreateCompletionRequest,
  paths,
} from "../types";

export interface ChatCompletionsResource {
  /** `POST /chat/completions`. With `stream: true` resolves to a `Stream` of chunks once the headers arrive. */
  create(body: ChatCompletionCreateParamsStreaming, options?: RequestOptions): Promise<Stream<ChatCompletionChunk>>;
  create(body: ChatCompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<ChatCompletion>;
  create(
    body: CreateChatCompletionRequest,
    options?: RequestOptions,
  ): Promise<ChatCompletion | Stream<ChatCompletionChunk>>;
}

export interface CompletionsResource {
  /** `POST /completions` (legacy text completions). With `stream: true` resolves to a `Stream` of chunks. */
  create(body: CompletionCreateParamsStreaming, options?: RequestOptions): Promise<Stream<CompletionChunk>>;
  create(body: CompletionCreateParamsNonStreaming, options?: RequestOptions): Promise<Completion>;
  create(body: CreateCompletionRequest, options?: RequestOptions): Promise<Completion | Stream<CompletionChunk>>;
}

export interface OpenRouterClient {
  chat: { completions: ChatCompletionsResource };
  completions: CompletionsResource;
  /**
   * The openapi-fetch client (`{ data, error, response }` results) with the same base URL, auth and attribution
   * headers, and middleware. openapi-fetch is imported on first call (all its request methods are async anyway);
   * `raw.use()` middleware also applies to typed calls.
   */
  raw: Client<paths, "application/json">;
}

export function createOpenRouterClient(options: ClientOptions = {}): OpenRouterClient {
  const config = resolveOptions(options);
  const { raw, middleware } = createRawClient(config, options.middleware);
  const checks = createChecks(options.validate ?? "off", options.validator, options.onViolation);
  const t: Transport = { ...config, raw, middleware, checks };
  const create =
    (path: "/completions" | "/chat/completions", opId: string) => (body: RequestBody, o?: RequestOptions) =>
      request(t, path, opId, body, o);
  return {
    chat: { completions: { create: create("/chat/completions", "createChatCompletion") } as ChatCompletionsResource },
    completions: { create: create("/completions", "createCompletion") } as CompletionsResource,
    raw,
  };
}
