/** The conformance package plugs into the client: `createClientValidator()` as `validator` (one real run of
 *  `validate: "strict"` over JSON and SSE; its type: types.test-d.ts) and `createRecorder()` as middleware (sees
 *  streamed bodies, no key). */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createClientValidator } from "../../src/conformance/index";
import { createRecorder } from "../../src/conformance/record";
import { ValidationError, createOpenRouterClient } from "../../src/client/index";
import { withRaw } from "../../src/client/with-raw";
import { startFaultServer, type FaultServer } from "../support/fault-server";

let srv: FaultServer;
beforeAll(async () => void (srv = await startFaultServer()));
afterAll(async () => srv?.close());

const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

describe("ClientValidator compatibility", () => {
  it("strict mode: valid JSON and SSE pass, an invalid request is rejected before sending", async () => {
    const validator = createClientValidator();
    const json = createOpenRouterClient({ baseUrl: `${srv.url}/ok/v1`, validate: "strict", validator });
    expect((await json.chat.completions.create(body)).id).toBe("gen-123");
    const sse = createOpenRouterClient({ baseUrl: `${srv.url}/ok-stream/v1`, validate: "strict", validator });
    let n = 0;
    for await (const _ of await sse.chat.completions.create({ ...body, stream: true })) n++;
    expect(n).toBe(5);
    const bad = createOpenRouterClient({ baseUrl: `${srv.url}/ok/v2`, validate: "strict", validator });
    await expect(
      bad.chat.completions.create({ model: "m", messages: "nope" } as unknown as typeof body),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(srv.attempts("ok", "v2")).toBe(0);
  });
});

describe("recorder middleware", () => {
  it("records JSON and streamed SSE bodies through the typed client, API key redacted", async () => {
    const lines: string[] = [];
    const key = "sk-or-v1-RECORDER-CANARY-0123456789";
    const mk = (s: string) =>
      withRaw(
        createOpenRouterClient({
          apiKey: key,
          baseUrl: `${srv.url}/${s}/rec`,
          middleware: [createRecorder({ write: (l) => void lines.push(l) })],
        }),
      );
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

  it("records a stream the client abandons (mid-stream error, break): incomplete, with what arrived", async () => {
    const lines: string[] = [];
    const mk = (s: string) =>
      withRaw(
        createOpenRouterClient({
          baseUrl: `${srv.url}/${s}/rec-abandon`,
          maxRetries: 0,
          middleware: [createRecorder({ write: (l) => void lines.push(l) })],
        }),
      );
    await expect(
      (async () => {
        for await (const _ of await mk("stream-error-int").chat.completions.create({ ...body, stream: true }));
      })(),
    ).rejects.toThrow(/Stream error/);
    for await (const _ of await mk("stream-then-hang").chat.completions.create({ ...body, stream: true })) break;
    for (let i = 0; i < 100 && lines.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toHaveLength(2);
    const recs = lines.map((l) => JSON.parse(l));
    const errRec = recs.find((r) => r.response.bodyText?.includes('"finish_reason":"error"'));
    expect(errRec, "the error chunk is kept").toBeDefined();
    // The hung stream never ends: only the caller's break lets the recorder finish, marking it incomplete.
    const hung = recs.find((r) => r !== errRec);
    expect(hung.response).toMatchObject({ status: 200, complete: false });
    expect(hung.response.bodyText).toContain("OPENROUTER PROCESSING");
  });

  const mockUrl = inject("apiBaseUrl");
  it.runIf(mockUrl)("records the mock's mid-stream error stream (the caller aborts on the error chunk)", async () => {
    const lines: string[] = [];
    const client = withRaw(
      createOpenRouterClient({
        apiKey: "k",
        baseUrl: mockUrl,
        maxRetries: 0,
        middleware: [createRecorder({ write: (l) => void lines.push(l) })],
      }),
    );
    await expect(
      (async () => {
        const s = await client.chat.completions.create(
          { ...body, stream: true },
          { headers: { Prefer: "example=stream_error" } },
        );
        for await (const _ of s);
      })(),
    ).rejects.toThrow(/Stream error/);
    for (let i = 0; i < 100 && lines.length < 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0]!);
    expect(rec.response.status).toBe(200);
    expect(rec.response.bodyText).toContain('"finish_reason":"error"');
  });
});
