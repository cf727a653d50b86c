/**
 * The client against a hostile server (loopback only): bounded time and memory, no API key in any error, every
 * failure an `OpenRouterError` (DECISIONS.md §15). 25 of these tests fail on the client before that change; the
 * others guard behaviour that already held (key cut by the excerpt, in-band error, whole-word short key).
 * Growth is shown with small inputs and generous margins; real timings live in bench/client-limits.mjs.
 */
import { inspect } from "node:util";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snippet } from "../../src/client/errors/from-body";
import {
  AbortError,
  BadRequestError,
  InvalidRequestError,
  InvalidResponseError,
  OpenRouterError,
  RateLimitError,
  RedirectError,
  ResponseTooLargeError,
  ServerError,
  StreamError,
  StreamTruncatedError,
  createOpenRouterClient,
  parseRetryAfter,
  type ClientOptions,
} from "../../src/client/index";
import { withRaw } from "../../src/client/with-raw";
import { json, pump, startFaultServer, type FaultServer, type Handler as Scenario } from "../support/fault-server";

const CANARY = "sk-or-v1-HOSTILE0123456789abcdef0123456789abcdef0123456789abcdef0123";
const MB = 1024 * 1024;
const sse = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;
const chunk = (content: string, extra: Record<string, unknown> = {}) => ({
  id: "gen-1",
  object: "chat.completion.chunk",
  created: 1,
  model: "m",
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
  ...extra,
});
/** The bearer token the client sent (what an echoing server would reflect). */
const token = (q: Parameters<Scenario>[0]) => String(q.headers.authorization ?? "").replace(/^Bearer /, "");

let other: FaultServer;
const scenarios: Record<string, Scenario> = {
  ok: (_q, res) => json(res, 200, { id: "gen-1", object: "chat.completion", created: 1, model: "m", choices: [] }),
  "lt-502": (_q, res) => (res.writeHead(502, { "content-type": "text/html" }), res.end("<".repeat(100_000))),
  "lt-200": (_q, res) => (res.writeHead(200, { "content-type": "text/html" }), res.end("<".repeat(100_000))),
  // Key leaks: every place a server can put the key into an error.
  "echo-stream-error": (q, res) => {
    res.writeHead(200, { "content-type": "text/event-stream", "x-generation-id": `gen-${token(q)}` });
    res.end(
      sse(chunk(`you sent ${token(q)} `)) +
        sse({ ...chunk(""), error: { code: 401, message: `bad key ${token(q)}`, metadata: { raw: token(q) } } }),
    );
  },
  "echo-stream-not-json": (q, res) => (
    res.writeHead(200, { "content-type": "text/event-stream" }), res.end(`data: {${token(q)}\n\n`)
  ),
  "echo-500-gid": (q, res) =>
    json(res, 500, { error: { code: 500, message: "boom" } }, { "x-generation-id": token(q) }),
  "echo-401": (q, res) =>
    json(res, 401, {
      error: { code: 401, message: `Invalid credentials: ${token(q)}.`, metadata: { raw: token(q), [token(q)]: 1 } },
    }),
  "echo-200-html-at-cut": (q, res) => (
    res.writeHead(200, { "content-type": "text/html" }), res.end(`${"a".repeat(190)} ${token(q)} tail`)
  ),
  "echo-in-band": (q, res) =>
    json(res, 200, {
      id: "gen-1",
      object: "chat.completion",
      created: 1,
      model: "m",
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: token(q) },
          finish_reason: "error",
          error: { code: 502, message: token(q) },
        },
      ],
    }),
  // Short keys: ordinary messages that contain a short key's letters.
  "429-plain": (_q, res) => json(res, 429, { error: { code: 429, message: "Rate limit exceeded" } }),
  "400-meta": (_q, res) =>
    json(res, 400, {
      error: {
        code: 400,
        message: "Invalid request: /temperature must be <= 2\nsee docs",
        metadata: { violations: [{ keyword: "maximum", instancePath: "/temperature" }] },
      },
    }),
  // Memory: bodies far over the limits.
  "json-64mb": (_q, res) => (
    res.writeHead(200, { "content-type": "application/json" }), pump(res, '{"id":"', "a", 64 * MB, '"}')
  ),
  "json-33mb": (_q, res) => (
    res.writeHead(200, { "content-type": "application/json" }), pump(res, '{"id":"', "a", 33 * MB, '"}')
  ),
  "gzip-bomb": (_q, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
    res.end(gzipSync(Buffer.from(`{"id":"${"a".repeat(16 * MB)}"}`)));
  },
  "error-64mb": (_q, res) => (
    res.writeHead(500, { "content-type": "text/plain" }), pump(res, "upstream failed: ", "a", 64 * MB)
  ),
  "stream-2mb": (_q, res) => {
    res.writeHead(200, { "content-type": "text/event-stream" });
    res.end(Array.from({ length: 2000 }, (_, i) => sse(chunk(String(i % 10).repeat(1000)))).join(""));
  },
  // Retry-After edge cases.
  "429-hex": (_q, res) => json(res, 429, { error: { code: 429, message: "slow" } }, { "retry-after": "0x10" }),
  "503-negative": (_q, res) =>
    json(res, 503, { error: { message: "busy", availability: { retryable: true, retry_after: -100 } } }),
  "429-huge": (_q, res) => json(res, 429, { error: { code: 429, message: "slow" } }, { "retry-after": "2500000" }),
  // A body too deep for a recursive walk.
  "deep-400": (_q, res) =>
    json(res, 400, `{"error":{"code":400,"message":"deep","metadata":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`),
  // Redirects to another origin and to the same origin.
  "redirect-cross": (_q, res) => (
    res.writeHead(307, { location: `${other.url}/landing/x/chat/completions` }), res.end()
  ),
  "redirect-same": (q, res) => (
    res.writeHead(308, { location: `/ok/${q.url!.split("/")[2]}/chat/completions` }), res.end()
  ),
};

let srv: FaultServer;
let seq = 0;
const thrown: unknown[] = [];
const unhandled: unknown[] = [];
const warnings: Error[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
const onWarning = (w: Error) => void warnings.push(w);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  process.on("warning", onWarning);
  srv = await startFaultServer(scenarios);
  other = await startFaultServer({ landing: (_q, res) => json(res, 200, { id: "landed", choices: [] }) });
});
afterAll(async () => {
  await srv?.close();
  await other?.close();
  await new Promise((r) => setTimeout(r, 50));
  process.off("unhandledRejection", onUnhandled);
  process.off("warning", onWarning);
  expect(unhandled).toEqual([]);
});

const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

function setup(scenario: string, opts: ClientOptions = {}) {
  const id = `t${++seq}`;
  const client = withRaw(
    createOpenRouterClient({
      apiKey: CANARY,
      baseUrl: `${srv.url}/${scenario}/${id}`,
      maxRetries: 0,
      ...opts,
    }),
  );
  return { client, hits: () => srv.hitsFor(scenario, id) };
}

async function failure(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    thrown.push(e);
    return e;
  }
  throw new Error("expected a rejection");
}

async function drain(stream: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const _ of stream) n++;
  return n;
}

/** Every way an error can be shown or serialized. */
const views = (e: any) =>
  [
    String(e?.message),
    String(e?.stack),
    inspect(e, { depth: null }),
    JSON.stringify(e),
    JSON.stringify(e?.body ?? null),
  ].join("\n");

function medianMs(fn: () => void, runs = 5): number {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[runs >> 1]!;
}

describe("non-JSON bodies cost linear time", () => {
  it("snippet(): 2x the '<' costs nowhere near 4x (was quadratic)", () => {
    const small = medianMs(() => snippet("<".repeat(10_000)));
    const big = medianMs(() => snippet("<".repeat(20_000)));
    // Quadratic: big ~ 4x small (about 150 ms vs 600 ms on the old regex). The floor absorbs timer noise.
    expect(big).toBeLessThan(3 * small + 20);
  });

  it("snippet() still strips tags and keeps text between unclosed '<'", () => {
    expect(snippet("<html><body><h1>502 Bad Gateway</h1></body></html>")).toBe("502 Bad Gateway");
    expect(snippet("a < b <c> d")).toBe("a < b d");
  });

  it("a 100 KB error body of '<' becomes a ServerError at once, not after ~20 s", async () => {
    const { client } = setup("lt-502", { timeoutMs: 2000 });
    const t0 = performance.now();
    const e = await failure(() => client.chat.completions.create(body));
    expect(e).toBeInstanceOf(ServerError);
    expect(e.message.length).toBeLessThan(300);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it("a 100 KB non-JSON 200 of '<' becomes an InvalidResponseError at once", async () => {
    const { client } = setup("lt-200", { timeoutMs: 2000 });
    const t0 = performance.now();
    expect(await failure(() => client.chat.completions.create(body))).toBeInstanceOf(InvalidResponseError);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

describe("the key never reaches an error, whatever the server echoes", () => {
  it("StreamError: message, metadata, body, generationId (X-Generation-Id), partialContent scrubbed", async () => {
    const { client } = setup("echo-stream-error");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const e = await failure(() => drain(stream));
    expect(e).toBeInstanceOf(StreamError);
    expect(e.code).toBe(401);
    expect(e.message).toBe("Stream error (401): bad key [REDACTED]");
    expect(e.metadata).toEqual({ raw: "[REDACTED]" });
    expect(e.generationId).toBe("gen-[REDACTED]");
    expect(e.partialContent).toBe("you sent [REDACTED] ");
    expect(views(e)).not.toContain(CANARY);
  });

  it("InvalidResponseError for non-JSON stream data does not quote the key", async () => {
    const { client } = setup("echo-stream-not-json");
    const e = await failure(async () => drain(await client.chat.completions.create({ ...body, stream: true })));
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect(e.message).toContain("[REDACTED]");
    expect(views(e)).not.toContain(CANARY);
  });

  it("generationId from X-Generation-Id on an HTTP error is scrubbed", async () => {
    const e = await failure(() => setup("echo-500-gid").client.chat.completions.create(body));
    expect(e).toBeInstanceOf(ServerError);
    expect(e.generationId).toBe("[REDACTED]");
  });

  it("a key echoed as a property name, and a key cut by the 200-character excerpt, are scrubbed too", async () => {
    const e1 = await failure(() => setup("echo-401").client.chat.completions.create(body));
    expect(e1.metadata).toEqual({ raw: "[REDACTED]", "[REDACTED]": 1 });
    const e2 = await failure(() => setup("echo-200-html-at-cut").client.chat.completions.create(body));
    expect(e2).toBeInstanceOf(InvalidResponseError);
    for (const e of [e1, e2]) expect(views(e)).not.toMatch(/sk-or-v1-HOSTILE/);
  });

  it("InBandError: message, partialContent and body are scrubbed", async () => {
    const e = await failure(() => setup("echo-in-band").client.chat.completions.create(body));
    expect(e.partialContent).toBe("[REDACTED]");
    expect(views(e)).not.toContain(CANARY);
  });

  it("the token actually sent is scrubbed: per-call authorization header, key with a trailing newline", async () => {
    const other = "sk-or-v1-PERCALL0000000000000000000000000000000000000000000000000000";
    const e1 = await failure(() =>
      setup("echo-401").client.chat.completions.create(body, { headers: { authorization: `Bearer ${other}` } }),
    );
    expect(views(e1)).not.toContain(other);
    const e2 = await failure(() => setup("echo-401", { apiKey: `${CANARY}\n` }).client.chat.completions.create(body));
    expect(views(e2)).not.toContain(CANARY);
  });
});

describe("short keys are redacted as whole words only; structure and metadata survive", () => {
  it('apiKey "x": "Rate limit exceeded" stays intact', async () => {
    const e = await failure(() => setup("429-plain", { apiKey: "x" }).client.chat.completions.create(body));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.message).toBe("429 Rate limit exceeded");
  });

  it('apiKey "e", "a" or "n": the 400 keeps its message, code and metadata (violation keyword "maximum")', async () => {
    for (const apiKey of ["e", "a", "n", "maximum"]) {
      const e = await failure(() => setup("400-meta", { apiKey }).client.chat.completions.create(body));
      expect(e).toBeInstanceOf(BadRequestError);
      expect(e.code).toBe(400);
      expect(e.message).toBe("400 Invalid request: /temperature must be <= 2\nsee docs");
      expect(e.metadata).toEqual({
        violations: [{ keyword: apiKey === "maximum" ? "[REDACTED]" : "maximum", instancePath: "/temperature" }],
      });
    }
  });

  it('a short key is still removed where it stands alone ("Invalid credentials: x.")', async () => {
    const e = await failure(() => setup("echo-401", { apiKey: "x" }).client.chat.completions.create(body));
    expect(e.message).toBe("401 Invalid credentials: [REDACTED].");
    expect(e.metadata).toEqual({ raw: "[REDACTED]", "[REDACTED]": 1 });
  });
});

describe("memory is bounded by documented limits", () => {
  it("a 2xx JSON body over maxBodyBytes: ResponseTooLargeError, and the rest is not read", async () => {
    const { client, hits } = setup("json-64mb", { maxBodyBytes: 64 * 1024 });
    const e = await failure(() => client.chat.completions.create(body));
    expect(e).toBeInstanceOf(ResponseTooLargeError);
    expect(e).toBeInstanceOf(InvalidResponseError);
    expect(e.message).toContain("maxBodyBytes (65536 bytes)");
    await expect.poll(() => hits()[0]?.clientClosed, { timeout: 5000 }).toBe(true);
  });

  it("the default maxBodyBytes is 32 MiB", async () => {
    expect(await failure(() => setup("json-33mb").client.chat.completions.create(body))).toBeInstanceOf(
      ResponseTooLargeError,
    );
  });

  it("the limit counts decompressed bytes (a gzip bomb of 16 KB -> 16 MB)", async () => {
    const e = await failure(() => setup("gzip-bomb", { maxBodyBytes: MB }).client.chat.completions.create(body));
    expect(e).toBeInstanceOf(ResponseTooLargeError);
  });

  it("a 64 MB error body: typed error from the first 1 MiB, the rest unread (fetch and middleware paths)", async () => {
    for (const middleware of [undefined, [{ onRequest: () => undefined }]]) {
      const { client, hits } = setup("error-64mb", { middleware });
      const e = await failure(() => client.chat.completions.create(body));
      expect(e).toBeInstanceOf(ServerError);
      expect(e.message).toMatch(/^500 upstream failed: a+…$/);
      expect(String(e.body).length).toBeLessThanOrEqual(2048);
      await expect.poll(() => hits()[0]?.clientClosed, { timeout: 5000 }).toBe(true);
    }
  });

  it("partialContent keeps at most maxPartialContentLength chars (the prefix); all chunks still arrive", async () => {
    const stream = await setup("stream-2mb", { maxPartialContentLength: 10_000 }).client.chat.completions.create({
      ...body,
      stream: true,
    });
    const e = await failure(async () => expect(await drain(stream)).toBe(2000));
    expect(e).toBeInstanceOf(StreamTruncatedError); // no [DONE]
    expect(e.partialContent).toHaveLength(10_000);
    expect(e.partialContent).toBe(Array.from({ length: 10 }, (_, i) => String(i).repeat(1000)).join(""));
    expect(stream.partialContent).toHaveLength(10_000);
  });
});

describe("Retry-After edge cases", () => {
  it("parseRetryAfter accepts digits and HTTP dates only", () => {
    const h = (v: Record<string, string>) =>
      parseRetryAfter(new Headers(v), Date.parse("Tue, 01 Dec 2026 10:00:00 GMT"));
    expect(h({ "retry-after": "0x10" })).toBeUndefined();
    expect(h({ "retry-after": "1e3" })).toBeUndefined();
    expect(h({ "retry-after": "-100" })).toBeUndefined();
    expect(h({ "retry-after": "-1000000" })).toBeUndefined();
    expect(h({ "retry-after": "Infinity" })).toBeUndefined();
    expect(h({ "retry-after-ms": "0x10", "retry-after": "2" })).toBe(2000);
    expect(h({ "retry-after": "1.5" })).toBe(1500);
    expect(h({ "retry-after": "Tue, 01 Dec 2026 10:00:03 GMT" })).toBe(3000);
  });

  it("ignored: Retry-After: 0x10 (was read as 16 s), a negative retry_after (was an immediate retry)", async () => {
    expect((await failure(() => setup("429-hex").client.chat.completions.create(body))).retryAfterMs).toBeUndefined();
    expect(
      (await failure(() => setup("503-negative").client.chat.completions.create(body))).retryAfterMs,
    ).toBeUndefined();
  });

  it("a wait of 2^31 ms or more is waited, not turned into a 1 ms retry with a TimeoutOverflowWarning", async () => {
    const { client, hits } = setup("429-huge", { maxRetries: 1, totalTimeoutMs: 2 ** 40 });
    const ac = new AbortController();
    const p = failure(() => client.chat.completions.create(body, { signal: ac.signal }));
    await new Promise((r) => setTimeout(r, 300));
    expect(hits()).toHaveLength(1);
    ac.abort();
    expect(await p).toBeInstanceOf(AbortError);
    expect(warnings.filter((w) => w.name === "TimeoutOverflowWarning")).toEqual([]);
  });
});

describe("every failure is an OpenRouterError and none carries the key", () => {
  it("CR/LF in a per-call header: InvalidRequestError naming the header, nothing sent", async () => {
    const { client, hits } = setup("ok");
    const e = await failure(() =>
      client.chat.completions.create(body, { headers: { "x-trace": `a\r\nx-injected: ${CANARY}` } }),
    );
    expect(e).toBeInstanceOf(OpenRouterError); // was a TypeError
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(e.message).toContain('options.headers["x-trace"]');
    expect(hits()).toHaveLength(0);
  });

  it("a circular or BigInt body: InvalidRequestError with the JSON pointer of the culprit", async () => {
    const { client, hits } = setup("ok");
    const msg: any = { role: "user", content: "Hi" };
    msg.self = msg;
    const e1 = await failure(() => client.chat.completions.create({ ...body, messages: [msg] }));
    expect(e1).toBeInstanceOf(OpenRouterError); // was a TypeError
    expect(e1).toBeInstanceOf(InvalidRequestError);
    expect(e1.message).toContain('at "/messages/0/self"');
    const e2 = await failure(() => client.chat.completions.create({ ...body, seed: 1n } as any));
    expect(e2).toBeInstanceOf(InvalidRequestError);
    expect(e2.message).toContain('at "/seed"');
    expect(hits()).toHaveLength(0);
  });

  it("an apiKey with CR/LF: InvalidRequestError at creation naming apiKey, without the key", () => {
    let e: any;
    try {
      createOpenRouterClient({ apiKey: `${CANARY}\r\nx-evil: 1` });
    } catch (err) {
      e = err;
    }
    thrown.push(e);
    expect(views(e)).not.toContain(CANARY); // the TypeError quoted the header value, key included
    expect(e).toBeInstanceOf(InvalidRequestError);
    expect(e.message).toMatch(/^Invalid header in apiKey:/);
    expect(views(e)).not.toContain(CANARY);
  });

  it("an error body nested 20,000 deep: BadRequestError, not a retried ConnectionError (no recursion)", async () => {
    const { client, hits } = setup("deep-400", { maxRetries: 2, retryInitialDelayMs: 1 });
    const e = await failure(() => client.chat.completions.create(body));
    thrown.pop(); // its metadata is too deep for JSON.stringify in views(); checked here instead
    expect(e).toBeInstanceOf(OpenRouterError);
    expect(String(e.stack) + e.message).not.toContain(CANARY);
    expect(e).toBeInstanceOf(BadRequestError);
    expect(e.message).toBe("400 deep");
    expect(hits()).toHaveLength(1);
  });
});

describe("a caller's own errors", () => {
  it("an error thrown by the caller's onViolation passes through: same instance, not a scrubbed copy", async () => {
    const mine = new Error(`mine ${CANARY}`);
    const validator = { validateRequest: () => [], validateResponse: () => [], validateChunk: () => [] };
    const { client } = setup("ok", {
      validate: "warn",
      validator: {
        ...validator,
        validateRequest: () => [{ instancePath: "", message: "m", severity: "warning", check: "c" }],
      },
      onViolation: () => {
        throw mine;
      },
    });
    await expect(client.chat.completions.create(body)).rejects.toBe(mine);
  });
});

describe("redirects are never followed", () => {
  it("a 307 to another origin: RedirectError; the other origin gets nothing (fetch and middleware paths)", async () => {
    for (const middleware of [undefined, [{ onRequest: () => undefined }]]) {
      const { client } = setup("redirect-cross", { headers: { "x-api-key": CANARY }, middleware });
      const e = await failure(() => client.chat.completions.create(body));
      expect(e).toBeInstanceOf(RedirectError);
      expect(e.status).toBe(307);
      expect(e.message).toContain(`Redirect to ${other.url}/landing/`);
    }
    expect(other.hitsFor("landing", "x")).toHaveLength(0);
  });

  it("a same-origin 308 is not followed either; raw returns the 3xx response as is", async () => {
    const { client, hits } = setup("redirect-same");
    expect(await failure(() => client.chat.completions.create(body))).toBeInstanceOf(RedirectError);
    const r = await client.raw.POST("/chat/completions", { body });
    expect(r.response.status).toBe(308);
    expect(hits()).toHaveLength(2);
    expect(srv.hitsFor("ok", hits()[0]!.key)).toHaveLength(0);
  });
});

describe("every error thrown in this file", () => {
  it("is an OpenRouterError and never shows the canary key", () => {
    expect(thrown.length).toBeGreaterThan(20);
    for (const e of thrown) {
      expect(e).toBeInstanceOf(OpenRouterError);
      expect(views(e)).not.toContain(CANARY);
    }
  });
});
