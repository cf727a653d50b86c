/**
 * Result types of the client's calls (type-checked by vitest's typecheck, never run): a literal `stream: true`
 * resolves to a `Stream` of the endpoint's chunks, no `stream` to the JSON body, a `boolean` to the union; and the
 * conformance entry's validator fits the client's `validator` option.
 * The runtime behaviour of the same calls is tested in client.test.ts and against-mock.test.ts.
 */
import { describe, expectTypeOf, test } from "vitest";
import type { createClientValidator } from "../../src/conformance/index";
import {
  createOpenRouterClient,
  type ClientValidator,
  type ChatCompletion,
  type ChatCompletionChunk,
  type Completion,
  type CompletionChunk,
  type Stream,
} from "../../src/client/index";

const client = createOpenRouterClient({ baseUrl: "http://127.0.0.1:1" });
const chatBody = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const completionBody = { model: "m", prompt: "Say hi" };

describe("chat.completions.create", () => {
  test("without stream: ChatCompletion (choices an array or null)", async () => {
    const res = await client.chat.completions.create(chatBody);
    expectTypeOf(res).toEqualTypeOf<ChatCompletion>();
    expectTypeOf(res.choices).toMatchTypeOf<unknown[] | null>();
  });

  test("stream: true: a Stream of ChatCompletionChunk", async () => {
    const stream = await client.chat.completions.create({ ...chatBody, stream: true });
    expectTypeOf(stream).toEqualTypeOf<Stream<ChatCompletionChunk>>();
    for await (const c of stream) expectTypeOf(c).toEqualTypeOf<ChatCompletionChunk>();
  });

  test("stream: boolean (not a literal): the union", () => {
    const flag = Math.random() > 2;
    const p = () => client.chat.completions.create({ ...chatBody, stream: flag });
    expectTypeOf<Awaited<ReturnType<typeof p>>>().toEqualTypeOf<ChatCompletion | Stream<ChatCompletionChunk>>();
  });
});

describe("completions.create", () => {
  test("without stream: Completion", async () => {
    expectTypeOf(await client.completions.create(completionBody)).toEqualTypeOf<Completion>();
  });

  test("stream: true: a Stream of CompletionChunk", async () => {
    const s = await client.completions.create({ ...completionBody, stream: true });
    expectTypeOf(s).toEqualTypeOf<Stream<CompletionChunk>>();
  });
});

describe("validator", () => {
  test("createClientValidator() from the conformance entry satisfies the client's ClientValidator", () => {
    expectTypeOf<ReturnType<typeof createClientValidator>>().toMatchTypeOf<ClientValidator>();
  });
});
