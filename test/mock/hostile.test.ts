// Hostile traffic against the mock: bodies with many violations, slow or oversized uploads, foreign Host headers and
// origins. Each test starts its own small-limit mock on a free port.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostFromEnv, startMock, type MockHandle } from "../../mock/server";

let mock: MockHandle;
let port = 0;
const AUTH = { authorization: "Bearer sk-or-v1-hostile", "content-type": "application/json" };

beforeAll(async () => {
  mock = await startMock({
    port: 0,
    maxBodyBytes: 4 << 20,
    requestTimeoutMs: 1500,
    ...(process.env.MOCK_SPEC ? { spec: process.env.MOCK_SPEC } : {}),
  });
  port = Number(new URL(mock.url).port);
});
afterAll(() => mock?.close());

/** Request line and headers of a raw JSON POST to the chat endpoint, up to Content-Length. */
const POST_HEAD =
  "POST /api/v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
  "Authorization: Bearer x\r\nContent-Type: application/json\r\n";

/** Raw HTTP/1.1 exchange: `send` writes, resolves with everything received until the server closes (or `ms`). */
function raw(send: (s: import("node:net").Socket) => void, ms = 5000): Promise<{ text: string; ms: number }> {
  const t = performance.now();
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    let text = "";
    const done = () => resolve({ text, ms: performance.now() - t });
    const timer = setTimeout(() => (s.destroy(), done()), ms);
    s.on("data", (c) => (text += c));
    s.on("close", () => (clearTimeout(timer), done()));
    s.on("error", () => {});
    s.on("connect", () => send(s));
  });
}

const bad = (n: number) => JSON.stringify({ model: "openai/gpt-4o", messages: Array.from({ length: n }, () => ({})) });

describe("a body with many invalid items", () => {
  it("answers 400 naming at most 100 violations plus a count of the rest; the answer stays small", async () => {
    const res = await fetch(`${mock.baseUrl}/chat/completions`, { method: "POST", headers: AUTH, body: bad(5000) });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text.length).toBeLessThan(64 * 1024);
    const env = JSON.parse(text);
    const vs = env.error.metadata.violations;
    expect(vs).toHaveLength(101);
    expect(vs[0]).toMatchObject({ pointer: "/messages/0/role", code: "required" });
    expect(vs[100]).toMatchObject({ code: "violations_capped", location: "body" });
    expect(vs[100].message).toContain("4900 more schema errors not listed");
    expect(env.error.message).toContain("4900 more");
  });

  it("a million bad items: the validator stops counting at its error limit and says so", async () => {
    const t = performance.now();
    const res = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: AUTH,
      body: bad(1_000_000),
    });
    const env = await res.json();
    expect(res.status).toBe(400);
    expect(env.error.metadata.violations).toHaveLength(101);
    expect(env.error.metadata.violations[100].message).toMatch(
      /^at least 9900 more schema errors not listed .*stopped counting after 10000 errors/,
    );
    expect(performance.now() - t).toBeLessThan(15_000); // before: the process ran out of memory
  });

  it("work grows linearly (4x items must not cost 16x) and other requests are still served", {
    timeout: 60_000,
  }, async () => {
    // Median of 5: the machine is shared. Sizes large enough that per-item work dominates the fixed cost.
    const time = async (n: number) => {
      const body = bad(n);
      const ts: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t = performance.now();
        const r = await fetch(`${mock.baseUrl}/chat/completions`, { method: "POST", headers: AUTH, body });
        await r.arrayBuffer();
        ts.push(performance.now() - t);
      }
      return ts.sort((a, b) => a - b)[2]!;
    };
    await time(100);
    const small = await time(20_000);
    const large = await time(80_000);
    // Linear: about 4x (less while fixed costs weigh in). Quadratic: 16x.
    expect(large / small).toBeLessThan(9);
    const ok = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: AUTH,
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    });
    expect(ok.status).toBe(200);
  });

  it("without a bearer token the over-cap body still answers 401", async () => {
    const res = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bad(500),
    });
    expect(res.status).toBe(401);
  });
});

describe("uploads", () => {
  it("a declared Content-Length over the limit gets 413 at once, before any body is sent", async () => {
    const r = await raw((s) => s.write(`${POST_HEAD}Content-Length: 1000000000\r\n\r\n`), 4000);
    expect(r.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(r.ms).toBeLessThan(3000);
    const env = JSON.parse(r.text.slice(r.text.indexOf("\r\n\r\n") + 4));
    expect(env.error).toMatchObject({ code: 413, metadata: { mock_error: "PAYLOAD_TOO_LARGE" } });
    expect(env.error.message).toContain("1000000000");
  });

  it("a slow upload gets 408 in OpenRouter's envelope", async () => {
    const r = await raw((s) => s.write(`${POST_HEAD}Content-Length: 100\r\n\r\n{"model"`), 8000);
    expect(r.text).toMatch(/^HTTP\/1\.1 408 /);
    const env = JSON.parse(r.text.slice(r.text.indexOf("\r\n\r\n") + 4));
    expect(env.error).toMatchObject({ code: 408, metadata: { mock_error: "REQUEST_TIMEOUT" } });
  });
});

describe("who may talk to the mock", () => {
  it("a foreign Host header (DNS rebinding) gets 403; loopback names pass", async () => {
    const foreign = await raw((s) =>
      s.write(`GET /api/v1/openapi.json HTTP/1.1\r\nHost: attacker.example:${port}\r\nConnection: close\r\n\r\n`),
    );
    expect(foreign.text).toMatch(/^HTTP\/1\.1 403 /);
    expect(foreign.text).toContain("HOST_NOT_ALLOWED");
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, "localhost"]) {
      const ok = await raw((s) => s.write(`HEAD /openapi.json HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
      expect(ok.text, host).toMatch(/^HTTP\/1\.1 200 /);
    }
  });

  it("CORS allows any origin without credentials, on preflights, answers and errors", async () => {
    const origin = { origin: "https://attacker.example" };
    const pre = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "OPTIONS",
      headers: {
        ...origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization",
      },
    });
    const ok = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { ...AUTH, ...origin },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
    });
    const err = await fetch(`${mock.baseUrl}/chat/completions`, {
      method: "POST",
      headers: { ...AUTH, ...origin },
      body: "{}",
    });
    expect([pre.status, ok.status, err.status]).toEqual([204, 200, 400]);
    for (const r of [pre, ok, err]) {
      expect(r.headers.get("access-control-allow-origin")).toBe("*");
      expect(r.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("npm start listens on loopback unless MOCK_HOST says otherwise; the generic HOST is ignored", () => {
    expect(hostFromEnv({ HOST: "0.0.0.0" })).toBe("127.0.0.1");
    expect(hostFromEnv({})).toBe("127.0.0.1");
    expect(hostFromEnv({ HOST: "0.0.0.0", MOCK_HOST: "0.0.0.0" })).toBe("0.0.0.0");
  });
});

// The default (1 s) and `Prefer: retry-after=N` are tested against the shared mock in test/mock/responses.test.ts.
describe("Retry-After", () => {
  it("retryAfterSeconds (env MOCK_RETRY_AFTER for npm start) sets the default", async () => {
    const m = await startMock({
      port: 0,
      retryAfterSeconds: 3,
      ...(process.env.MOCK_SPEC ? { spec: process.env.MOCK_SPEC } : {}),
    });
    try {
      const r = await fetch(`${m.baseUrl}/chat/completions`, {
        method: "POST",
        headers: { ...AUTH, prefer: "code=429" },
        body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }] }),
      });
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("3");
    } finally {
      await m.close();
    }
  });
});
