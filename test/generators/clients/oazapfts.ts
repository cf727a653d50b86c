// oazapfts (fetch functions on @oazapfts/runtime; responses are unions discriminated by status).
import { createChatCompletion, createCompletion } from "../out/oazapfts/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

export async function run(baseUrl: string): Promise<Outcome> {
  const opts = { baseUrl, headers: { Authorization: `Bearer ${API_KEY}` } };
  const chat = await createChatCompletion(chatBody, {}, opts);
  const text = await createCompletion(completionBody, {}, opts);
  const bad = await createChatCompletion(invalidBody, {}, opts);
  if (chat.status !== 200 || text.status !== 200) throw new Error(`expected 200s, got ${chat.status}, ${text.status}`);
  if (bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
  return {
    chat: chat.data.choices?.[0]?.message.content,
    completion: text.data.choices?.[0]?.text,
    badRequest: { status: bad.status, code: bad.data.error.code, message: bad.data.error.message, pointers: pointersOf(bad.data.error.metadata) },
  };
}
