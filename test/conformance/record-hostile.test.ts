// The recorder must not keep secrets: by name pattern in headers and query, and the API key's value wherever a server
// echoes it. Its lines are complete JSONL lines.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import createClient from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseExchangeLine, type ExchangeRecord } from "../../src/conformance/index";
import { createRecorder, isSecretName, redactHeaders, redactUrl } from "../../src/conformance/record";

const KEY = "sk-or-v1-RECORDER-HOSTILE-0123456789abcdef";
let server: Server;
let base = "";

beforeAll(async () => {
  // Echoes the caller's key back: in a header, in the JSON body and in an error text.
  server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const auth = String(req.headers.authorization ?? "");
      res.writeHead(200, {
        "content-type": "application/json",
        "x-echo": `you sent ${auth}`,
        "x-request-signature": "abc123",
        "x-title": "kept",
      });
      res.end(
        JSON.stringify({
          id: "gen-1",
          note: `key was ${auth.replace(/^Bearer /, "")}`,
          message: "Rate limit exceeded",
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function record(headers: Record<string, string>, query = "") {
  const lines: string[] = [];
  const client = createClient<any>({ baseUrl: base, headers });
  client.use(createRecorder({ write: (l) => void lines.push(l) }));
  await client.POST(`/chat/completions${query}` as any, { body: { model: "m", messages: [] } });
  for (let i = 0; i < 200 && !lines.length; i++) await new Promise((r) => setTimeout(r, 10));
  return lines;
}

describe("recorder redaction", () => {
  it("redacts secret headers and query parameters by name pattern, keeps the rest", async () => {
    const secretHeaders = [
      "x-openrouter-key",
      "x-secret-key",
      "api_key",
      "authentication",
      "x-auth",
      "x-password",
      "x-api-keys",
    ];
    const secretQuery = ["api-key", "x-api-key", "secret", "password", "client_secret", "refresh_token", "auth", "sig"];
    const headers: Record<string, string> = { authorization: `Bearer ${KEY}`, "x-title": "my app" };
    for (const [i, h] of secretHeaders.entries()) headers[h] = `hdr-secret-${i}-value`;
    const query = `?${secretQuery.map((q, i) => `${q}=qs-secret-${i}-value`).join("&")}&model=kept-model`;
    const [line] = await record(headers, query);
    expect(line).toBeDefined();
    expect(line).not.toMatch(/hdr-secret|qs-secret/);
    const rec = JSON.parse(line!) as ExchangeRecord;
    for (const h of secretHeaders) expect(rec.request.headers![h], h).toBe("[REDACTED]");
    expect(rec.request.headers!["x-title"]).toBe("my app");
    const url = new URL(rec.request.url);
    for (const q of secretQuery) expect(url.searchParams.get(q), q).toBe("[REDACTED]");
    expect(url.searchParams.get("model")).toBe("kept-model");
    expect(rec.response!.headers!["x-request-signature"]).toBe("[REDACTED]");
  });

  it("the API key's value is removed wherever the server echoes it; other text is intact", async () => {
    const [line] = await record({ authorization: `Bearer ${KEY}` });
    expect(line).not.toContain(KEY);
    const rec = JSON.parse(line!) as ExchangeRecord;
    expect(rec.response!.headers!["x-echo"]).toBe("you sent [REDACTED]");
    expect((rec.response!.body as any).note).toBe("key was [REDACTED]");
    expect((rec.response!.body as any).message).toBe("Rate limit exceeded");
  });

  it("a short key is redacted where it is the whole value, without corrupting other text", async () => {
    const [line] = await record({ authorization: "Bearer x" });
    const rec = JSON.parse(line!) as ExchangeRecord;
    expect(rec.request.headers!.authorization).toBe("[REDACTED]");
    expect((rec.response!.body as any).message).toBe("Rate limit exceeded");
  });

  it("redaction is exported for reuse (the proxy uses the same rules)", () => {
    expect(isSecretName("X-Goog-Api-Key")).toBe(true);
    expect(isSecretName("content-type")).toBe(false);
    expect(redactHeaders({ "X-Auth": "a", Accept: "b", echo: `k=${KEY}` }, { values: [KEY] })).toEqual({
      "x-auth": "[REDACTED]",
      accept: "b",
      echo: "k=[REDACTED]",
    });
    expect(redactUrl(`https://u:p@h.example/p?token=1&q=2&k=${KEY}`, { values: [KEY] })).toBe(
      "https://h.example/p?token=%5BREDACTED%5D&q=2&k=%5BREDACTED%5D",
    );
  });
});

describe("recorder lines", () => {
  it("each line written ends with a newline, so appending them as-is gives valid JSONL", async () => {
    const a = await record({ authorization: `Bearer ${KEY}` });
    const b = await record({ authorization: `Bearer ${KEY}` });
    const file = a.join("") + b.join("");
    expect(a[0]!.endsWith("\n")).toBe(true);
    const lines = file.split("\n");
    expect(lines.at(-1)).toBe("");
    expect(lines.slice(0, -1).map((l) => parseExchangeLine(l).ok)).toEqual([true, true]);
  });
});

describe("recorder: echoes the raw text does not show (issue 18, items 6 and 10)", () => {
  const CANARY = "sk-or-v1-CANARY1234567890abcdef";
  async function recordEcho(body: string, headers: [string, string][], url = "http://x/api/v1/chat/completions") {
    const lines: string[] = [];
    const rec = createRecorder({ write: (l) => lines.push(l) });
    const h = new Headers({ "content-type": "application/json" });
    for (const [k, v] of headers) h.append(k, v);
    const request = new Request(url, { method: "POST", headers: h, body: "{}" });
    const hooks = rec as unknown as Record<string, (p: Record<string, unknown>) => Promise<unknown> | unknown>;
    await hooks.onRequest!({ request, id: "r1" });
    const response = new Response(body, { headers: { "content-type": "application/json" } });
    await hooks.onResponse!({ request, id: "r1", response });
    for (let i = 0; i < 100 && !lines.length; i++) await new Promise((r) => setTimeout(r, 5));
    return lines.join("");
  }

  it("a JSON-escaped echo of the key (\\u0073k-or-…) is redacted after parsing, the structure kept", async () => {
    const escaped = `\\u0073${CANARY.slice(1)}`;
    const line = await recordEcho(`{"echo":"${escaped}","n":[1,{"${escaped}":2}]}`, [
      ["authorization", `Bearer ${CANARY}`],
    ]);
    expect(line).not.toContain(CANARY);
    expect(JSON.parse(line).response.body).toEqual({ echo: "[REDACTED]", n: [1, { "[REDACTED]": 2 }] });
  });

  it("two Authorization headers: both tokens are redacted where echoed", async () => {
    const other = "sk-or-v1-SECOND0987654321fedcba";
    const line = await recordEcho(JSON.stringify({ a: CANARY, b: `x ${other} y` }), [
      ["authorization", `Bearer ${CANARY}`],
      ["authorization", `Bearer ${other}`],
    ]);
    expect(line).not.toContain(CANARY);
    expect(line).not.toContain(other);
    expect(JSON.parse(line).response.body).toEqual({ a: "[REDACTED]", b: "x [REDACTED] y" });
  });

  it("a key in the query string is redacted where a body echoes it, not only in the URL", async () => {
    const line = await recordEcho(JSON.stringify({ echo: CANARY }), [], `http://x/api/v1/chat?api_key=${CANARY}`);
    expect(line).not.toContain(CANARY);
    expect(JSON.parse(line).response.body).toEqual({ echo: "[REDACTED]" });
  });
});
