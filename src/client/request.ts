/**
 * One call through the pipeline: prepared once (abort check, request validation, body, headers, limits), then the
 * retry loop over attempts; whatever error leaves is scrubbed of the bearer token on the way out.
 */
import { abortError } from "./abort";
import { attempt, type Call, type Transport } from "./attempt";
import { serialize } from "./body";
import { redactError } from "./errors/redact";
import { bearerToken, checkRequestOptions, mergeHeaders, type RequestOptions } from "./options";
import { retryRequest } from "./retry";
import type { CreateChatCompletionRequest, CreateCompletionRequest } from "../types";

/** The body of either operation (untyped callers may pass anything: it is validated and serialized as is). */
export type RequestBody = CreateChatCompletionRequest | CreateCompletionRequest;

export async function request(
  t: Transport,
  path: Call["path"],
  opId: string,
  body: RequestBody,
  o: RequestOptions | undefined,
): Promise<unknown> {
  let key = t.key;
  try {
    const call = prepare(t, path, opId, body, o);
    key = call.key;
    return await retryRequest(call, (abort) => attempt(call, abort));
  } catch (e) {
    throw redactError(e, key);
  }
}

function prepare(
  t: Transport,
  path: Call["path"],
  opId: string,
  body: RequestBody,
  o: RequestOptions | undefined,
): Call {
  if (o) checkRequestOptions(o);
  const signal = o?.signal;
  if (signal?.aborted) throw abortError(signal);
  t.checks?.request(opId, body);
  const payload = serialize(body);
  const stream = body?.stream === true;
  const defaults = stream ? t.sse : t.json;
  const headers = o?.headers ? mergeHeaders({ ...defaults }, o.headers, "options.headers") : defaults;
  const timeoutMs = o?.timeoutMs ?? t.timeoutMs;
  return {
    client: t,
    path,
    opId,
    payload,
    headers,
    key: headers === defaults ? t.key : bearerToken(headers),
    stream,
    signal,
    timeoutMs,
    totalTimeoutMs: o?.totalTimeoutMs ?? t.totalTimeoutMs ?? timeoutMs,
    maxRetries: o?.maxRetries ?? t.maxRetries,
    retryInitialDelayMs: t.retryInitialDelayMs,
    retryMaxDelayMs: t.retryMaxDelayMs,
    inBandErrors: o?.inBandErrors ?? t.inBandErrors,
  };
}
