// Node-only: the validating, recording reverse proxy behind `openrouter-contract proxy`.
// Any client (Python, Go, curl, ...) points its base URL at it. Each exchange is forwarded to the upstream unchanged:
// the request body is read (up to maxBodyBytes) so it can be checked, and the response is written to the client
// chunk by chunk as it arrives. A copy of each chunk is checked afterwards, between I/O callbacks, with the
// conformance library (SSE: an incremental StreamChecker, so findings appear while the stream runs) and, with
// `record`, recorded (the recorder's format and redaction). The stages have their own modules: accept (target,
// secrets, request checks), upstream (forward, and the 502s), pump (forwarding and the lag bound), copy (checks and
// record of the body), record, report (findings, scrubbed of the exchange's secrets). This file wires them.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { randomBytes } from "node:crypto";
import type { Contract } from "../../conformance/contract";
import { Report } from "../../conformance/report";
import type { Mode, Violation } from "../../conformance/types";
import { CheckWorker } from "./check-worker";
import { blocksRequest, createBodyExplainer, envelope, rejectionEnvelope } from "../../conformance/envelope";
import { checkRequest, requestSecrets, upstreamTarget } from "./accept";
import { responseCopy } from "./copy";
import { displayUrl, forwardable, readBody } from "./forward";
import { Pump } from "./pump";
import { RecordStage, type Recording, type RecordSink } from "./record";
import { type Exchange, ReportStage } from "./report";
import { bodyForCheck, duplicateKey, type Refusal, respelledPath } from "./enforce";
import { answer, sendUpstream, writeHead } from "./upstream";

export { formatFinding } from "./report";

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
  /**
   * Or: a stream the records are written to in pieces, one record after the other, with backpressure (the CLI's
   * --record file): a record is never built as one string. Takes precedence over `record`.
   */
  recordStream?: { write(piece: string): boolean; once(event: "drain", f: () => void): unknown };
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
  /** Time the upstream has to send the response head (default 600 s; 0: no limit). Then: 502. */
  upstreamTimeoutMs?: number;
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

const BODYLESS = /^(GET|HEAD|DELETE|OPTIONS)$/i;

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
  const upstreamTimeout = opts.upstreamTimeoutMs ?? 600_000;
  const log = opts.log ?? (() => undefined);
  const report = new Report();
  const stage = new ReportStage({
    contract,
    mode,
    report,
    keep: opts.keep ?? (() => true),
    log,
    showInfo: !!opts.showInfo,
  });
  const runId = randomBytes(3).toString("hex");
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
  const sink: RecordSink | undefined = opts.recordStream
    ? opts.recordStream
    : opts.record
      ? { line: opts.record }
      : undefined;
  const records = sink ? new RecordStage({ sink, maxBody, redact: opts.redact }) : undefined;

  /** --enforce: the request is answered here (400, 413, 415 in OpenRouter's envelope), not forwarded. */
  function refuse(res: ServerResponse, id: string, ex: Exchange | undefined, rec: Recording | undefined, r: Refusal) {
    counters.enforced++;
    const env = envelope(r.status, r.message, r.violations ? { violations: r.violations } : undefined);
    const text = JSON.stringify(env);
    const out = {
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(text)),
      "x-contract-proxy": "rejected",
    };
    res.writeHead(r.status, out);
    res.end(text);
    if (ex) stage.finalize(ex, { status: r.status, headers: out, body: env, complete: true });
    else log(`${id} refused (--enforce): ${r.message}`);
    rec?.chunk(Buffer.from(text));
    rec?.response(r.status, Object.entries(out).flat(), true);
  }

  /** --enforce: why this checked request must not be forwarded (its findings, or duplicate keys), if it must not. */
  function refusal(ex: Exchange, a: ReturnType<typeof checkRequest>, text: string): Refusal | undefined {
    if (!opts.enforce) return undefined;
    const blocking = ex.findings.filter(blocksRequest);
    if (blocking.length && a.checked.operation) {
      explain ??= createBodyExplainer(contract);
      const op = contract.match(ex.request.method, ex.request.url).op!;
      const env = rejectionEnvelope(explain, op.method, op.path, a.parsed, a.parseError, blocking);
      return {
        status: 400,
        message: env.error.message,
        violations: env.error.metadata?.violations as Refusal["violations"],
      };
    }
    const dup = a.parsed !== undefined && typeof a.parsed === "object" ? duplicateKey(text) : undefined;
    if (dup === undefined) return undefined;
    const violations = [
      { pointer: dup, message: "appears twice in one object", code: "duplicate_key", location: "body" as const },
    ];
    return { status: 400, message: `Invalid request: ${dup || "body"} appears twice in one object`, violations };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const seq = ++counters.exchanges;
    const id = `${runId}-${seq}`;
    const method = req.method ?? "GET";
    const target = upstreamTarget(upstream, basePath, req.url ?? "/");
    if (!target) {
      req.resume();
      log(`${id} refused: the request path leaves the upstream's base path ${basePath}`);
      answer(res, 400, `openrouter-contract proxy: the path leaves the upstream base path ${basePath}`, "rejected");
      return;
    }
    const documented = opts.enforce ? respelledPath(contract, method, target) : undefined;
    if (documented) {
      req.resume();
      const message = `the path ${target.pathname} is not spelled as documented (${documented}): not checked`;
      return refuse(res, id, undefined, undefined, { status: 400, message });
    }
    const headers = forwardable(req.rawHeaders);

    // Read the request body for checking, up to maxBody; a larger body is streamed through unchecked.
    const { chunks, size, overflow, ok } = await readBody(req, maxBody);
    if (!ok || res.destroyed) return;
    if (overflow && opts.enforce) {
      req.resume();
      const message = `request body over ${maxBody} bytes cannot be checked (--max-body-bytes)`;
      return refuse(res, id, undefined, undefined, { status: 413, message });
    }
    const upHeaders = [...headers, "Host", target.host];
    let body: Buffer | undefined;
    let checkBody: Buffer | undefined;
    if (overflow) {
      counters.unchecked++;
      log(`${id} request body over ${maxBody} bytes: forwarded unchecked and not recorded (--max-body-bytes)`);
    } else {
      body = Buffer.concat(chunks, size);
      const hasLength = headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === "content-length");
      if (!hasLength && (size > 0 || !BODYLESS.test(method))) upHeaders.push("Content-Length", String(size));
      const encoding = req.headers["content-encoding"];
      checkBody = bodyForCheck(body, encoding, maxBody);
      if (!checkBody) {
        const message = `request body in content-encoding ${encoding} cannot be decoded for checking`;
        if (opts.enforce) return refuse(res, id, undefined, undefined, { status: 415, message });
        counters.unchecked++;
        log(`${id} ${message}: forwarded unchecked and not recorded`);
      }
    }

    // Request checks, before anything is forwarded.
    let ex: Exchange | undefined;
    let rec: Recording | undefined;
    if (checkBody) {
      const secrets = requestSecrets(req.rawHeaders, target.href, opts.redact ?? []);
      const at = { id, seq, method, url: target.href, headers, body: checkBody, secrets };
      const a = checkRequest(contract, mode, at);
      ex = a.ex;
      stage.open.set(id, ex);
      stage.add(ex, a.checked.violations);
      const noBody = /^(GET|HEAD)$/i.test(method) || checkBody.length === 0;
      rec = records?.start(id, method, target.href, headers, noBody ? undefined : checkBody);
      const r = refusal(ex, a, checkBody.toString("utf8"));
      if (r) return refuse(res, id, ex, rec, r);
    }
    forward(req, res, { id, method, target, upHeaders, ex, rec, overflow, chunks, body });
  }

  interface Forwarding {
    id: string;
    method: string;
    target: URL;
    upHeaders: string[];
    ex?: Exchange;
    rec?: Recording;
    overflow: boolean;
    chunks: Buffer[];
    body?: Buffer;
  }

  function forward(req: IncomingMessage, res: ServerResponse, f: Forwarding) {
    const { ex, rec } = f;
    let settled = false;
    let responded = false;
    const fail = (reason: string) => {
      if (settled) return;
      settled = true;
      counters.upstreamErrors++;
      // Nothing (usable) came back: the client gets a 502 naming the cause.
      answer(res, 502, `openrouter-contract proxy: upstream ${upstream.host} failed: ${reason}`, "upstream-error");
      if (ex) stage.finalize(ex, undefined, `upstream error: ${reason}`);
      else log(`${f.id} upstream error: ${reason}`);
      rec?.error(`upstream ${reason}`);
    };
    const init = { method: f.method, headers: f.upHeaders, agent };
    const upReq = sendUpstream(mod, f.target, init, upstreamTimeout, {
      fail,
      response(up) {
        responded = true;
        const bad = writeHead(res, up);
        if (bad) {
          up.resume();
          upReq.destroy();
          return fail(bad);
        }
        const copy = ex
          ? responseCopy(
              { ex, rec, stage, contract, mode, maxBody, maxLag, method: f.method, url: f.target.href, remote },
              up,
            )
          : undefined;
        const pump = new Pump({ up, res, maxLag, ...copy });
        copy?.bindWake(pump.wake);
        up.on("end", () => {
          if (settled) return;
          settled = true;
          pump.flush(); // the last turn's bytes, if 'end' came within it
          res.end();
          pump.finish(true);
        });
        up.on("close", () => {
          if (up.complete && !res.destroyed) return;
          // Upstream reset mid-body (or the client left): the client sees a reset, the record is incomplete.
          if (!settled) {
            settled = true;
            res.destroy();
          }
          pump.finish(false);
        });
      },
    });
    res.on("close", () => {
      if (res.writableFinished || settled) return;
      settled = true;
      if (closing) counters.cutAtStop++;
      else counters.clientAborts++;
      upReq.destroy(); // the upstream sees the abort (its socket closes)
      if (!responded && ex) {
        // No response yet: nothing else will end this exchange.
        stage.finalize(ex, undefined, "client closed the connection before the response");
        rec?.error("client closed the connection before the response");
      }
    });
    if (f.overflow) {
      for (const c of f.chunks) upReq.write(c);
      req.resume();
      req.pipe(upReq);
    } else upReq.end(f.body);
  }

  const server = http.createServer({ keepAliveTimeout: 5000, noDelay: true, highWaterMark: 128 * 1024 }, (req, res) => {
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
  const pendingWork = () => stage.open.size + (records?.due.size ?? 0);
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
        // Cut exchanges finish on the next turns of the event loop; their records once written.
        const deadline = Date.now() + 2000;
        while (stage.open.size && Date.now() < deadline) await new Promise<void>((r) => setTimeout(r, 20));
        agent.destroy();
        await checkWorker?.close();
        // The records of exchanges the worker was holding are written after it stopped.
        const recordsBy = Date.now() + 2000;
        while (pendingWork() && Date.now() < recordsBy) await new Promise<void>((r) => setTimeout(r, 20));
      })());
    },
  };
}
