// Node-only: the replay server. Answers requests from recorded exchanges (see match.ts for which one), writes the
// recorded response back (respond.ts), and checks each request and replayed answer against the contract on the side,
// so a recording that no longer conforms shows up as contract drift in the report.
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Socket } from "node:net";
import type { Contract } from "../conformance/contract";
import { checkExchange } from "../conformance/check";
import { type ErrorEnvelope, envelope } from "../conformance/envelope";
import { loadContract } from "../conformance/index";
import { REDACTED } from "../conformance/record";
import { Report } from "../conformance/report";
import type { ExchangeRecord, Mode, Violation } from "../conformance/types";
import { preview } from "../conformance/violations";
import { type Loaded, loadRecordings } from "./load";
import { type IncomingRequest, Matcher, type MatchOption, type Miss, parseMatch, routePath } from "./match";
import { type Playback, play } from "./respond";

export interface ReplayOptions {
  /** Exchange records to serve (e.g. parsed from a recorder's JSONL). */
  records?: ExchangeRecord[];
  /** Files and folders to read recordings from: JSONL exchange records, capture files, HAR files. */
  paths?: string[];
  /** What must match besides method and path (default "body"); see MatchOption. Text form: `model+messages`. */
  match?: MatchOption | string;
  /** Serve the recordings strictly in their order: request n must match recording n (cycling after the last). */
  sequence?: boolean;
  /** Delay in ms between the events of a replayed stream (default 0: as fast as the socket takes them). */
  pace?: number;
  /** Contract for the side checks (default: the bundled one); false = no checks. */
  contract?: Contract | false;
  /** tolerant (default): undocumented response fields are info; strict: errors. */
  mode?: Mode;
  /** Port on 127.0.0.1 (default 0: a free port). */
  port?: number;
  /** Largest request body read (default 64 MiB); a larger one gets a 413 envelope. */
  maxBodyBytes?: number;
  /** Findings to report (default: all). */
  keep?(v: Violation): boolean;
  /** Receives one line per finding and per unmatched request as they happen (default: nothing is printed). */
  log?(line: string): void;
  /** Called once an exchange is answered and checked, with the number of exchanges so far. */
  onExchange?(n: number): void;
}

export interface ReplayStats {
  /** Recordings loaded and available. */
  recordings: number;
  /** Input lines/files that were not usable recordings (not records, or no response recorded). */
  skipped: number;
  requests: number;
  matched: number;
  unmatched: number;
  /** Distinct recordings served at least once. */
  served: number;
  /** Exchanges with an error or warning finding (request or replayed answer). */
  withFindings: number;
}

export interface ReplayHandle {
  /** Base URL for clients, e.g. http://127.0.0.1:PORT/api/v1 (the bare paths answer too). */
  url: string;
  stats(): ReplayStats;
  /** The side checks, grouped like `openrouter-contract check` reports them. */
  report: Report;
  /** What could not be loaded, and why. */
  skipped: { where: string; reason: string }[];
  /** Serve every key (and the sequence) from its first recording again. */
  reset(): void;
  /** Stop listening, cut replays in flight, wait for their checks. Idempotent. */
  close(): Promise<void>;
}

const NO_MATCH = "NO_RECORDING_MATCHED";
/** Host names a request to a loopback server may carry (a DNS-rebinding page sends its own name instead). */
const LOOPBACK_HOST = /^(?:127(?:\.\d{1,3}){3}|\[::1\]|localhost)(?::\d+)?$/i;

function finding(id: string, v: Violation): string {
  const where = `${v.location ?? ""} ${v.instancePath || "(root)"}`;
  return `${id} ${v.severity.toUpperCase().padEnd(7)} ${v.check} ${where}: ${v.message.replace(/\s*\n\s*/g, " ")}`;
}

/** The 404 answer for a request no recording matches: names the closest recording and the first difference. */
export function missEnvelope(req: IncomingRequest, miss: Miss, match: MatchOption, sequence: boolean) {
  const d = miss.difference;
  const route = `${req.method.toUpperCase()} ${req.path}`;
  let message = sequence
    ? `Replay: ${route} does not match the next recording in sequence (match: ${label(match)})`
    : `Replay: no recording matches ${route} (match: ${label(match)})`;
  if (miss.closest) message += `; closest: ${miss.closest.id}`;
  if (d) {
    const at = d.where === "request" ? "method and path" : `body ${d.pointer || "(root)"}`;
    message += `; first difference at ${at}: expected ${show(d.expected)}, got ${show(d.actual)}`;
  }
  if (!miss.candidates) message += "; no recordings loaded";
  return envelope(404, message, {
    replay_error: NO_MATCH,
    match: label(match),
    ...(miss.closest ? { closest: miss.closest.id } : {}),
    ...(d ? { where: d.where, pointer: d.pointer, expected: preview(d.expected), actual: preview(d.actual) } : {}),
  });
}

const label = (m: MatchOption) => (Array.isArray(m) ? m.join("+") : m);
const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(preview(v, 80)));

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | "too_large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= limit) chunks.push(c);
    });
    req.on("end", () => resolve(size > limit ? "too_large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function parseBody(buf: Buffer): unknown {
  if (buf.length === 0) return undefined;
  const text = buf.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sendEnvelope(res: ServerResponse, env: ErrorEnvelope, extra: OutgoingHttpHeaders = {}): void {
  const text = JSON.stringify(env);
  res.writeHead(env.error.code, {
    ...extra,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/** The request as the side checks see it: what the client sent, the key redacted (never kept, logged or needed). */
function checkedRequest(req: IncomingMessage, incoming: IncomingRequest): ExchangeRecord["request"] {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
  if (headers.authorization !== undefined) headers.authorization = REDACTED;
  const url = `http://replay.invalid/api/v1${incoming.path}`;
  const request: ExchangeRecord["request"] = { method: incoming.method, url, headers };
  if (typeof incoming.body === "string") request.bodyText = incoming.body;
  else if (incoming.body !== undefined) request.body = incoming.body;
  return request;
}

/** An unmatched request as a finding: an error, so `--fail-on error` catches a missing recording. */
function unmatched(miss: Miss, message: string): Violation {
  const d = miss.difference;
  const instancePath = d?.where === "body" ? d.pointer : "";
  return { check: "replay_unmatched", severity: "error", instancePath, schemaPath: "", message, location: "request" };
}

function recordingsOf(opts: ReplayOptions): Loaded {
  const loaded = opts.paths?.length ? loadRecordings(opts.paths) : { recordings: [], skipped: [] };
  const given = (opts.records ?? []).map((record, i) => ({ id: record.id ?? `record-${i}`, index: i, record }));
  const more = loaded.recordings.map((r, i) => ({ ...r, index: given.length + i }));
  return { recordings: [...given, ...more], skipped: loaded.skipped };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      const addr = server.address();
      resolve(typeof addr === "object" && addr ? addr.port : 0);
    });
  });
}

/** Start a replay server on 127.0.0.1. Node-only; no network besides loopback; any bearer token is accepted. */
export async function createReplayServer(opts: ReplayOptions = {}): Promise<ReplayHandle> {
  const loaded = recordingsOf(opts);
  const recordings = loaded.recordings;
  const match = typeof opts.match === "string" ? parseMatch(opts.match) : (opts.match ?? "body");
  const matcher = new Matcher(recordings, match, !!opts.sequence);
  const contract = opts.contract === false ? undefined : (opts.contract ?? loadContract());
  const report = new Report();
  const log = opts.log ?? (() => {});
  const keep = opts.keep ?? (() => true);
  const maxBody = opts.maxBodyBytes ?? 64 << 20;
  const counters = { requests: 0, matched: 0, unmatched: 0, withFindings: 0, exchanges: 0 };
  const served = new Set<number>();
  const playing = new Set<Playback>();
  const checks = new Set<Promise<void>>();
  const sockets = new Set<Socket>();

  const check = (n: number, id: string, rec: ExchangeRecord, extra: Violation[]) => {
    const res = contract ? checkExchange(contract, rec, { mode: opts.mode ?? "tolerant" }) : { violations: [] };
    const vs = [...extra, ...res.violations].filter(keep);
    report.add(id, n, res.operation, vs);
    if (vs.some((v) => v.severity !== "info")) counters.withFindings++;
    for (const v of vs) if (v.severity !== "info") log(finding(`#${n} ${id}`, v));
    opts.onExchange?.(++counters.exchanges);
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (!LOOPBACK_HOST.test(String(req.headers.host ?? ""))) {
      // Recordings may hold private answers: a page on another site rebinding its name to 127.0.0.1 gets nothing.
      req.resume();
      const env = envelope(403, "Replay: only loopback host names are answered", { replay_error: "HOST_NOT_ALLOWED" });
      return sendEnvelope(res, env, { connection: "close" });
    }
    const n = ++counters.requests;
    report.lines = n;
    const body = await readBody(req, maxBody);
    if (body === "too_large") {
      const env = envelope(413, `Replay: request body over ${maxBody} bytes`, { replay_error: "PAYLOAD_TOO_LARGE" });
      return sendEnvelope(res, env, { connection: "close" });
    }
    const method = (req.method ?? "GET").toUpperCase();
    const incoming: IncomingRequest = { method, path: routePath(req.url ?? "/"), body: parseBody(body) };
    const request = checkedRequest(req, incoming);
    const taken = matcher.take(incoming);
    if ("miss" in taken) {
      counters.unmatched++;
      const env = missEnvelope(incoming, taken.miss, match, !!opts.sequence);
      sendEnvelope(res, env);
      return check(n, "(unmatched)", { v: 1, request }, [unmatched(taken.miss, env.error.message)]);
    }
    const { recording } = taken;
    counters.matched++;
    served.add(recording.index);
    const p = play(res, recording.record.response!, opts.pace ?? 0);
    playing.add(p);
    const done = p.done.then(() => {
      playing.delete(p);
      check(n, recording.id, { v: 1, id: recording.id, request, response: recording.record.response! }, []);
    });
    checks.add(done);
    await done;
    checks.delete(done);
  }

  const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
    req.on("error", () => res.destroy());
    handle(req, res).catch((e: unknown) => {
      log(`replay internal error: ${(e as Error)?.message ?? String(e)}`);
      if (!res.headersSent)
        sendEnvelope(res, envelope(500, `Replay internal error: ${(e as Error)?.message ?? String(e)}`));
      else res.destroy();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  const port = await listen(server, opts.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/api/v1`,
    report,
    skipped: loaded.skipped,
    reset: () => matcher.reset(),
    stats: () => ({
      recordings: recordings.length,
      skipped: loaded.skipped.length,
      requests: counters.requests,
      matched: counters.matched,
      unmatched: counters.unmatched,
      served: served.size,
      withFindings: counters.withFindings,
    }),
    close: () =>
      (closing ??= (async () => {
        for (const p of playing) p.cancel();
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
        await Promise.all([closed, ...checks]);
      })()),
  };
}
