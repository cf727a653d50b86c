// Small recordings for the replay tests: a JSON answer, a stream, an error, from the shared fault-server builders.
import type { ExchangeRecord } from "../../src/conformance/types";
import { chatCompletion, transcript } from "../support/fault-server";

export const URL_ = "https://openrouter.ai/api/v1/chat/completions";
export const HEADERS = { authorization: "[REDACTED]", "content-type": "application/json" };

export const chatBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: "openai/gpt-4o-mini",
  messages: [{ role: "user", content }],
  ...extra,
});

export const completion = (content: string) => chatCompletion(content);

export function jsonRecord(id: string, question: string, answer: string): ExchangeRecord {
  return {
    v: 1,
    id,
    request: { method: "POST", url: URL_, headers: HEADERS, body: chatBody(question) },
    response: {
      status: 200,
      headers: { "content-type": "application/json", "x-generation-id": `gen-${id}` },
      body: completion(answer),
    },
  };
}

/** Two `: OPENROUTER PROCESSING` comments, four content chunks, the finish and usage chunks, [DONE]: nine events. */
export const SSE = transcript(["One", " two", " three", " four"]);

export function streamRecord(id: string, question: string, sse = SSE, complete = true): ExchangeRecord {
  return {
    v: 1,
    id,
    request: { method: "POST", url: URL_, headers: HEADERS, body: chatBody(question, { stream: true }) },
    response: { status: 200, headers: { "content-type": "text/event-stream" }, bodyText: sse, complete },
  };
}

export function errorRecord(id: string, question: string, status: number, message: string): ExchangeRecord {
  return {
    v: 1,
    id,
    request: { method: "POST", url: URL_, headers: HEADERS, body: chatBody(question) },
    response: { status, headers: { "content-type": "application/json" }, body: { error: { code: status, message } } },
  };
}

export const post = (base: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer sk-or-v1-test-not-a-key", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
