/**
 * `createOpenRouterClient()`: typed calls for POST /completions and POST /chat/completions with auth,
 * attribution headers, streaming, typed errors, retries and timeouts. This module only wires the parts: options.ts
 * (settings, headers), request.ts (one call: prepare, retry loop, redaction), retry.ts (the loop), attempt.ts (one
 * HTTP attempt). `raw` (openapi-fetch) and middleware come from `withRaw` (openrouter-contract/raw, with-raw.ts), so
 * openapi-fetch is not in this entry's module graph and no bundler can pull it into an app that does not use it.
 */
import type { Transport } from "./attempt";
import { resolveOptions, type ClientOptions, type RequestOptions } from "./options";
import { type RequestBody, request } from "./request";
import { TRANSPORT } from "./transport-key";
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
}

const NEEDS_RAW = "middleware needs the client wrapped by withRaw() from openrouter-contract/raw";

export function createOpenRouterClient(options: ClientOptions = {}): OpenRouterClient {
  const config = resolveOptions(options);
  const checks = createChecks(options.validate ?? "off", options.validator, options.onViolation);
  const t: Transport = { ...config, middleware: [...(options.middleware ?? [])], checks };
  const create =
    (path: "/completions" | "/chat/completions", opId: string) => (body: RequestBody, o?: RequestOptions) =>
      t.middleware.length && !t.raw ? Promise.reject(new TypeError(NEEDS_RAW)) : request(t, path, opId, body, o);
  const client: OpenRouterClient = {
    chat: { completions: { create: create("/chat/completions", "createChatCompletion") } as ChatCompletionsResource },
    completions: { create: create("/completions", "createCompletion") } as CompletionsResource,
  };
  Object.defineProperty(client, TRANSPORT, { value: t });
  return client;
}
