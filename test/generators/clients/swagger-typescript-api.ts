// swagger-typescript-api --modular (a class per tag over fetch; a non-2xx response is thrown with its typed `error`).
import { Chat } from "../out/swagger-typescript-api/Chat";
import { Completions } from "../out/swagger-typescript-api/Completions";
import type { ChatCompletion, ErrorResponse } from "../out/swagger-typescript-api/data-contracts";
import type { HttpResponse } from "../out/swagger-typescript-api/http-client";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

export async function run(baseUrl: string): Promise<Outcome> {
  const config = { baseUrl, baseApiParams: { headers: { Authorization: `Bearer ${API_KEY}` } } };
  const api = { chat: new Chat(config), completions: new Completions(config) };
  const chat = await api.chat.createChatCompletion(chatBody);
  const text = await api.completions.createCompletion(completionBody);
  let bad: HttpResponse<ChatCompletion, ErrorResponse> | undefined;
  try {
    await api.chat.createChatCompletion(invalidBody);
  } catch (thrown) {
    bad = thrown as HttpResponse<ChatCompletion, ErrorResponse>;
  }
  if (!bad || bad.status !== 400) throw new Error(`expected a typed 400, got ${bad?.status}`);
  return {
    chat: chat.data.choices?.[0]?.message.content,
    completion: text.data.choices?.[0]?.text,
    badRequest: { status: bad.status, code: bad.error.error.code, message: bad.error.error.message, pointers: pointersOf(bad.error.error.metadata) },
  };
}
