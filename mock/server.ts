// The mock: Prism 5.14.2 (validator + source of responses) behind a thin node:http layer that
//  - serves the production base path (/api/v1/...) and the bare paths, the Redoc docs (/docs) and the bundle;
//  - turns Prism's request-validation results into OpenRouter's error envelope naming every violation (JSON
//    pointer + what was expected), with the status the spec documents for invalid requests (400) or auth (401);
//  - answers malformed JSON, unknown paths and methods, oversized bodies itself, in the same envelope;
//  - re-emits the spec's SSE example event by event, paced, for valid `stream: true` requests (Prism validates the
//    request and picks the example; the layer only splits and paces it).
// Prism runs in-process by default (its own request pipeline, no second HTTP hop) or as the CLI child process
// (MOCK_PRISM=child); see engine.ts.
import { createReadStream, existsSync } from "node:fs";
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createBodyExplainer, dedupe, envelope, type ErrorEnvelope } from "../src/conformance/envelope";
import { loadContract } from "../src/conformance/index";
import { createChildEngine, createInprocEngine, type Engine, type EngineResponse } from "./engine";
import { convertViolation, fromProblem, fromViolations, parseSlViolations } from "./prism-violations";
import { createReplayLayer } from "./replay";
import { allowedValues, isObj, loadSpec, type OperationInfo, type SpecInfo } from "./spec";
import { firstDataId, splitEvents, writeEvents, type StreamWriter } from "./sse";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface MockOptions {
  /** Listen port; 0 or undefined = a free port. (`npm start` passes PORT or 4010.) */
  port?: number;
  /**
   * Listen address (default 127.0.0.1). `npm start` reads MOCK_HOST, never the generic HOST. On a loopback address
   * the Host header must name a loopback host too (DNS-rebinding guard).
   */
  host?: string;
  /**
   * Delay between SSE events in ms. Default: env MOCK_STREAM_DELAY_MS, else 20. Per request: header
   * X-Mock-Stream-Delay-Ms.
   */
  pacingMs?: number;
  /** Spec served by Prism (default generated/openapi.yaml). */
  spec?: string;
  /** Redoc HTML served at /docs (default generated/docs/index.html). */
  docs?: string;
  /** Max request body in bytes before a 413 envelope (default 10 MiB). */
  maxBodyBytes?: number;
  /** Per-request timeout towards Prism in ms (default 30 s) -> 502 envelope. */
  upstreamTimeoutMs?: number;
  /** Time allowed to receive a whole request, headers and body, in ms (default 30 s) -> 408 envelope. */
  requestTimeoutMs?: number;
  /**
   * `Retry-After` (seconds) sent with 429 and 503 answers. Default: env MOCK_RETRY_AFTER, else 1 (not the spec's
   * example, 30: SDKs that honour it would stall a test suite for a minute per 429). Per request:
   * `Prefer: retry-after=<seconds>`.
   */
  retryAfterSeconds?: number;
  /** Violations named in one 400 answer (default 100); past it, one entry counts the rest. */
  maxViolations?: number;
  /** "inproc" (default, env MOCK_PRISM) runs Prism's request pipeline in this process; "child" spawns the Prism CLI. */
  prism?: "inproc" | "child";
  /** Child mode: called when Prism exits while the mock is not closing (requests then get 502 envelopes). */
  onPrismExit?: (code: number | null, signal: string | null) => void;
  /**
   * Recordings (JSONL exchange records, capture files, folders of them) answering the requests they match (JSON-equal
   * body, same method and path); everything else gets the spec's examples. `npm start -- --replay <path>`, MOCK_REPLAY.
   */
  replay?: string[];
}

export interface MockStats {
  activeStreams: number;
  pendingTimers: number;
  openSockets: number;
  streamsStarted: number;
  streamsCompleted: number;
  streamsAborted: number;
  requests: number;
  /** Requests answered from recordings (MockOptions.replay). */
  replayed: number;
}

export interface MockHandle {
  /** http://host:port */
  url: string;
  /** url + the spec's base path, e.g. http://127.0.0.1:4010/api/v1 */
  baseUrl: string;
  docsUrl: string;
  /** "inproc": Prism's pipeline runs in this process; "child": Prism CLI child process (MOCK_PRISM=child). */
  engine: "inproc" | "child";
  /** Child mode: Prism's own URL ("" in-process). */
  prismUrl: string;
  /** Child mode: Prism's PID (stopped by close()); in-process: this process's PID. */
  prismPid: number;
  /** The spec it serves, as loaded (operations, example keys). */
  spec: SpecInfo;
  stats(): MockStats;
  /** Stops the layer (closing every socket and stream timer) and Prism (by PID). Idempotent. */
  close(): Promise<void>;
}

export const STREAM_DELAY_HEADER = "x-mock-stream-delay-ms";
const HOP = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "proxy-connection",
  "proxy-authorization",
  "host",
  "content-length",
  "accept-encoding",
  "date",
  STREAM_DELAY_HEADER,
]);
const HOP_AND_BODY = new Set([...HOP, "content-type", "sl-violations"]);

function defaultPacing(): number {
  const env = Number(process.env.MOCK_STREAM_DELAY_MS);
  return Number.isFinite(env) && env >= 0 ? env : 20;
}

function copyHeaders(h: IncomingHttpHeaders, drop = HOP): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined && !drop.has(k)) out[k] = v;
  return out;
}

function sendJson(res: ServerResponse, status: number, body: unknown, extra: OutgoingHttpHeaders = {}) {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { ...extra, "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function sendEnvelope(res: ServerResponse, env: ErrorEnvelope, extra: OutgoingHttpHeaders = {}) {
  sendJson(res, env.error.code, env, extra);
}

function parsePrefer(h: string | string[] | undefined): { code?: string; example?: string; retryAfter?: string } {
  const s = Array.isArray(h) ? h.join(",") : (h ?? "");
  const code = /(?:^|[\s,;])code=("?)(\d{3})\1/i.exec(s)?.[2];
  const example = /(?:^|[\s,;])example=("?)([^",;\s]+)\1/i.exec(s)?.[2];
  const retryAfter = /(?:^|[\s,;])retry-after=("?)(\d{1,9})\1/i.exec(s)?.[2];
  return { ...(code ? { code } : {}), ...(example ? { example } : {}), ...(retryAfter ? { retryAfter } : {}) };
}

/**
 * A `Prefer: example=<key>` that the chosen response (status, and media type by the body's `stream` flag) does not
 * have: a 404 envelope naming the keys it has, and those of its other media types (Prism's own 404 names none).
 * Undefined when the key exists, or the status is not declared (Prism answers that itself).
 */
function exampleNotFound(
  op: OperationInfo,
  status: string,
  streaming: boolean,
  key: string,
): ErrorEnvelope | undefined {
  const byMedia = op.examples[status];
  if (!byMedia) return undefined;
  const media = streaming ? "text/event-stream" : "application/json";
  const here = byMedia[media] ?? [];
  if (here.includes(key)) return undefined;
  const others = Object.entries(byMedia)
    .filter(([mt, keys]) => mt !== media && keys.length > 0)
    .map(([mt, keys]) => `; ${mt}${mt === "text/event-stream" ? ' (with "stream": true)' : ""}: ${keys.join(", ")}`);
  const message =
    `No example "${key}" for ${op.operationId} ${status} ${media}` +
    `${status === "200" ? (streaming ? ' (the body has "stream": true)' : "") : ""}. ` +
    `Examples there: ${here.join(", ") || "none"}${others.join("")}`;
  return envelope(404, message, { mock_error: "EXAMPLE_NOT_FOUND", examples: byMedia });
}

/** Retry-After of the mock's 429 and 503 answers when neither the caller nor MOCK_RETRY_AFTER names one. */
export const DEFAULT_RETRY_AFTER_SECONDS = 1;

function defaultRetryAfter(): number {
  const raw = process.env.MOCK_RETRY_AFTER;
  if (raw === undefined || raw === "") return DEFAULT_RETRY_AFTER_SECONDS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`MOCK_RETRY_AFTER must be a whole number of seconds (got ${raw})`);
  return n;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/i;

/** Host header's host part without the port ("[::1]:80" -> "::1"). */
function hostName(h: string): string {
  const m = /^\[([^\]]*)\](?::\d*)?$/.exec(h);
  if (m) return m[1]!;
  const i = h.lastIndexOf(":");
  return (i >= 0 && h.indexOf(":") === i ? h.slice(0, i) : h).replace(/\.$/, "");
}

/** Listen address for `npm start`: MOCK_HOST, else loopback. The generic HOST is ignored on purpose. */
export function hostFromEnv(env: Record<string, string | undefined> = process.env): string {
  return env.MOCK_HOST || "127.0.0.1";
}

/** The mock holds no credentials: any origin may call it, without cookies (no allow-credentials). */
export function corsHeaders(): OutgoingHttpHeaders {
  return { "access-control-allow-origin": "*", "access-control-expose-headers": "*" };
}

function readAll(stream: IncomingMessage, limit: number): Promise<Buffer | "too_large"> {
  return new Promise((resolveRead, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    stream.on("data", (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        return;
      }
      chunks.push(c);
    });
    stream.on("end", () => resolveRead(over ? "too_large" : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    stream.on("error", reject);
  });
}

export async function startMock(opts: MockOptions = {}): Promise<MockHandle> {
  const host = opts.host ?? "127.0.0.1";
  const checkHost = LOOPBACK.test(host);
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const retryAfter = opts.retryAfterSeconds ?? defaultRetryAfter();
  const specFile = resolve(opts.spec ?? resolve(repoRoot, "generated/openapi.yaml"));
  const docsFile = resolve(opts.docs ?? resolve(repoRoot, "generated/docs/index.html"));
  const pacing = opts.pacingMs ?? defaultPacing();
  const maxBody = opts.maxBodyBytes ?? 10 * 1024 * 1024;
  const upstreamTimeout = opts.upstreamTimeoutMs ?? 30_000;
  const spec: SpecInfo = loadSpec(specFile);
  const replay = opts.replay?.length ? createReplayLayer(opts.replay, corsHeaders()) : undefined;
  const explain = createBodyExplainer(
    loadContract(spec.doc, opts.maxViolations === undefined ? {} : { maxViolations: opts.maxViolations }),
  );
  const bundleJson = specFile.replace(/\.ya?ml$/, ".json");
  // The streaming form for client generators (scripts/stream-bundle.ts), beside the bundle.
  const streamJson = specFile.replace(/\.ya?ml$/, ".stream.json");
  const engineKind = opts.prism ?? (process.env.MOCK_PRISM === "child" ? "child" : "inproc");
  const engine: Engine =
    engineKind === "child" ? await createChildEngine(specFile, upstreamTimeout) : await createInprocEngine(specFile);
  let closing: Promise<void> | undefined;
  engine.child?.once("exit", (code, signal) => {
    if (!closing) opts.onPrismExit?.(code, signal);
  });
  const sockets = new Set<Socket>();
  const streams = new Set<StreamWriter>();
  const counters = { streamsStarted: 0, streamsCompleted: 0, streamsAborted: 0, requests: 0 };
  const routes = [...spec.paths.entries()].flatMap(([p, ms]) =>
    [...ms.keys()].map((m) => `${m.toUpperCase()} ${spec.basePath}${p}`),
  );

  const stripBase = (pathname: string) =>
    spec.basePath && (pathname === spec.basePath || pathname.startsWith(`${spec.basePath}/`))
      ? pathname.slice(spec.basePath.length) || "/"
      : pathname;

  function serveFile(res: ServerResponse, file: string, type: string, head: boolean) {
    if (!existsSync(file)) {
      return sendEnvelope(res, envelope(404, `Mock: ${file} does not exist (run \`npm run generate\`)`));
    }
    res.writeHead(200, { "content-type": type, "cache-control": "no-cache" });
    if (head) return res.end();
    createReadStream(file)
      .on("error", () => res.destroy())
      .pipe(res);
  }

  function convertError(
    up: EngineResponse,
    op: OperationInfo,
    explained: () => ReturnType<typeof explain>,
    authorization: string | undefined,
  ): { env: ErrorEnvelope } | undefined {
    const { status, headers: h, body } = up;
    const allowed = (ptr: string) => allowedValues(spec.doc, op.requestSchema, ptr);
    const violations = parseSlViolations(up.violations, allowed, explained);
    const declares400 = op.statuses.includes("400");
    if (violations.length) {
      const env = fromViolations(status, violations, authorization);
      // Schema and content-type failures answer 400 (OpenRouter's status for invalid parameters) when the operation
      // declares it; Prism would prefer 422/415 when those are declared too.
      if (env.error.code !== 401 && declares400) env.error.code = 400;
      return { env };
    }
    const ct = String(h["content-type"] ?? "");
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString("utf8"));
    } catch {
      return {
        env: envelope(status, `Mock: Prism answered ${status} with a non-JSON body`, {
          mock_error: "UPSTREAM_BODY",
          body: body.toString("utf8").slice(0, 500),
        }),
      };
    }
    if (ct.includes("problem+json")) {
      const env = fromProblem(status, parsed);
      const kind = String(env.error.metadata?.mock_error ?? "");
      if ((kind === "UNPROCESSABLE_ENTITY" || kind === "INVALID_CONTENT_TYPE") && declares400) env.error.code = 400;
      return { env };
    }
    // Prism's own malformed-JSON answer (not an envelope: its code is a string). The layer normally catches
    // malformed JSON first; this covers bodies it did not parse (e.g. an unusual JSON content type).
    if (isObj(parsed) && isObj(parsed.error) && parsed.error.code === "invalid_json") {
      return {
        env: envelope(400, "Malformed JSON body", {
          violations: [{ pointer: "", message: "Invalid JSON", code: "invalid_json", location: "body" }],
        }),
      };
    }
    // Otherwise it is the spec's example for that status (e.g. `Prefer: code=429`): pass it through byte for byte.
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    counters.requests++;
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const query = qi < 0 ? "" : rawUrl.slice(qi);
    const method = (req.method ?? "GET").toLowerCase();
    const path = stripBase(pathname);
    if (checkHost && !LOOPBACK.test(hostName(String(req.headers.host ?? "")))) {
      // A page on another site that rebinds its DNS name to 127.0.0.1 would send its own name here.
      req.resume();
      const message =
        `Host ${JSON.stringify(req.headers.host ?? "")} is not allowed: this mock listens on ${host} and answers ` +
        "loopback host names only (set MOCK_HOST to listen elsewhere)";
      return sendEnvelope(res, envelope(403, message, { mock_error: "HOST_NOT_ALLOWED" }), { connection: "close" });
    }

    if (method === "get" || method === "head") {
      const head = method === "head";
      if (path === "/docs" || path === "/docs/" || path === "/docs/index.html")
        return serveFile(res, docsFile, "text/html; charset=utf-8", head);
      if (path === "/openapi.yaml") return serveFile(res, specFile, "application/yaml; charset=utf-8", head);
      if (path === "/openapi.json") return serveFile(res, bundleJson, "application/json; charset=utf-8", head);
      if (path === "/openapi.stream.json") return serveFile(res, streamJson, "application/json; charset=utf-8", head);
      if (path === "/__mock/stats") return sendJson(res, 200, stats());
    }

    const methods = spec.paths.get(path);
    if (!methods) {
      req.resume();
      return sendEnvelope(
        res,
        envelope(
          404,
          `Not found: ${req.method} ${pathname}. This mock serves ${routes.join(", ")} ` +
            `(the bare paths without ${spec.basePath || "a base path"} answer too) and GET /docs.`,
          { mock_error: "NO_PATH_MATCHED", routes },
        ),
      );
    }
    const op = methods.get(method);
    const allow = [...methods.keys()].map((m) => m.toUpperCase()).join(", ");
    if (!op) {
      req.resume();
      if (method === "options" && req.headers.origin && req.headers["access-control-request-method"]) {
        // CORS preflight, as Prism answers it.
        res.writeHead(204, {
          ...corsHeaders(),
          "access-control-allow-headers": String(req.headers["access-control-request-headers"] ?? "*"),
          "access-control-allow-methods": String(req.headers["access-control-request-method"]),
          "access-control-max-age": "600",
          "content-length": 0,
        });
        return res.end();
      }
      return sendEnvelope(
        res,
        envelope(405, `Method ${req.method} not allowed on ${pathname}; allowed: ${allow}`, {
          mock_error: "NO_METHOD_MATCHED",
          allow,
        }),
        { allow },
      );
    }

    const declared = Number(req.headers["content-length"]);
    if (req.headers["content-length"] !== undefined && declared > maxBody) {
      // Refuse before reading: the body is never received (the connection closes after the answer).
      const message = `Request body of ${declared} bytes (Content-Length) exceeds the mock's limit of ${maxBody} bytes`;
      return sendEnvelope(res, envelope(413, message, { mock_error: "PAYLOAD_TOO_LARGE" }), { connection: "close" });
    }
    const body = await readAll(req, maxBody);
    if (body === "too_large") {
      return sendEnvelope(
        res,
        envelope(413, `Request body exceeds the mock's limit of ${maxBody} bytes`, { mock_error: "PAYLOAD_TOO_LARGE" }),
        { connection: "close" },
      );
    }
    const ctype = String(req.headers["content-type"] ?? "");
    const isJson = /^application\/(?:[\w.+-]*\+)?json\s*(?:;|$)/i.test(ctype);
    let parsed: unknown;
    if (body.length > 0 && isJson) {
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch (e) {
        const message = `Malformed JSON body: ${(e as Error).message}`;
        return sendEnvelope(
          res,
          envelope(400, message, {
            violations: [{ pointer: "", message: (e as Error).message, code: "invalid_json", location: "body" }],
          }),
        );
      }
    }
    // Recordings first (--replay): what they do not match goes on to Prism and the spec's examples.
    if (replay?.answer(req, res, path, parsed ?? (body.length ? body.toString("utf8") : undefined))) return;
    const prefer = parsePrefer(req.headers.prefer);
    // The library explains a rejected body (one violation per real problem, see createBodyExplainer). It runs before
    // Prism when the body is JSON: a body with more violations than the cap is answered here, because Prism's own
    // validator slows down quadratically with the number of violations (100k bad array items took minutes and
    // gigabytes).
    let explainedOnce: ReturnType<typeof explain> | null = null;
    const explained = () => (explainedOnce ??= parsed === undefined ? undefined : explain(path, op.method, parsed));
    if (parsed !== undefined && explained()?.some((v) => v.code === "violations_capped")) {
      const auth = req.headers.authorization;
      const unauthorized = convertViolation({
        location: ["request"],
        code: 401,
        message: "Invalid security scheme used",
      });
      const vs = dedupe([...(auth && /^bearer\s+\S/i.test(auth) ? [] : [unauthorized]), ...explained()!]);
      const env = fromViolations(400, vs, auth);
      return sendEnvelope(res, env, corsHeaders());
    }
    const streaming =
      isObj(parsed) &&
      parsed.stream === true &&
      op.sseExamples.length > 0 &&
      (prefer.code === undefined || prefer.code === "200");

    const unknownExample = prefer.example && exampleNotFound(op, prefer.code ?? "200", streaming, prefer.example);
    if (unknownExample) return sendEnvelope(res, unknownExample, corsHeaders());

    const headers = copyHeaders(req.headers);
    // The body's `stream` flag picks the media type (as on OpenRouter); the client's Accept does not matter.
    headers.accept = streaming ? "text/event-stream" : "application/json";

    let delay = pacing;
    const hdr = req.headers[STREAM_DELAY_HEADER];
    if (typeof hdr === "string" && /^\d{1,6}$/.test(hdr.trim())) delay = Number(hdr.trim());

    let up: EngineResponse;
    try {
      up = await engine.handle({
        method: req.method ?? "POST",
        path,
        query,
        headers: headers as IncomingHttpHeaders,
        rawBody: body,
        json: parsed,
        isJson,
      });
    } catch (e) {
      return sendEnvelope(
        res,
        envelope(502, `Mock: Prism failed: ${(e as Error)?.message ?? String(e)}`, {
          mock_error: "UPSTREAM_UNAVAILABLE",
        }),
      );
    }
    if (res.destroyed) return;
    const status = up.status;
    if (status >= 400) {
      const conv = convertError(up, op, explained, req.headers.authorization);
      // Keep Prism's headers for that status (Retry-After, ...); the body is the envelope.
      if (conv) return sendEnvelope(res, conv.env, upstreamHeaders(up, prefer));
    }
    const isSse = String(up.headers["content-type"] ?? "").startsWith("text/event-stream");
    if (!(streaming && isSse && status < 300)) {
      res.writeHead(status, {
        ...upstreamHeaders(up, prefer),
        "content-type": up.headers["content-type"] ?? "application/json",
        "content-length": up.body.length,
      });
      return res.end(up.body);
    }
    const events = splitEvents(up.body.toString("utf8"));
    const out = upstreamHeaders(up, prefer);
    out["content-type"] = "text/event-stream";
    out["cache-control"] = "no-cache";
    out["x-generation-id"] = firstDataId(events) ?? up.headers["x-generation-id"] ?? `gen-mock-${Date.now()}`;
    res.writeHead(status, out);
    req.socket.setNoDelay(true);
    counters.streamsStarted++;
    const w = writeEvents(res, events, delay);
    streams.add(w);
    w.done.then((ok) => {
      streams.delete(w);
      if (ok) counters.streamsCompleted++;
      else counters.streamsAborted++;
    });
  }

  /** Prism's headers minus hop-by-hop ones, with the mock's CORS policy and the chosen Retry-After. */
  function upstreamHeaders(up: EngineResponse, prefer: { retryAfter?: string }): OutgoingHttpHeaders {
    const out = copyHeaders(up.headers as IncomingHttpHeaders, HOP_AND_BODY);
    for (const k of Object.keys(out)) if (k.startsWith("access-control-")) delete out[k];
    Object.assign(out, corsHeaders());
    const retryable = out["retry-after"] !== undefined || up.status === 429 || up.status === 503;
    if (retryable) out["retry-after"] = prefer.retryAfter ?? String(retryAfter);
    return out;
  }

  function stats(): MockStats {
    let pendingTimers = 0;
    for (const s of streams) if (s.pending) pendingTimers++;
    const replayed = replay?.replayed() ?? 0;
    return { activeStreams: streams.size, pendingTimers, openSockets: sockets.size, ...counters, replayed };
  }

  // Node checks the request timeout every connectionsCheckingInterval (default 30 s): check often enough to matter.
  const serverOpts = {
    keepAliveTimeout: 5000,
    requestTimeout,
    headersTimeout: Math.min(requestTimeout, 60_000),
    connectionsCheckingInterval: Math.max(100, Math.min(1000, requestTimeout / 4)),
  };
  const server = createServer(serverOpts, (req, res) => {
    req.on("error", () => res.destroy());
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent)
        sendEnvelope(
          res,
          envelope(500, `Mock internal error: ${(e as Error)?.message ?? String(e)}`, { mock_error: "INTERNAL" }),
        );
      else res.destroy();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || err.code === "ECONNRESET") return socket.destroy();
    const timeout = err.code === "ERR_HTTP_REQUEST_TIMEOUT";
    const env = timeout
      ? envelope(408, `Request not received within ${requestTimeout} ms (headers and body)`, {
          mock_error: "REQUEST_TIMEOUT",
        })
      : envelope(400, `Malformed HTTP request: ${err.message}`, { mock_error: "CLIENT_ERROR" });
    const text = JSON.stringify(env);
    const reason = timeout ? "Request Timeout" : "Bad Request";
    socket.end(
      `HTTP/1.1 ${env.error.code} ${reason}\r\ncontent-type: application/json\r\n` +
        `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
    );
  });

  try {
    await new Promise<void>((resolveListen, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off("error", reject);
        resolveListen();
      });
    });
  } catch (e) {
    await engine.close();
    throw e;
  }
  // Warm-up in the background: Prism and the explainer compile their validators on first use (~1 s on a busy
  // 2-core machine); do it now rather than on the first client request.
  setImmediate(() => {
    for (const [p, ms] of spec.paths) {
      for (const op of ms.values()) {
        if (closing) return;
        explain(p, op.method, {});
        const headers = {
          "content-type": "application/json",
          accept: "application/json",
          authorization: "Bearer warm-up",
        };
        engine
          .handle({
            method: op.method.toUpperCase(),
            path: p,
            query: "",
            headers,
            rawBody: Buffer.from("{}"),
            json: {},
            isJson: true,
          })
          .catch(() => {});
      }
    }
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url,
    baseUrl: url + spec.basePath,
    docsUrl: `${url}/docs`,
    engine: engine.kind,
    prismUrl: engine.url ?? "",
    prismPid: engine.pid ?? process.pid,
    spec,
    stats,
    close: () =>
      (closing ??= (async () => {
        for (const w of streams) w.cancel();
        streams.clear();
        replay?.cancel();
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        await Promise.all([closed, engine.close()]);
      })()),
  };
}
