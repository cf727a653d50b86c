/** The conformance package's validator plugs into the client's `validator` option: types, and one real run of
 *  `validate: "strict"` over JSON and SSE against the fault server's well-formed responses. */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createClientValidator } from "../../src/conformance/index";
import { ValidationError, createOpenRouterClient, type ClientValidator } from "../../src/index";
import { startFaultServer, type FaultServer } from "./fault-server";

let srv: FaultServer;
beforeAll(async () => void (srv = await startFaultServer()));
afterAll(async () => srv?.close());

const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

describe("ClientValidator compatibility", () => {
  it("createClientValidator() satisfies ClientValidator", () => {
    expectTypeOf<ReturnType<typeof createClientValidator>>().toMatchTypeOf<ClientValidator>();
  });

  it("strict mode: valid JSON and SSE pass, an invalid request is rejected before sending", async () => {
    const validator = createClientValidator();
    const json = createOpenRouterClient({ baseUrl: `${srv.url}/ok/v1`, validate: "strict", validator });
    expect((await json.chat.completions.create(body)).id).toBe("gen-123");
    const sse = createOpenRouterClient({ baseUrl: `${srv.url}/ok-stream/v1`, validate: "strict", validator });
    let n = 0;
    for await (const _ of await sse.chat.completions.create({ ...body, stream: true })) n++;
    expect(n).toBe(5);
    const bad = createOpenRouterClient({ baseUrl: `${srv.url}/ok/v2`, validate: "strict", validator });
    await expect(bad.chat.completions.create({ model: "m", messages: "nope" } as unknown as typeof body)).rejects.toBeInstanceOf(ValidationError);
    expect(srv.attempts("ok", "v2")).toBe(0);
  });
});
