// Node-only: the validating, recording reverse proxy behind `openrouter-contract proxy`.
// Any client (Python, Go, curl, ...) points its base URL at it. Each exchange is forwarded to the upstream unchanged:
// the request body is read (up to maxBodyBytes) so it can be checked, and the response is written to the client
// chunk by chunk as it arrives. A copy of each chunk is checked afterwards, between I/O callbacks, with the
// conformance library (SSE: an incremental StreamChecker, so findings appear while the stream runs) and, with
// `record`, handed to the recorder (createRecorder, the middleware TypeScript apps use: same records, same redaction).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { randomBytes } from "node:crypto";
import { checkExchange } from "../../conformance/check";
import { findMedia, findResponse, opName } from "../../spec/operations";
import type { Contract } from "../../conformance/contract";
import { createRecorder } from "../../conformance/record";
import { Report } from "../../conformance/report";
import type { ExchangeRecord, Mode, Violation } from "../../conformance/types";
import { CheckWorker } from "./check-worker";
import { blocksRequest, createBodyExplainer, envelope, rejectionEnvelope } from "../../conformance/envelope";
import { decoderFor, displayUrl, forwardable, headersForCheck, lowerHeaders, readBody, toHeaders } from "./forward";
import { localChecks, type SseChecks } from "./stream-checks";

export interface ProxyOptions {
  /** Base URL requests are forwarded to, e.g. https://openrouter.ai/api/v1 (its path replaces the client's). */
  upstream: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  contract: Contract;
  mode?: Mode;
  /** Answer a request whose body breaks the contract with a 400 envelope instead of forwarding it. */
  enforce?: boolean;
  /** Receives each exchange record (one redacted JSON line, newline included) once the exchange has finished. */
  record?(line: string): void;
  /** Receives one line per finding as it is found (and notes about unchecked exchanges). */
  log?(line: string): void;
  /** Print info findings live (they are always counted in the report). */
  showInfo?: boolean;
  /** Keep a finding (for --checks / --exclude-checks); default: all. */
  keep?(v: Violation): boolean;
  /** Bytes of a request body read for checking, and characters of a response body recorded (default 16 MiB). */
  maxBodyBytes?: number;
  /** Extra header names and top-level request JSON keys to redact in records (the recorder's `redact`). */
  redact?: string[];
  /** How far (bytes) checks and record may fall behind forwarding before the upstream is paused (default 8 MiB). */
  maxLagBytes?: number;
  /**
   * Where SSE bodies are checked: a worker thread (default), or this thread (which is also the fallback if the
   * worker fails).
   */
  checkThread?: "worker" | "main";
  /** Assert `format` keywords in the worker's copy of the contract (default true; the CLI's --no-formats). */
  formats?: boolean;
}

export interface ProxyStats {
  exchanges: number;
  finished: number;
  clientAborts: number;
  /** In-flight exchanges cut by close(). */
  cutAtStop: number;
  upstreamErrors: number;
  enforced: number;
  /** Exchanges forwarded without checks or record (request body over maxBodyBytes). */
  unchecked: number;
}

export interface ProxyHandle {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + the upstream's base path: what clients use as their base URL. */
  baseUrl: string;
  report: Report;
  stats(): ProxyStats;
  /** Stop listening, cut in-flight exchanges (they are recorded as incomplete), wait for their records. */
  close(): Promise<void>;
}

/** Findings printed live per exchange; the rest are only counted (the summary groups them). */
const LIVE_PER_EXCHANGE = 20;
const NULL_BODY = new Set([204, 205, 304]);
/** Longest stretch of checking between two turns of the event loop. */
const SLICE_MS = 2;

interface Exchange {
  id: string;
  seq: number;
  request: ExchangeRecord["request"];
  operation?: string;
  findings: Violation[];
  live: number;
  sse?: SseChecks;
  done: boolean;
}

/** One line of the live log: exchange id, severity, check, location, JSON pointer, message. */
export function formatFinding(id: string, v: Violation): string {
  const msg = v.message.replace(/\s*\n\s*/g, " ");
  const where = `${v.location ?? ""} ${v.instancePath || "(root)"}`;
  return `${id} ${v.severity.toUpperCase().padEnd(7)} ${v.check} ${where}: ${msg}`;
}

export async function startProxy(opts: ProxyOptions): Promise<ProxyHandle> {
  const upstream = new URL(opts.upstream);
  if (upstream.protocol !== "http:" && upstream.protocol !== "https:") {
    throw new Error(`upstream must be an http or https URL (got ${displayUrl(upstream)})`);
  }
  const basePath = upstream.pathname.replace(/\/+$/, "");
  const mod = upstream.protocol === "https:" ? https : http;
  const agent = new mod.Agent({ keepAlive: true });
  const contract = opts.contract;
  const mode = opts.mode ?? "tolerant";
  const maxBody = opts.maxBodyBytes ?? 16 * 1024 * 1024;
  const maxLag = opts.maxLagBytes ?? 8 * 1024 * 1024;
  const keep = opts.keep ?? (() => true);
  const log = opts.log ?? (() => undefined);
  const report = new Report();
  const runId = randomBytes(3).toString("hex");
  const exchanges = new Map<string, Exchange>();
  const recordsDue = new Set<string>();
  let recordsSettled: (() => void) | undefined;
  const sockets = new Set<Socket>();
  const counters: ProxyStats = {
    exchanges: 0,
    finished: 0,
    clientAborts: 0,
    cutAtStop: 0,
    upstreamErrors: 0,
    enforced: 0,
    unchecked: 0,
  };
  let explain: ReturnType<typeof createBodyExplainer> | undefined;
  let closing: Promise<void> | undefined;
  // Started with the first stream (messages wait in its port while it loads); JSON-only traffic never needs it.
  let checkWorker: CheckWorker | undefined;
  let workerBroken = opts.checkThread === "main";
  const remote = (): CheckWorker | undefined => {
    if (workerBroken) return undefined;
    if (!checkWorker) {
      try {
        checkWorker = new CheckWorker(contract.spec, opts.formats ?? true, mode);
      } catch (e) {
        workerBroken = true;
        log(`stream checks run in the main thread (check worker unavailable: ${(e as Error).message})`);
        return undefined;
      }
      checkWorker.onStop = (n) =>
        log(`stopped before the stream checks of ${n} exchange(s) finished: reported without them`);
      checkWorker.onFail = (e, n) =>
        log(
          `check worker failed (${e.message}): ${n} open stream(s) lose their remaining checks; ` +
            "later streams are checked in the main thread",
        );
    }
    return checkWorker.failed ? undefined : checkWorker;
  };

  const emitFinding = (ex: Exchange, v: Violation) => {
    if (v.severity === "info" && !opts.showInfo) return;
    if (ex.live++ < LIVE_PER_EXCHANGE) log(formatFinding(ex.id, v));
    else if (ex.live === LIVE_PER_EXCHANGE + 1) log(`${ex.id} (further findings of this exchange: summary only)`);
  };

  /** Response checks (the request side was checked before forwarding, an SSE body while it streamed), then report. */
  const finalize = (ex: Exchange, response: ExchangeRecord["response"], note?: string) => {
    if (ex.done) return;
    ex.done = true;
    exchanges.delete(ex.id);
    if (response) {
      const more = checkExchange(
        contract,
        { v: 1, id: ex.id, request: ex.request, response },
        { mode },
      ).violations.filter(
        (v) =>
          (v.location ?? "").startsWith("response") &&
          !(ex.sse && (v.location ?? "").startsWith("response.sse")) &&
          keep(v),
      );
      for (const v of more) emitFinding(ex, v);
      ex.findings.push(...more);
    }
    if (note) log(`${ex.id} ${note}`);
    report.add(ex.id, ex.seq, ex.operation, ex.findings);
    report.lines = report.summary().exchanges;
  };

  const recorder = opts.record
    ? createRecorder({
        maxBodyChars: maxBody,
        redact: opts.redact,
        write(line) {
          const id = /^\{"v":1,"id":"([^"\\]*)"/.exec(line)?.[1];
          if (id !== undefined) recordsDue.delete(id);
          try {
            opts.record!(line);
          } catch {
            /* a failing sink never affects traffic */
          }
          if (!recordsDue.size) recordsSettled?.();
        },
      })
    : undefined;
  // The recorder is openapi-fetch middleware; its callbacks only read request, response and id.
  type Hook = (p: Record<string, unknown>) => unknown;
  const onRequest = recorder?.onRequest as unknown as Hook;
  const onResponse = recorder?.onResponse as unknown as Hook;
  const onError = recorder?.onError as unknown as Hook;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const seq = ++counters.exchanges;
    const id = `${runId}-${seq}`;
    const rawUrl = req.url ?? "/";
    const qi = rawUrl.indexOf("?");
    const pathname = qi < 0 ? rawUrl : rawUrl.slice(0, qi);
    const underBase = basePath && (pathname === basePath || pathname.startsWith(`${basePath}/`));
    const rest = underBase ? pathname.slice(basePath.length) : pathname;
    const target = new URL(upstream.href);
    target.pathname = basePath + rest;
    target.search = qi < 0 ? "" : rawUrl.slice(qi);
    const method = req.method ?? "GET";
    const headers = forwardable(req.rawHeaders);

    // Read the request body for checking, up to maxBody; a larger body is streamed through unchecked.
    const { chunks, size, overflow, ok } = await readBody(req, maxBody);
    if (!ok || res.destroyed) return;

    const upHeaders = [...headers, "Host", target.host];
    let body: Buffer | undefined;
    if (overflow) {
      counters.unchecked++;
      log(`${id} request body over ${maxBody} bytes: forwarded unchecked and not recorded (--max-body-bytes)`);
    } else {
      body = Buffer.concat(chunks, size);
      const hasLength = headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === "content-length");
      if (!hasLength && (size > 0 || !/^(GET|HEAD|DELETE|OPTIONS)$/i.test(method))) {
        upHeaders.push("Content-Length", String(size));
      }
    }

    // Request checks, before anything is forwarded.
    let ex: Exchange | undefined;
    let recordReq: Request | undefined;
    let requestRecorded: Promise<unknown> = Promise.resolve();
    const ac = new AbortController();
    const recordError = (msg: string) => {
      if (recordReq) void requestRecorded.then(() => onError({ request: recordReq, id, error: new Error(msg) }));
    };
    if (body) {
      let parsed: unknown;
      let parseError: string | undefined;
      if (size > 0) {
        try {
          parsed = JSON.parse(body.toString("utf8"));
        } catch (e) {
          parseError = (e as Error).message;
        }
      }
      const request: ExchangeRecord["request"] = { method, url: target.href, headers: headersForCheck(headers) };
      if (parseError !== undefined) request.bodyText = body.toString("utf8");
      else if (parsed !== undefined) request.body = parsed;
      const checked = checkExchange(contract, { v: 1, id, request }, { mode });
      ex = {
        id,
        seq,
        request,
        operation: checked.operation,
        findings: checked.violations.filter(keep),
        live: 0,
        done: false,
      };
      exchanges.set(id, ex);
      for (const v of ex.findings) emitFinding(ex, v);
      if (recorder) {
        try {
          const noBody = /^(GET|HEAD)$/i.test(method) || size === 0;
          const init = { method, headers: toHeaders(headers), signal: ac.signal };
          recordReq = new Request(target.href, noBody ? init : { ...init, body: body as unknown as BodyInit });
          recordsDue.add(id);
          requestRecorded = Promise.resolve(onRequest({ request: recordReq, id })).catch(() => undefined);
        } catch {
          recordReq = undefined;
        }
      }
      const blocking = ex.findings.filter(blocksRequest);
      if (opts.enforce && blocking.length && checked.operation) {
        counters.enforced++;
        explain ??= createBodyExplainer(contract);
        const op = contract.match(method, target.href).op!;
        const env = rejectionEnvelope(explain, op.method, op.path, parsed, parseError, blocking);
        const text = JSON.stringify(env);
        const out = {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(text)),
          "x-contract-proxy": "rejected",
        };
        res.writeHead(400, out);
        res.end(text);
        finalize(ex, { status: 400, headers: out, body: env, complete: true });
        if (recordReq) {
          const response = new Response(text, { status: 400, headers: out });
          void requestRecorded.then(() => onResponse({ request: recordReq, id, response }));
        }
        return;
      }
    }

    const upReq = mod.request(target, { method, headers: upHeaders, agent });
    upReq.setNoDelay(true);
    let settled = false;
    let responded = false;
    res.on("close", () => {
      if (res.writableFinished || settled) return;
      settled = true;
      if (closing) counters.cutAtStop++;
      else counters.clientAborts++;
      ac.abort();
      upReq.destroy(); // the upstream sees the abort (its socket closes)
      if (!responded && ex) {
        // No response yet: nothing else will end this exchange.
        finalize(ex, undefined, "client closed the connection before the response");
        recordError("client closed the connection before the response");
      }
    });

    upReq.on("error", (err: NodeJS.ErrnoException) => {
      if (settled) return;
      settled = true;
      counters.upstreamErrors++;
      const reason = err.code ? `${err.code}` : err.message;
      if (!res.headersSent) {
        // Nothing came back: the client gets a 502 naming the cause.
        const text = JSON.stringify(
          envelope(502, `openrouter-contract proxy: upstream ${upstream.host} failed: ${reason}`),
        );
        res.writeHead(502, {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(text)),
          "x-contract-proxy": "upstream-error",
        });
        res.end(text);
      } else res.destroy();
      if (ex) finalize(ex, undefined, `upstream error: ${reason}`);
      recordError(`upstream ${reason}`);
    });

    upReq.on("response", (up: IncomingMessage) => {
      responded = true;
      const status = up.statusCode ?? 502;
      res.sendDate = false; // the upstream's Date passes through
      res.writeHead(status, up.statusMessage, forwardable(up.rawHeaders));
      res.flushHeaders();

      // The copy: checks (and the recorder's stream) are fed from here, behind the forwarding.
      let wake: () => void = () => undefined;
      let feed: ((b: Buffer) => void) | undefined;
      let endTee: ((ok: boolean) => void) | undefined;
      if (ex) {
        const x = ex;
        const ct = String(up.headers["content-type"] ?? "");
        const m = contract.match(method, target.href);
        const media = m.op ? findMedia(findResponse(m.op, status)?.content ?? [], ct) : undefined;
        const decoder = decoderFor(up.headers["content-encoding"] as string | undefined);
        if (media?.kind === "sse" && status < 300 && decoder !== null) {
          const live = (vs: Violation[]) => {
            for (const v of vs) if (keep(v)) emitFinding(x, v);
          };
          const w = remote();
          x.sse = w
            ? w.checks(id, method, target.href, status, ct, maxLag, live, () => wake())
            : localChecks(contract, media, mode, live);
          x.operation = opName(m.op!);
        }
        let ctrl: ReadableStreamDefaultController<Uint8Array> | undefined;
        let open = !!recordReq;
        if (recordReq) {
          const source = { start: (c: typeof ctrl) => void (ctrl = c), cancel: () => void (open = false) };
          const stream = NULL_BODY.has(status) ? null : new ReadableStream<Uint8Array>(source);
          let response: Response | undefined;
          try {
            response = new Response(stream, { status, headers: toHeaders(forwardable(up.rawHeaders)) });
          } catch {
            recordError(`upstream status ${status} cannot be recorded`); // outside 200-599
            open = false;
          }
          if (response) {
            const r = response;
            void requestRecorded.then(() => {
              onResponse({ request: recordReq, id, response: r });
              void r.body?.cancel().catch(() => undefined); // the recorder reads its clone; ours is not read
            });
          }
        }
        const td = new TextDecoder();
        let text = "";
        let whole = true;
        const onText = (b: Buffer) => {
          if (open && ctrl) {
            try {
              ctrl.enqueue(new Uint8Array(b.buffer, b.byteOffset, b.length));
            } catch {
              open = false;
            }
          }
          if (x.sse) x.sse.feed(b);
          else if (text.length < maxBody) text += td.decode(b, { stream: true });
          else whole = false;
        };
        if (decoder === null) {
          whole = false;
          log(
            `${id} content-encoding ${String(up.headers["content-encoding"])} cannot be decoded: ` +
              "body forwarded, not checked",
          );
        }
        if (decoder) {
          decoder.on("data", onText);
          decoder.on("error", () => {
            whole = false;
            decoder.removeListener("data", onText);
          });
        }
        feed = decoder === null ? undefined : decoder ? (b) => decoder.write(b) : onText;
        let teeEnded = false;
        endTee = (ok) => {
          if (teeEnded) return;
          teeEnded = true;
          let once = false;
          const done = () => {
            if (once) return;
            once = true;
            const complete = ok && whole;
            const s = x.sse;
            if (!s) text += td.decode();
            const response: NonNullable<ExchangeRecord["response"]> = {
              status,
              headers: lowerHeaders(up.headers),
              complete,
            };
            if (!s && text !== "") {
              let parsedBody: unknown;
              if (complete && /json/i.test(ct)) {
                try {
                  parsedBody = JSON.parse(text);
                } catch {
                  /* checked as text: body_is_json */
                }
              }
              if (parsedBody !== undefined) response.body = parsedBody;
              else response.bodyText = text;
            }
            const note = ok ? undefined : "response cut short (recorded as incomplete)";
            if (s) {
              s.end(complete, (all, fresh) => {
                // end() adds the end-of-stream checks (and dedupes): print the ones not printed live.
                for (const v of fresh) if (keep(v)) emitFinding(x, v);
                x.findings.push(...all.filter(keep));
                finalize(x, response, note);
              });
            } else finalize(x, response, note);
            if (open && ctrl) {
              try {
                if (ok) ctrl.close();
                else ctrl.error(new Error("stream cut short"));
              } catch {
                /* already cancelled by the recorder */
              }
            }
          };
          if (decoder && ok) {
            decoder.once("end", done).once("error", done);
            decoder.end();
          } else {
            decoder?.destroy();
            done();
          }
        };
      }

      // Forwarding comes first: a chunk is written to the client at once, and the checks and the record catch up in
      // slices between I/O callbacks. When they fall maxLag bytes behind, the upstream is paused (bounded memory).
      const queue: Buffer[] = [];
      let head = 0;
      let queued = 0;
      let scheduled = false;
      let ending: boolean | undefined;
      let pausedByClient = false;
      let pausedByLag = false;
      const pump = () => {
        scheduled = false;
        const t0 = performance.now();
        while (head < queue.length && !ex?.sse?.busy()) {
          const b = queue[head]!;
          queue[head++] = undefined as unknown as Buffer;
          queued -= b.length;
          feed?.(b);
          if (performance.now() - t0 > SLICE_MS) break;
        }
        if (head === queue.length) {
          queue.length = 0;
          head = 0;
        }
        if (pausedByLag && queued <= maxLag / 2) {
          pausedByLag = false;
          if (!pausedByClient) up.resume();
        }
        if (queued > 0) {
          if (!ex?.sse?.busy()) schedule(); // busy: the worker's acks call wake()
        } else if (ending !== undefined) endTee?.(ending);
      };
      const schedule = () => {
        if (!scheduled) {
          scheduled = true;
          setImmediate(pump);
        }
      };
      wake = schedule;
      const finishTee = (ok: boolean) => {
        if (ending !== undefined) return;
        ending = ok;
        schedule();
      };
      up.on("data", (chunk: Buffer) => {
        if (!res.write(chunk)) {
          pausedByClient = true;
          up.pause();
        }
        if (!feed) return;
        queue.push(chunk);
        queued += chunk.length;
        if (queued > maxLag && !pausedByLag) {
          pausedByLag = true;
          up.pause();
        }
        schedule();
      });
      res.on("drain", () => {
        pausedByClient = false;
        if (!pausedByLag) up.resume();
      });
      up.on("end", () => {
        if (settled) return;
        settled = true;
        res.end();
        finishTee(true);
      });
      up.on("close", () => {
        if (up.complete && !res.destroyed) return;
        // Upstream reset mid-body (or the client left): the client sees a reset, the record is incomplete.
        if (!settled) {
          settled = true;
          res.destroy();
        }
        finishTee(false);
      });
    });

    if (overflow) {
      for (const c of chunks) upReq.write(c);
      req.resume();
      req.pipe(upReq);
    } else upReq.end(body);
  }

  const server = http.createServer({ keepAliveTimeout: 5000, noDelay: true }, (req, res) => {
    req.on("error", () => res.destroy());
    handle(req, res).catch((e: unknown) => {
      log(`proxy internal error: ${(e as Error)?.message ?? String(e)}`);
      if (!res.headersSent) {
        const text = JSON.stringify(envelope(500, "openrouter-contract proxy internal error"));
        res.writeHead(500, { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) });
        res.end(text);
      } else res.destroy();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    baseUrl: url + basePath,
    report,
    stats: () => ({ ...counters, finished: report.summary().exchanges }),
    close() {
      return (closing ??= (async () => {
        server.close();
        server.closeIdleConnections();
        for (const s of sockets) s.destroy();
        // Cut exchanges finish on the next turns of the event loop; their records after the recorder's short drain.
        const deadline = Date.now() + 2000;
        while ((exchanges.size || recordsDue.size) && Date.now() < deadline) {
          await new Promise<void>((r) => {
            recordsSettled = r;
            setTimeout(r, 20); // not unref: this wait must keep the process alive
          });
        }
        agent.destroy();
        await checkWorker?.close();
        // The recorder may still be writing the records of exchanges the worker was holding.
        const recordsBy = Date.now() + 500;
        while (recordsDue.size && Date.now() < recordsBy) await new Promise<void>((r) => setTimeout(r, 20));
      })());
    },
  };
}
