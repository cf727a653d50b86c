/**
 * Fault matrix over a loopback server: every scenario asserts the typed error. Retry scenarios run on a fake clock
 * (test/support/fake-clock.ts) and assert the exact waits and attempt timers the client asks for; the others assert
 * a bound on elapsed time where a real timer is the behaviour (attempt and idle timeouts, aborts). Those upper
 * bounds leave room for a loaded 2-core CI machine but stay well below what the failure mode would take (a retry
 * wait, a 5 s Retry-After, a multiplied timeout).
 * The suite fails on any unhandled rejection, and checks that the canary API key never appears in any error.
 */
import { inspect } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import {
  AbortError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InBandError,
  InvalidResponseError,
  NotFoundError,
  OpenRouterError,
  RateLimitError,
  ServerError,
  StreamError,
  StreamTruncatedError,
  TimeoutError,
  createOpenRouterClient,
  type ClientOptions,
} from "../../src/client/index";
import { useFakeClock } from "../support/fake-clock";
import { startFaultServer, type FaultServer } from "../support/fault-server";

const CANARY = "sk-or-v1-CANARY0123456789abcdef0123456789abcdef0123456789abcdef01234567";
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => void unhandled.push(e);
const thrown: unknown[] = [];
let srv: FaultServer;
let seq = 0;

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  srv = await startFaultServer();
});
afterAll(async () => {
  await srv?.close();
  // Let any stray rejection surface before asserting.
  await new Promise((r) => setTimeout(r, 50));
  process.off("unhandledRejection", onUnhandled);
  expect(unhandled).toEqual([]);
});
afterEach(() => void vi.restoreAllMocks());

const body = { model: "openai/gpt-4o", messages: [{ role: "user" as const, content: "Hi" }] };

function setup(scenario: string, opts: ClientOptions = {}) {
  const key = `k${++seq}`;
  const client = createOpenRouterClient({
    apiKey: CANARY,
    baseUrl: `${srv.url}/${scenario}/${key}`,
    retryInitialDelayMs: 50,
    retryMaxDelayMs: 200,
    ...opts,
  });
  return { client, attempts: () => srv.attempts(scenario, key), hits: () => srv.hitsFor(scenario, key) };
}

/** Runs fn, returns [error, elapsed ms]; records the error for the canary check. */
async function failure(fn: () => Promise<unknown>): Promise<[any, number]> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    thrown.push(e);
    return [e, performance.now() - t0];
  }
  throw new Error("expected a rejection");
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await fn();
  return [v, performance.now() - t0];
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const c of stream) out.push(c);
  return out;
}

describe("retries", () => {
  it("429 + Retry-After: 1 then 200: waits the 1 s asked for, succeeds on attempt 2", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("429-then-ok");
    const res = await client.chat.completions.create(body);
    expect(res.choices?.[0]?.message.content).toBe("Hello!");
    expect(attempts()).toBe(2);
    expect(clock.sleeps).toEqual([1000]);
  });

  it("retry-after-ms takes precedence over Retry-After", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("429-ms-then-ok");
    await client.chat.completions.create(body);
    expect(attempts()).toBe(2);
    expect(clock.sleeps).toEqual([150]);
  });

  it("Retry-After as an HTTP date", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("429-date-then-ok");
    await client.chat.completions.create(body);
    expect(attempts()).toBe(2);
    // The server sends its clock + 2 s with 1 s resolution: a wait of 1–2 s after the fake clock's start.
    expect(clock.sleeps).toHaveLength(1);
    expect(clock.sleeps[0]).toBeGreaterThan(1000);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(3000);
  });

  it("503 twice then 200: 3 attempts with exponential backoff", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("503x2-then-ok");
    const res = await client.chat.completions.create(body);
    expect(res.id).toBe("gen-123");
    expect(attempts()).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("backoff jitter subtracts up to 25%", async () => {
    const clock = useFakeClock({ random: 1 });
    const { client, attempts } = setup("503x2-then-ok");
    await client.chat.completions.create(body);
    expect(attempts()).toBe(3);
    expect(clock.sleeps).toEqual([37.5, 75]);
  });

  it("availability envelope (no code): error_type/availability exposed; its retry_after honoured", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("503-availability-then-ok");
    const res = await client.chat.completions.create(body);
    expect(res.id).toBe("gen-123");
    expect(attempts()).toBe(2);
    expect(clock.sleeps).toEqual([300]);
    const nf = setup("404-availability");
    const [err] = await failure(() => nf.client.chat.completions.create(body));
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err).toMatchObject({
      status: 404,
      code: undefined,
      errorType: "not_found",
      availability: { code: "no_endpoints" },
    });
    expect(nf.attempts()).toBe(1);
  });

  it("500 forever: gives up after maxRetries (3 attempts) with ServerError", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("500-forever");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({
      status: 500,
      code: 500,
      generationId: "gen-err",
      message: "500 Internal Server Error",
    });
    expect(attempts()).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("maxRetries: 0 makes a single attempt", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("500-forever", { maxRetries: 0 });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ServerError);
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("400 is not retried; code, message and metadata are exposed", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("400");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 400, metadata: { field: "model" }, body: { error: { code: 400 } } });
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("Retry-After beyond the deadline: gives up at once with RateLimitError and retryAfterMs", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("429-long", { timeoutMs: 5000 });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("a backoff wait that would end past totalTimeoutMs is not started: the last error, at once", async () => {
    const clock = useFakeClock();
    const opts = {
      timeoutMs: 1000,
      totalTimeoutMs: 500,
      retryInitialDelayMs: 150,
      retryMaxDelayMs: 1000,
      maxRetries: 10,
    };
    const { client, attempts } = setup("500-forever", opts);
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ServerError);
    // 150 ends at 150, 300 at 450; 600 would end at 1050, past the deadline at 500.
    expect(clock.sleeps).toEqual([150, 300]);
    expect(attempts()).toBe(3);
  });

  it("totalTimeoutMs bounds retries and backoff (hung server, per-attempt 200 ms, total 400 ms)", async () => {
    const clock = useFakeClock({ fireTimers: true });
    const { client } = setup("hang", { timeoutMs: 200, totalTimeoutMs: 400, maxRetries: 10 });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe("Deadline of 400 ms exceeded (totalTimeoutMs)");
    // Attempt 1 times out at 200, waits 50; attempt 2 gets only the 150 ms left before the deadline.
    expect(clock.timers).toEqual([200, 150]);
    expect(clock.sleeps).toEqual([50]);
  });

  it("never retries once a stream has yielded (connection reset after 2 chunks)", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("stream-reset");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const got: string[] = [];
    const [err] = await failure(async () => {
      for await (const c of stream) got.push(c.choices[0]?.delta?.content ?? "");
    });
    expect(err).toBeInstanceOf(StreamTruncatedError);
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.partialContent).toBe("partial content");
    expect(err.generationId).toBe("gen-123");
    expect(got).toEqual(["partial ", "content"]);
    expect(attempts()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });
});

describe("timeouts and aborts", () => {
  it("hung server: TimeoutError after timeoutMs (no retries)", async () => {
    const { client } = setup("hang", { timeoutMs: 200, maxRetries: 0 });
    const [err, ms] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(1500);
  });

  it("hung body (headers sent, JSON body never finishes): TimeoutError", async () => {
    const { client } = setup("hang-body", { timeoutMs: 200, maxRetries: 0 });
    const [err, ms] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(ms).toBeLessThan(1500);
  });

  it("default totalTimeoutMs = timeoutMs: retries never multiply the wait", async () => {
    const clock = useFakeClock({ fireTimers: true });
    const { client } = setup("hang", { timeoutMs: 300, maxRetries: 5 });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.message).toBe("Attempt timed out after 300 ms (timeoutMs)");
    // One attempt of 300 ms; the first backoff (50 ms) would end past the deadline at 300 ms.
    expect(clock.timers).toEqual([300]);
    expect(clock.sleeps).toEqual([]);
  });

  it("stream idle: TimeoutError when no data for timeoutMs", async () => {
    const { client } = setup("stream-then-hang", { timeoutMs: 300 });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const t0 = performance.now();
    const [err] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.partialContent).toBe("onetwo");
    expect(performance.now() - t0).toBeLessThan(800);
  });

  it("abort during backoff rejects at once", async () => {
    const { client, attempts } = setup("503-retry-after-5", { timeoutMs: 30_000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const [err, ms] = await failure(() => client.chat.completions.create(body, { signal: ac.signal }));
    expect(err).toBeInstanceOf(AbortError);
    expect(attempts()).toBe(1);
    expect(ms).toBeLessThan(1500);
  });

  it("abort while waiting for the response", async () => {
    const { client } = setup("hang");
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("user cancelled")), 100);
    const [err, ms] = await failure(() => client.chat.completions.create(body, { signal: ac.signal }));
    expect(err).toBeInstanceOf(AbortError);
    expect((err as Error).cause).toBeInstanceOf(Error);
    expect(ms).toBeLessThan(1500);
  });

  it("already-aborted signal rejects without a request", async () => {
    const { client, attempts } = setup("ok");
    const [err, ms] = await failure(() => client.chat.completions.create(body, { signal: AbortSignal.abort() }));
    expect(err).toBeInstanceOf(AbortError);
    expect(attempts()).toBe(0);
    expect(ms).toBeLessThan(250);
  });

  it("abort mid-stream rejects the iteration and closes the connection", async () => {
    const { client, hits } = setup("stream-then-hang");
    const ac = new AbortController();
    const stream = await client.chat.completions.create({ ...body, stream: true }, { signal: ac.signal });
    const got: unknown[] = [];
    const [err, ms] = await failure(async () => {
      for await (const c of stream) {
        got.push(c);
        if (got.length === 2) setTimeout(() => ac.abort(), 50);
      }
    });
    expect(err).toBeInstanceOf(AbortError);
    expect(err.partialContent).toBe("onetwo");
    expect(got).toHaveLength(2);
    expect(ms).toBeLessThan(1500);
    await new Promise((r) => setTimeout(r, 50));
    expect(hits()[0]?.clientClosed).toBe(true);
  });

  it("break out of the loop cancels the HTTP body", async () => {
    const { client, hits } = setup("stream-then-hang");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [, ms] = await timed(async () => {
      for await (const _ of stream) break;
    });
    expect(ms).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 50));
    expect(hits()[0]?.clientClosed).toBe(true);
  });
});

describe("stream faults", () => {
  it("stream without [DONE]: StreamTruncatedError with partial content", async () => {
    const { client } = setup("stream-no-done");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [err, ms] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(StreamTruncatedError);
    expect(err.partialContent).toBe("Hello there");
    expect(ms).toBeLessThan(1000);
  });

  it("stream cut inside an event: StreamTruncatedError", async () => {
    const { client } = setup("stream-no-done-mid-event");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [err, ms] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(StreamTruncatedError);
    expect(err.partialContent).toBe("Hello");
    expect(ms).toBeLessThan(1000);
  });

  it("garbage SSE lines (unknown fields, bad retry, stray blanks) are ignored per the SSE spec", async () => {
    const { client } = setup("stream-garbage");
    const [chunks, ms] = await timed(async () =>
      drain(await client.chat.completions.create({ ...body, stream: true })),
    );
    expect(chunks.map((c: any) => c.choices[0].delta.content)).toEqual(["A", "B"]);
    expect(ms).toBeLessThan(1000);
  });

  it("data: that is not JSON -> InvalidResponseError", async () => {
    const { client } = setup("stream-bad-json");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [err, ms] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain("{not json");
    expect(ms).toBeLessThan(1000);
  });

  it("mid-stream error with an integer code: StreamError keeps partial content and generation id", async () => {
    const { client } = setup("stream-error-int");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [err, ms] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(StreamError);
    expect(err).toMatchObject({
      status: 200,
      code: 502,
      generationId: "gen-123",
      partialContent: "Partial answer",
      metadata: { error_type: "provider_unavailable" },
    });
    expect(err.message).toContain("Provider disconnected");
    expect(ms).toBeLessThan(1000);
  });

  it("mid-stream error with a string code", async () => {
    const { client } = setup("stream-error-string");
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const [err, ms] = await failure(() => drain(stream));
    expect(err).toBeInstanceOf(StreamError);
    expect(err).toMatchObject({ code: "server_error", partialContent: "Partial" });
    expect(ms).toBeLessThan(1000);
  });

  it("oversized SSE line: InvalidResponseError once maxLineLength is exceeded, body cancelled", async () => {
    const { client } = setup("oversized-line", { maxLineLength: 1024 * 1024 });
    const stream = await client.chat.completions.create({ ...body, stream: true });
    const got: unknown[] = [];
    const [err, ms] = await failure(async () => {
      for await (const c of stream) got.push(c);
    });
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain("maxLineLength");
    expect(got).toHaveLength(1);
    expect(ms).toBeLessThan(1000);
  });

  it("stream request answered with a JSON error body (200): InBandError", async () => {
    const { client } = setup("stream-json-error");
    const [err, ms] = await failure(() => client.chat.completions.create({ ...body, stream: true }));
    expect(err).toBeInstanceOf(InBandError);
    expect(err.code).toBe(402);
    expect(ms).toBeLessThan(1000);
  });
});

describe("bodies", () => {
  it("HTML 502 body: ServerError with a text snippet, after retries", async () => {
    const clock = useFakeClock();
    const { client, attempts } = setup("html-502");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ServerError);
    expect(err.status).toBe(502);
    expect(err.code).toBeUndefined();
    expect(err.message).toContain("502 Bad Gateway");
    expect(err.message).not.toContain("<");
    expect(typeof err.body).toBe("string");
    expect(attempts()).toBe(3);
    expect(clock.sleeps).toEqual([50, 100]);
  });

  it("empty 200 body (content-length: 0): InvalidResponseError", async () => {
    const { client } = setup("empty-200");
    const [err, ms] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.status).toBe(200);
    expect(ms).toBeLessThan(1000);
  });

  it("empty 200 body (chunked): InvalidResponseError", async () => {
    const { client } = setup("empty-200-chunked");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(InvalidResponseError);
  });

  it("200 with an HTML body: InvalidResponseError with a snippet", async () => {
    const { client } = setup("200-html");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect(err.message).toContain("Captive portal");
  });

  it("in-band error (finish_reason: error + choices[].error): InBandError by default, body kept", async () => {
    const { client, attempts } = setup("in-band-error");
    const [err, ms] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(InBandError);
    expect(err).toMatchObject({
      status: 200,
      code: 502,
      generationId: "gen-123",
      partialContent: "Partial answ",
      metadata: { provider_name: "X" },
    });
    expect(err.body.choices[0].finish_reason).toBe("error");
    expect(attempts()).toBe(1);
    expect(ms).toBeLessThan(1000);
  });

  it("in-band error with inBandErrors: 'return' returns the body", async () => {
    const { client } = setup("in-band-error", { inBandErrors: "return" });
    const res = await client.chat.completions.create(body);
    expect(res.choices?.[0]?.finish_reason).toBe("error");
  });

  it("200 with a top-level error object: InBandError", async () => {
    const { client } = setup("in-band-top-error");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(InBandError);
    expect(err.code).toBe(400);
  });

  it("connection refused: ConnectionError after retries", async () => {
    const clock = useFakeClock();
    const client = createOpenRouterClient({
      apiKey: CANARY,
      baseUrl: "http://127.0.0.1:1",
      retryInitialDelayMs: 20,
      maxRetries: 1,
    });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ConnectionError);
    expect(clock.sleeps).toEqual([20]);
  });
});

describe("canary API key", () => {
  it("a server echoing the key in a JSON error body: redacted", async () => {
    const { client } = setup("echo-auth-401");
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toContain("[REDACTED]");
  });

  it("a server echoing the key in an HTML error body: redacted", async () => {
    const { client } = setup("echo-auth-html-502", { maxRetries: 0 });
    const [err] = await failure(() => client.chat.completions.create(body));
    expect(err).toBeInstanceOf(ServerError);
  });

  it("never appears in message, stack, util.inspect or JSON of any thrown error", () => {
    expect(thrown.length).toBeGreaterThanOrEqual(25);
    for (const e of thrown) {
      expect(e).toBeInstanceOf(OpenRouterError);
      const err = e as Error;
      const forms = [
        err.message,
        String(err.stack),
        inspect(err, { depth: 10, showHidden: true }),
        JSON.stringify(err),
        String(err),
      ];
      for (const f of forms) expect(f).not.toContain(CANARY);
      expect(forms.join("\n")).not.toContain("CANARY0123");
    }
  });
});
