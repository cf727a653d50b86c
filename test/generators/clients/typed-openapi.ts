// typed-openapi (runtime "none": types plus a small ApiClient around a fetcher you supply).
import { createApiClient, type Fetcher } from "../out/typed-openapi/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

const fetcher: Fetcher["fetch"] = (input) =>
  fetch(input.url, {
    method: input.method.toUpperCase(),
    headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
    body: input.parameters?.body === undefined ? undefined : JSON.stringify(input.parameters.body),
  });

export async function run(baseUrl: string): Promise<Outcome> {
  const api = createApiClient({ fetch: fetcher }, baseUrl);
  // typed-openapi wants a `header` object even when every header parameter is optional.
  const chat = await api.post("/chat/completions", { header: {}, body: chatBody });
  const text = await api.post("/completions", { header: {}, body: completionBody });
  const bad = await api.post("/chat/completions", { header: {}, body: invalidBody, withResponse: true });
  if (bad.ok || bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
  return {
    chat: chat.choices?.[0]?.message.content,
    completion: text.choices?.[0]?.text,
    badRequest: { status: bad.status, code: bad.data.error.code, message: bad.data.error.message, pointers: pointersOf(bad.data.error.metadata) },
  };
}
