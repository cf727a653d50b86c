import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenRouterClient } from "../../src/client/index";
import { withRaw } from "../../src/client/with-raw";
import { checkExchange, createClientValidator, createRecorder, type ExchangeRecord } from "../../src/conformance/index";
import { allExamples, sseBlocks } from "../support/conformance";

const ex = allExamples();
const chatReq = ex.find(
  (e) => e.operationId === "createChatCompletion" && e.side === "request" && !(e.value as any).stream,
)!.value as Record<string, unknown>;
const chatJson = ex.find(
  (e) => e.operationId === "createChatCompletion" && e.status === 200 && e.mediaType === "application/json",
)!.value;
const chatSse = ex.find(
  (e) =>
    e.operationId === "createChatCompletion" &&
    e.mediaType === "text/event-stream" &&
    !/"error"/.test(e.value as string),
)!.value as string;

let server: Server;
let base = "";
/** Resolved by the test to let the server send the rest of a stream. */
let release: () => void = () => {};
let gate: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", async () => {
      const parsed = JSON.parse(body || "{}");
      if (parsed.stream) {
        res.writeHead(200, {
          "content-type": "text/event-stream",
          "x-generation-id": "gen-1",
          "set-cookie": "s=secret",
        });
        const blocks = sseBlocks(chatSse);
        res.write(blocks[0]);
        res.write(blocks[1]);
        await gate; // the caller must see the first events before the server continues
        if (parsed.abort_midway) return res.destroy();
        for (const b of blocks.slice(2)) res.write(b);
        res.end();
      } else {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(chatJson));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function newGate() {
  gate = new Promise<void>((r) => (release = r));
}

async function waitFor<T>(f: () => T | undefined, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("createRecorder (bare openapi-fetch client)", () => {
  it("tees a stream without holding back the caller, then writes one redacted, checkable record", async () => {
    const lines: string[] = [];
    const client = createClient<any>({
      baseUrl: base,
      headers: { authorization: "Bearer sk-or-v1-SECRET", "x-api-key": "k" },
    });
    client.use(createRecorder({ write: (l) => lines.push(l) }));
    newGate();
    const { response } = await client.POST("/chat/completions", {
      body: { ...chatReq, stream: true },
      parseAs: "stream",
    });
    const reader = response.body!.getReader();
    const first = await reader.read(); // would deadlock if the recorder buffered the caller's stream
    expect(new TextDecoder().decode(first.value)).toContain("OPENROUTER PROCESSING");
    expect(lines).toEqual([]);
    release();
    let text = new TextDecoder().decode(first.value);
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toBe(chatSse);
    const line = await waitFor(() => lines[0]);
    expect(line).not.toContain("SECRET");
    const rec = JSON.parse(line) as ExchangeRecord;
    expect(rec.v).toBe(1);
    expect(rec.request.headers!.authorization).toBe("[REDACTED]");
    expect(rec.request.headers!["x-api-key"]).toBe("[REDACTED]");
    expect(rec.response!.headers!["set-cookie"]).toBe("[REDACTED]");
    expect(rec.response!.bodyText).toBe(chatSse);
    expect(rec.response!.complete).toBe(true);
    expect(checkExchange(rec).violations.filter((v) => v.severity !== "info")).toEqual([]);
  });

  it("records JSON exchanges with parsed bodies", async () => {
    const lines: string[] = [];
    const client = createClient<any>({ baseUrl: base, headers: { authorization: "Bearer k" } });
    client.use(createRecorder({ write: (l) => lines.push(l), redact: ["user"] }));
    const { data } = await client.POST("/chat/completions", { body: { ...chatReq, user: "u-123" } });
    expect(data).toEqual(chatJson);
    const rec = JSON.parse(await waitFor(() => lines[0])) as ExchangeRecord;
    expect(rec.response!.body).toEqual(chatJson);
    expect((rec.request.body as any).user).toBe("[REDACTED]");
    expect(checkExchange(rec).violations.filter((v) => v.severity !== "info")).toEqual([]);
  });

  it("marks a stream cut mid-way as complete: false (and check reports no error for it)", async () => {
    const lines: string[] = [];
    const client = createClient<any>({ baseUrl: base, headers: { authorization: "Bearer k" } });
    client.use(createRecorder({ write: (l) => lines.push(l) }));
    newGate();
    const { response } = await client.POST("/chat/completions", {
      body: { ...chatReq, stream: true, abort_midway: true },
      parseAs: "stream",
    });
    release();
    await response.body!.pipeTo(new WritableStream()).catch(() => undefined);
    const rec = JSON.parse(await waitFor(() => lines[0])) as ExchangeRecord;
    expect(rec.response!.complete).toBe(false);
    const vs = checkExchange(rec).violations;
    expect(vs.filter((v) => v.severity === "error")).toEqual([]);
  });

  it("a throwing writer never breaks the caller", async () => {
    const client = createClient<any>({ baseUrl: base });
    let reported = 0;
    client.use(
      createRecorder({
        write: () => {
          throw new Error("disk full");
        },
        onError: () => void reported++,
      }),
    );
    const { data } = await client.POST("/chat/completions", { body: chatReq });
    expect(data).toEqual(chatJson);
    await waitFor(() => (reported ? true : undefined));
  });
});

describe("with the package client (middleware + validate)", () => {
  it("records a streamed chat call made through createOpenRouterClient and validates chunks", async () => {
    const lines: string[] = [];
    const violations: unknown[] = [];
    const client = withRaw(
      createOpenRouterClient({
        baseUrl: base,
        apiKey: "sk-or-v1-SECRET",
        middleware: [createRecorder({ write: (l) => lines.push(l) })],
        validate: "warn",
        validator: createClientValidator(),
        onViolation: (v: unknown) => violations.push(v),
      } as any),
    );
    newGate();
    setTimeout(() => release(), 50);
    const stream: any = await (client as any).chat.completions.create({ ...chatReq, stream: true });
    for await (const _ of stream) void _;
    const rec = JSON.parse(await waitFor(() => lines[0])) as ExchangeRecord;
    expect(rec.request.headers!.authorization).toBe("[REDACTED]");
    expect(rec.response!.bodyText).toBe(chatSse);
    expect(violations).toEqual([]);
  });
  it("strict validation stops an invalid request before it is sent", async () => {
    const lines: string[] = [];
    const client = withRaw(
      createOpenRouterClient({
        baseUrl: base,
        middleware: [createRecorder({ write: (l) => lines.push(l) })],
        validate: "strict",
        validator: createClientValidator(),
      } as any),
    );
    await expect(
      (client as any).chat.completions.create({ ...chatReq, messages: [{ role: "user", content: 42 }] }),
    ).rejects.toThrow(/messages\/0\/content/);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines).toEqual([]);
  });
});
