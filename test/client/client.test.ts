/** Client behaviour over a loopback server: headers, pass-through of unknown fields, both endpoints, middleware,
 *  validation hook, raw client, and the browser-safety of the import graph (result types: types.test-d.ts). */
import { readdirSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  InBandError,
  InvalidRequestError,
  ServerError,
  StreamError,
  ValidationError,
  accumulateChatCompletion,
  accumulateCompletion,
  createOpenRouterClient,
  type ChatCompletionChunk,
  type ClientValidator,
} from "../../src/client/index";
import { withRaw } from "../../src/client/with-raw";
import { startFaultServer, type FaultServer } from "../support/fault-server";

let srv: FaultServer;
let seq = 0;
beforeAll(async () => void (srv = await startFaultServer()));
afterAll(async () => srv?.close());

const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };
const base = (scenario: string) => `${srv.url}/${scenario}/c${++seq}`;

describe("requests", () => {
  it("sends auth, attribution and caller headers; unknown body fields as-is", async () => {
    const client = createOpenRouterClient({
      apiKey: "sk-test",
      baseUrl: `${base("echo-request")}/`,
      appUrl: "https://example.app",
      appTitle: "Example App",
      headers: { "X-Custom": "client", "X-Override": "client" },
    });
    const res = (await client.chat.completions.create(
      { ...body, future_field: { nested: [1, 2] }, provider: { sort: "price" } } as typeof body,
      { headers: { "x-override": "call", "X-OpenRouter-Metadata": "enabled" } },
    )) as any;
    const h = res.echo.headers;
    expect(h.authorization).toBe("Bearer sk-test");
    expect(h["http-referer"]).toBe("https://example.app");
    expect(h["x-title"]).toBe("Example App");
    expect(h["x-openrouter-title"]).toBe("Example App");
    expect(h["x-custom"]).toBe("client");
    expect(h["x-override"]).toBe("call");
    expect(h["x-openrouter-metadata"]).toBe("enabled");
    expect(h["content-type"]).toBe("application/json");
    expect(res.echo.body).toEqual({ ...body, future_field: { nested: [1, 2] }, provider: { sort: "price" } });
    expect(srv.hits.at(-1)?.path).toBe("/chat/completions");
  });

  it("an invalid header value (non-Latin-1 appTitle) fails at creation, not as a retried network error", () => {
    expect(() => createOpenRouterClient({ appTitle: "Démo 🚀" })).toThrow(InvalidRequestError);
    expect(() => createOpenRouterClient({ appTitle: "Démo 🚀" })).toThrow(/appTitle.*Latin-1/);
  });

  it("keeps unknown response fields and snake_case names", async () => {
    const client = createOpenRouterClient({ baseUrl: base("ok") });
    const res = await client.chat.completions.create(body);
    expect(res).toMatchObject({
      x_unknown_field: { kept: true },
      usage: { prompt_tokens: 3 },
      choices: [{ native_finish_reason: "stop" }],
    });
  });

  it("omits Authorization without apiKey; streams send Accept: text/event-stream", async () => {
    const client = createOpenRouterClient({ baseUrl: base("echo-request") });
    const res = (await client.chat.completions.create(body)) as any;
    expect(res.echo.headers.authorization).toBeUndefined();
    const s = createOpenRouterClient({ baseUrl: base("ok-stream") });
    await (await s.chat.completions.create({ ...body, stream: true })).return();
    expect(srv.hits.at(-1)?.headers.accept).toBe("text/event-stream");
  });
});

describe("both endpoints, JSON and streaming", () => {
  it("chat JSON", async () => {
    const res = await createOpenRouterClient({ baseUrl: base("ok") }).chat.completions.create(body);
    expect(res.choices?.[0]?.message.content).toBe("Hello!");
  });

  it("chat stream: comments skipped, usage chunk yielded, [DONE] ends", async () => {
    const stream = await createOpenRouterClient({ baseUrl: base("ok-stream") }).chat.completions.create({
      ...body,
      stream: true,
    });
    expect(stream.generationId).toBe("gen-123");
    expect(stream.response.status).toBe(200);
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks).toHaveLength(5);
    expect(chunks.at(-1)?.choices).toEqual([]);
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(5);
    expect(stream.partialContent).toBe("Hello wörld 🌍");
  });

  it("chat stream accumulated", async () => {
    const stream = await createOpenRouterClient({ baseUrl: base("ok-stream") }).chat.completions.create({
      ...body,
      stream: true,
    });
    const done = await accumulateChatCompletion(stream);
    expect(done.choices?.[0]?.message.content).toBe("Hello wörld 🌍");
    expect(done.usage?.total_tokens).toBe(5);
  });

  it("completions JSON and stream", async () => {
    const c = createOpenRouterClient({ baseUrl: base("completion-ok") });
    const res = await c.completions.create({ model: "m", prompt: "Say hi" });
    expect(res.choices?.[0]?.text).toBe("Hi");
    expect(srv.hits.at(-1)?.path).toBe("/completions");
    const s = await createOpenRouterClient({ baseUrl: base("completion-stream") }).completions.create({
      model: "m",
      prompt: "x",
      stream: true,
    });
    const full = await accumulateCompletion(s);
    expect(full.choices?.[0]?.text).toBe("Hello");
    expect(full.usage?.total_tokens).toBe(3);
  });
});

describe("middleware path (openapi-fetch) behaves the same", () => {
  const seen: string[] = [];
  const mw = [
    { onRequest: ({ request }: { request: Request }) => void seen.push(request.url) },
    { onResponse: ({ response }: { response: Response }) => void seen.push(String(response.status)) },
  ];

  it("JSON, retries, stream, stream error, HTML error", async () => {
    const mk = (s: string, extra = {}) =>
      withRaw(
        createOpenRouterClient({ apiKey: "k", baseUrl: base(s), middleware: mw, retryInitialDelayMs: 20, ...extra }),
      );
    expect((await mk("ok").chat.completions.create(body)).id).toBe("gen-123");
    expect((await mk("503x2-then-ok").chat.completions.create(body)).id).toBe("gen-123");
    const chunks: unknown[] = [];
    for await (const c of await mk("ok-stream").chat.completions.create({ ...body, stream: true })) chunks.push(c);
    expect(chunks).toHaveLength(5);
    const s = await mk("stream-error-int").chat.completions.create({ ...body, stream: true });
    await expect(accumulateChatCompletion(s)).rejects.toBeInstanceOf(StreamError);
    await expect(mk("html-502", { maxRetries: 0 }).chat.completions.create(body)).rejects.toBeInstanceOf(ServerError);
    await expect(mk("in-band-error").chat.completions.create(body)).rejects.toBeInstanceOf(InBandError);
    expect(seen.filter((x) => x.startsWith("http"))).toHaveLength(8); // 1 + 3 (two retries) + 1 + 1 + 1 + 1
    expect(seen).toContain("503");
  });
});

describe("validation hook", () => {
  const validator: ClientValidator = {
    validateRequest: (_op, b: any) =>
      b.model ? [] : [{ instancePath: "/model", message: "is required", severity: "error", check: "schema" }],
    validateResponse: () => [{ instancePath: "/x", message: "note", severity: "warning", check: "schema" }],
    validateChunk: () => [],
  };

  it("strict throws ValidationError on request errors before sending", async () => {
    const c = createOpenRouterClient({ baseUrl: base("ok"), validate: "strict", validator });
    await expect(c.chat.completions.create({ messages: body.messages } as typeof body)).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it("warnings go to onViolation", async () => {
    const onViolation = vi.fn();
    const c = createOpenRouterClient({ baseUrl: base("ok"), validate: "warn", validator, onViolation });
    await c.chat.completions.create(body);
    expect(onViolation).toHaveBeenCalledWith(
      [expect.objectContaining({ message: "note" })],
      "response",
      "createChatCompletion",
    );
  });

  it("strict chunk violation stops the stream with ValidationError and closes the connection", async () => {
    const strictChunks: ClientValidator = {
      ...validator,
      validateResponse: () => [],
      validateChunk: (_op, c: any) =>
        c.choices?.length ? [] : [{ instancePath: "/choices", message: "empty", severity: "error", check: "schema" }],
    };
    const scenario = base("ok-stream");
    const c = createOpenRouterClient({ baseUrl: scenario, validate: "strict", validator: strictChunks });
    const got: unknown[] = [];
    const err = await (async () => {
      for await (const x of await c.chat.completions.create({ ...body, stream: true })) got.push(x);
    })().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(got).toHaveLength(4); // the usage chunk (choices: []) is the 5th
  });

  it("off by default: validator not called", async () => {
    const spy = { ...validator, validateRequest: vi.fn(() => []) };
    await createOpenRouterClient({ baseUrl: base("ok"), validator: spy }).chat.completions.create(body);
    expect(spy.validateRequest).not.toHaveBeenCalled();
  });
});

describe("raw openapi-fetch client", () => {
  it("returns { data, error, response } with the auth header", async () => {
    const c = withRaw(createOpenRouterClient({ apiKey: "sk-raw", baseUrl: base("echo-request") }));
    const { data, response } = await c.raw.POST("/chat/completions", { body });
    expect(response.status).toBe(200);
    expect((data as any).echo.headers.authorization).toBe("Bearer sk-raw");
    const e = await withRaw(createOpenRouterClient({ baseUrl: base("400") })).raw.POST("/chat/completions", { body });
    expect(e.error).toMatchObject({ error: { code: 400 } });
  });
});

describe("import graph", () => {
  it("no node: imports and no top-level network in src/ client modules", () => {
    const dir = new URL("../../src/client/", import.meta.url);
    const files = [
      ...readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => new URL(f, dir)),
      new URL("../../src/types.ts", import.meta.url),
    ];
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) {
      const src = readFileSync(f, "utf8");
      expect(src, f.pathname).not.toMatch(/from\s+["']node:/);
      expect(src, f.pathname).not.toMatch(/^\s*(await\s+)?fetch\(/m);
    }
  });

  it("openapi-fetch is in ./raw's module graph, not the main entry's (esbuild, no code splitting)", async () => {
    const { build } = await import("esbuild");
    const inputs = async (entry: string) => {
      const r = await build({
        entryPoints: [new URL(entry, import.meta.url).pathname],
        bundle: true,
        write: false,
        metafile: true,
        format: "esm",
        platform: "neutral",
        logLevel: "silent",
      });
      return Object.keys(r.metafile.inputs);
    };
    expect((await inputs("../../src/client/index.ts")).filter((f) => f.includes("openapi-fetch"))).toEqual([]);
    expect((await inputs("../../src/client/with-raw.ts")).some((f) => f.includes("openapi-fetch"))).toBe(true);
  });

  it("middleware without withRaw rejects with a message naming the fix; withRaw refuses other objects", async () => {
    const c = createOpenRouterClient({
      apiKey: "k",
      baseUrl: base("ok"),
      middleware: [{ onRequest: () => undefined }],
    });
    await expect(c.chat.completions.create(body)).rejects.toThrow(/withRaw\(\) from openrouter-contract\/raw/);
    expect(() => withRaw({} as never)).toThrow(/createOpenRouterClient/);
    const w = withRaw(c);
    expect(withRaw(w).raw).toBe(w.raw);
    expect((await w.chat.completions.create(body)).id).toBe("gen-123");
  });

  it("importing and creating a client makes no request", async () => {
    const f = vi.fn();
    const mod = await import("../../src/client/index");
    mod.createOpenRouterClient({ apiKey: "k", fetch: f });
    expect(f).not.toHaveBeenCalled();
  });
});
