/** The conformance package plugs into the client: `createClientValidator()` as `validator` (types + one real run of
 *  `validate: "strict"` over JSON and SSE) and `createRecorder()` as middleware (sees streamed bodies, no key). */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from "vitest";
import { createClientValidator } from "../../src/conformance/index";
import { createRecorder } from "../../src/conformance/record";
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

describe("recorder middleware", () => {
  it("records JSON and streamed SSE bodies through the typed client, API key redacted", async () => {
    const lines: string[] = [];
    const key = "sk-or-v1-RECORDER-CANARY-0123456789";
    const mk = (s: string) => createOpenRouterClient({ apiKey: key, baseUrl: `${srv.url}/${s}/rec`, middleware: [createRecorder({ write: (l) => void lines.push(l) })] });
    await mk("ok").chat.completions.create(body);
    let n = 0;
    for await (const _ of await mk("ok-stream").chat.completions.create({ ...body, stream: true })) n++;
    expect(n).toBe(5);
    for (let i = 0; i < 50 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toHaveLength(2);
    const [j, sse] = lines.map((l) => JSON.parse(l));
    expect(j.response.status).toBe(200);
    expect(sse.response.bodyText).toContain("data: [DONE]");
    expect(lines.join("\n")).not.toContain(key);
  });
});
