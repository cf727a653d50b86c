// openapi-zod-client (a Zodios client: zod schemas for every component, responses validated at runtime).
import { isErrorFromAlias } from "@zodios/core";
import type { z } from "zod";
import { createApiClient, schemas } from "../out/openapi-zod-client/api";
import { API_KEY, chatBody, completionBody, invalidBody, pointersOf, type Outcome } from "./common";

export async function run(baseUrl: string): Promise<Outcome> {
  const client = createApiClient(baseUrl);
  const headers = { Authorization: `Bearer ${API_KEY}` };
  // The discriminated unions are built from the `const` + `enum` tags; they parse a real message.
  schemas.ChatMessage.parse(chatBody.messages[0]);
  const chat = await client.createChatCompletion(chatBody, { headers });
  const text = await client.createCompletion(completionBody, { headers });
  try {
    await client.createChatCompletion(invalidBody, { headers });
  } catch (err) {
    if (!isErrorFromAlias(client.api, "createChatCompletion", err)) throw err;
    const bad = err.response;
    if (bad.status !== 400) throw new Error(`expected a typed 400, got ${bad.status}`);
    // A 200 may also be the error-only body `{error, user_id}` (ChatCompletionOrError); both members are passthrough
    // objects, so `in` cannot narrow: pick the member with its own zod schema.
    const parsedChat = schemas.ChatCompletion.safeParse(chat);
    const parsedText = schemas.Completion.safeParse(text);
    return {
      chat: parsedChat.success ? parsedChat.data.choices?.[0]?.message.content : undefined,
      completion: parsedText.success ? parsedText.data.choices?.[0]?.text : undefined,
      badRequest: {
        status: bad.status,
        code: bad.data.error.code,
        message: bad.data.error.message,
        pointers: pointersOf(bad.data.error.metadata),
      },
    };
  }
  throw new Error("expected the invalid body to be rejected");
}

// An open enum's known values are a zod enum of their own (ApiErrorType itself is `z.union([known, z.string()])`).
type Known = z.infer<typeof schemas.ApiErrorTypeKnown>;
export const known: Known = "rate_limit_exceeded";
// @ts-expect-error a value outside the known list
export const notKnown: Known = "a_new_kind";
