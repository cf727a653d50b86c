/**
 * openrouter-contract/raw: `withRaw(client)` adds `client.raw`, the openapi-fetch client (`{ data, error, response }`
 * results) with the client's base URL, auth and attribution headers, and makes the client's `middleware` work (typed
 * calls go through openapi-fetch while any is registered; `raw.use()` adds to both). A separate entry so that apps
 * that only make typed calls never have openapi-fetch in their module graph, with or without code splitting.
 */
import type { Call, Transport } from "./attempt";
import type { OpenRouterClient } from "./client";
import { createRawClient, type RawClient } from "./raw";
import { TRANSPORT } from "./transport-key";

export type { RawClient } from "./raw";

/**
 * openapi-fetch's `POST` as an attempt calls it: the body is already serialized, the response is read as a stream,
 * and `error` holds the parsed body of a non-2xx response.
 */
interface RawPost {
  POST(
    path: Call["path"],
    init: {
      body: string;
      bodySerializer: (b: string) => string;
      headers: Record<string, string>;
      signal: AbortSignal;
      parseAs: "stream";
    },
  ): Promise<{ response: Response; error?: unknown }>;
}

/** A client with `raw`. */
export type OpenRouterClientWithRaw<C extends OpenRouterClient = OpenRouterClient> = C & { raw: RawClient };

/** Adds `raw` (and middleware support) to a client from `createOpenRouterClient`; returns the same object. */
export function withRaw<C extends OpenRouterClient>(client: C): OpenRouterClientWithRaw<C> {
  const t = (client as unknown as Record<symbol, Transport | undefined>)[TRANSPORT];
  if (!t) throw new TypeError("withRaw needs a client made by createOpenRouterClient (openrouter-contract)");
  if ((client as unknown as { raw?: RawClient }).raw) return client as OpenRouterClientWithRaw<C>;
  const { raw, middleware } = createRawClient(t, t.middleware);
  t.raw = raw;
  t.middleware = middleware;
  // Typed calls take this path while middleware is registered (attempt.ts).
  t.post = (call, signal) =>
    (raw as unknown as RawPost).POST(call.path, {
      body: call.payload,
      bodySerializer: (b: string) => b,
      headers: call.headers,
      signal,
      parseAs: "stream",
    });
  Object.defineProperty(client, "raw", { value: raw, enumerable: true });
  return client as OpenRouterClientWithRaw<C>;
}
