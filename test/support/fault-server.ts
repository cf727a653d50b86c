/**
 * Fault-injecting loopback server for the client tests. Binds 127.0.0.1:0.
 * URL layout: http://127.0.0.1:PORT/<scenario>/<key>/chat/completions (or /completions). `key` isolates the
 * per-test attempt counter, so a client created with baseUrl `${server.url}/<scenario>/<key>` hits one scenario.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";

export interface Hit {
  scenario: string;
  key: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: string;
  /** Set when the client closed the connection before the response finished. */
  clientClosed: boolean;
}

export interface FaultServer {
  url: string;
  hits: Hit[];
  attempts(scenario: string, key: string): number;
  hitsFor(scenario: string, key: string): Hit[];
  close(): Promise<void>;
}

export const chatCompletion = (content = "Hello!", extra: Record<string, unknown> = {}) => ({
  id: "gen-123",
  object: "chat.completion",
  created: 1_700_000_000,
  model: "openai/gpt-4o",
  provider: "OpenAI",
  choices: [
    {
      index: 0,
      message: { role: "assistant", content },
      finish_reason: "stop",
      native_finish_reason: "stop",
      logprobs: null,
    },
  ],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
  x_unknown_field: { kept: true },
  ...extra,
});

export const chunk = (
  content: string | null,
  extra: Record<string, unknown> = {},
  choiceExtra: Record<string, unknown> = {},
) => ({
  id: "gen-123",
  object: "chat.completion.chunk",
  created: 1_700_000_000,
  model: "openai/gpt-4o",
  provider: "OpenAI",
  choices: [
    {
      index: 0,
      delta: content === null ? {} : { role: "assistant", content },
      finish_reason: null,
      native_finish_reason: null,
      logprobs: null,
      ...choiceExtra,
    },
  ],
  ...extra,
});

export const usageChunk = () => ({
  ...chunk(null),
  choices: [],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});

export const sse = (obj: unknown) => `data: ${JSON.stringify(obj)}\n\n`;

/** A valid chat transcript: comments, content chunks, finish chunk, usage chunk, [DONE]. */
export function transcript(parts = ["Hel", "lo", " wörld 🌍"]): string {
  return (
    ": OPENROUTER PROCESSING\n\n: OPENROUTER PROCESSING\n\n" +
    parts.map((p) => sse(chunk(p))).join("") +
    sse(chunk("", {}, { finish_reason: "stop", native_finish_reason: "stop" })) +
    sse(usageChunk()) +
    "data: [DONE]\n\n"
  );
}

const sseHead = { "content-type": "text/event-stream", "cache-control": "no-cache", "x-generation-id": "gen-123" };

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** One scenario: answers a request; `attempt` counts the hits of this scenario/key so far (1 for the first). */
export type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number, hit: Hit) => void;

const scenarios: Record<string, Handler> = {
  ok: (_q, res) => json(res, 200, chatCompletion(), { "x-generation-id": "gen-123" }),
  "ok-stream": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(transcript());
  },
  "echo-request": (q, res, _a, hit) =>
    json(res, 200, chatCompletion("echo", { echo: { headers: q.headers, body: JSON.parse(hit.body) } })),
  "429-then-ok": (_q, res, n) =>
    n === 1
      ? json(res, 429, { error: { code: 429, message: "Rate limit exceeded" } }, { "retry-after": "1" })
      : json(res, 200, chatCompletion()),
  "429-ms-then-ok": (_q, res, n) =>
    n === 1
      ? json(
          res,
          429,
          { error: { code: 429, message: "Rate limit exceeded" } },
          { "retry-after-ms": "150", "retry-after": "30" },
        )
      : json(res, 200, chatCompletion()),
  "429-date-then-ok": (_q, res, n) =>
    n === 1
      ? json(
          res,
          429,
          { error: { code: 429, message: "Rate limit exceeded" } },
          { "retry-after": new Date(Date.now() + 2000).toUTCString() },
        )
      : json(res, 200, chatCompletion()),
  "429-long": (_q, res) => json(res, 429, { error: { code: 429, message: "Slow down" } }, { "retry-after": "120" }),
  "503x2-then-ok": (_q, res, n) =>
    n <= 2
      ? json(res, 503, { error: { code: 503, message: "No available provider", metadata: { provider_name: null } } })
      : json(res, 200, chatCompletion()),
  "503-availability-then-ok": (_q, res, n) =>
    n === 1
      ? json(res, 503, {
          error: {
            message: "All providers are temporarily unavailable",
            error_type: "provider_overloaded",
            http_status: 503,
            availability: {
              code: "temporarily_unavailable",
              retryable: true,
              retry_after: 0.3,
              requested_models: ["m"],
              docs_url: "https://x",
            },
          },
        })
      : json(res, 200, chatCompletion()),
  "404-availability": (_q, res) =>
    json(res, 404, {
      error: {
        message: "No endpoints found",
        error_type: "not_found",
        http_status: 404,
        availability: { code: "no_endpoints", retryable: false, requested_models: ["m"], docs_url: "https://x" },
      },
    }),
  "503-retry-after-5": (_q, res) =>
    json(res, 503, { error: { code: 503, message: "Overloaded" } }, { "retry-after": "5" }),
  "500-forever": (_q, res) =>
    json(res, 500, { error: { code: 500, message: "Internal Server Error" } }, { "x-generation-id": "gen-err" }),
  "400": (_q, res) =>
    json(res, 400, { error: { code: 400, message: "model is required", metadata: { field: "model" } } }),
  "echo-auth-401": (q, res) =>
    json(res, 401, {
      error: {
        code: 401,
        message: `Invalid credentials: ${q.headers.authorization}`,
        metadata: { raw: q.headers.authorization },
      },
    }),
  "echo-auth-html-502": (q, res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end(`<html><body><h1>502 Bad Gateway</h1><p>${q.headers.authorization}</p></body></html>`);
  },
  hang: () => {},
  "hang-body": (_q, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.write('{"id":"gen-1",');
  },
  "stream-then-hang": (_q, res) => {
    res.writeHead(200, sseHead);
    res.write(`: OPENROUTER PROCESSING\n\n${sse(chunk("one"))}${sse(chunk("two"))}`);
  },
  "stream-reset": (q, res) => {
    res.writeHead(200, sseHead);
    res.write(sse(chunk("partial ")) + sse(chunk("content")));
    setTimeout(() => q.socket.destroy(), 30);
  },
  "stream-no-done": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(sse(chunk("Hello")) + sse(chunk(" there")));
  },
  "stream-no-done-mid-event": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(`${sse(chunk("Hello"))}data: {"id":"gen-123","choi`);
  },
  "stream-garbage": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(
      "garbage line without colon\n" +
        "foo: bar\n" +
        ": comment\n" +
        "retry: abc\n\n" +
        "\n\n" +
        sse(chunk("A")) +
        "event: message\nid: 7\n" +
        sse(chunk("B")) +
        "nonsense\n\n" +
        "data: [DONE]\n\n",
    );
  },
  "stream-bad-json": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(`${sse(chunk("A"))}data: {not json\n\ndata: [DONE]\n\n`);
  },
  "stream-error-int": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(
      sse(chunk("Partial")) +
        sse(chunk(" answer")) +
        sse({
          ...chunk(
            "",
            {
              error: {
                code: 502,
                message: "Provider disconnected",
                metadata: { error_type: "provider_unavailable", provider_code: "ECONNRESET" },
              },
            },
            { finish_reason: "error" },
          ),
        }),
    );
  },
  "stream-error-string": (_q, res) => {
    res.writeHead(200, sseHead);
    res.end(
      sse(chunk("Partial")) +
        sse({
          ...chunk("", { error: { code: "server_error", message: "Internal error" } }, { finish_reason: "error" }),
        }),
    );
  },
  "html-502": (_q, res) => {
    res.writeHead(502, { "content-type": "text/html" });
    res.end(
      "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>" +
        "<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>\n",
    );
  },
  "empty-200": (_q, res) => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "0" });
    res.end();
  },
  "empty-200-chunked": (_q, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end();
  },
  "oversized-line": (_q, res) => {
    res.writeHead(200, sseHead);
    res.write(sse(chunk("ok")));
    const big = "x".repeat(64 * 1024);
    let sent = 0;
    const pump = () => {
      while (sent < 4 * 1024 * 1024) {
        sent += big.length;
        if (!res.write(sent === big.length ? `data: ${big}` : big)) return void res.once("drain", pump);
      }
      res.end("\n\n");
    };
    pump();
  },
  "in-band-error": (_q, res) =>
    json(res, 200, {
      ...chatCompletion("Partial answ"),
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Partial answ" },
          finish_reason: "error",
          error: { code: 502, message: "Upstream provider failed", metadata: { provider_name: "X" } },
        },
      ],
    }),
  "in-band-top-error": (_q, res) =>
    json(res, 200, { error: { code: 400, message: "Provider returned error" }, user_id: "u1" }),
  "200-html": (_q, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<html><body>Captive portal</body></html>");
  },
  "stream-json-error": (_q, res) => json(res, 200, { error: { code: 402, message: "Insufficient credits" } }),
  "completion-ok": (_q, res) =>
    json(res, 200, {
      id: "gen-c",
      object: "text_completion",
      created: 1,
      model: "m",
      choices: [{ text: "Hi", index: 0, finish_reason: "stop", logprobs: null }],
    }),
  "completion-stream": (_q, res) => {
    res.writeHead(200, sseHead);
    const c = (text: string, fr: string | null = null) => ({
      id: "gen-c",
      object: "text_completion",
      created: 1,
      model: "m",
      choices: [{ text, index: 0, finish_reason: fr, logprobs: null }],
    });
    res.end(
      ": OPENROUTER PROCESSING\n\n" +
        sse(c("Hel")) +
        sse(c("lo", "stop")) +
        sse({ ...c(""), choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }) +
        "data: [DONE]\n\n",
    );
  },
};

/** Writes `head`, then `fill` until `total` bytes, then `tail`, with backpressure (nothing big is buffered here). */
export function pump(res: ServerResponse, head: string, fill: string, total: number, tail = ""): void {
  const piece = fill.repeat(Math.max(1, Math.floor(65536 / fill.length)));
  let sent = 0;
  res.write(head);
  const go = (): void => {
    while (sent < total) {
      if (res.destroyed) return;
      sent += piece.length;
      if (!res.write(piece)) return void res.once("drain", go);
    }
    res.end(tail);
  };
  go();
}

/** `extra` scenarios (e.g. a test file's own hostile ones) are served beside the built-in ones, and win on a clash. */
export async function startFaultServer(extra: Record<string, Handler> = {}): Promise<FaultServer> {
  const hits: Hit[] = [];
  const counts = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const parts = (req.url ?? "/").split("/").filter(Boolean);
    const [scenario = "", key = "", ...rest] = parts;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const hit: Hit = {
        scenario,
        key,
        path: `/${rest.join("/")}`,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        clientClosed: false,
      };
      hits.push(hit);
      res.on("close", () => {
        if (!res.writableFinished) hit.clientClosed = true;
      });
      const n = (counts.get(`${scenario}/${key}`) ?? 0) + 1;
      counts.set(`${scenario}/${key}`, n);
      const h = extra[scenario] ?? scenarios[scenario];
      if (!h) return json(res, 404, { error: { code: 404, message: `unknown scenario ${scenario}` } });
      h(req, res, n, hit);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    attempts: (s, k) => counts.get(`${s}/${k}`) ?? 0,
    hitsFor: (s, k) => hits.filter((h) => h.scenario === s && h.key === k),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
