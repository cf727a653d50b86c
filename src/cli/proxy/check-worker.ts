// Node-only: one worker thread for the stream checks of every exchange, so forwarding never waits for them. The
// worker loads this module again (from source through tsx, or the bundled bin dist/cli.js, whose entry runs the CLI
// only on the main thread); finding its mark in workerData, it serves checks instead.
import { readlinkSync } from "node:fs";
import { createRequire } from "node:module";
import { setPriority } from "node:os";
import { pathToFileURL } from "node:url";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { bundledSpec } from "../../spec/bundle";
import { findMedia, findResponse } from "../../spec/operations";
import { Contract } from "../../conformance/contract";
import { StreamChecker, type StreamCheckOptions } from "../../conformance/sse";
import type { Mode, Violation } from "../../conformance/types";
import type { SseChecks } from "./stream-checks";
import { Utf8Stream } from "./utf8";

const WORKER_MARK = "openrouterContractProxyChecks";
/** Bytes of copy sent to the worker in one message at most. */
const BATCH_BYTES = 64 * 1024;
/** Niceness of the check thread (Linux), above the process's own 0: checks yield the CPU to forwarding. */
const CHECK_THREAD_NICE = 10;
const WORKER_BOOT = `
const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.url);
})().catch((e) => { throw e; });
`;

interface WorkerMsg {
  t: "ready" | "live" | "done";
  id: string;
  n?: number;
  vs: Violation[];
  all?: Violation[];
}

/** Worker side: one Contract, one StreamChecker per open exchange; replies with acks carrying new findings. */
function serveChecks(): void {
  const conf = (workerData as Record<string, { spec?: unknown; formats: boolean; mode: Mode }>)[WORKER_MARK]!;
  // The bundled spec is not sent (a clone is another object): this thread's own copy keeps its precompiled verdicts.
  const contract = new Contract(conf.spec ?? bundledSpec, { formats: conf.formats });
  yieldToForwarding();
  const open = new Map<string, { c: StreamChecker; o: StreamCheckOptions; td: Utf8Stream }>();
  parentPort!.on(
    "message",
    (m: {
      t: string;
      id: string;
      method: string;
      url: string;
      status: number;
      ct: string;
      b: Uint8Array;
      complete: boolean;
    }) => {
      if (m.t === "open") {
        const op = contract.match(m.method, m.url).op;
        const media = op ? findMedia(findResponse(op, m.status)?.content ?? [], m.ct) : undefined;
        const o: StreamCheckOptions = { mode: conf.mode };
        if (media) open.set(m.id, { c: new StreamChecker(contract, media, o), o, td: new Utf8Stream() });
      } else if (m.t === "data") {
        const s = open.get(m.id);
        if (s) s.c.feed(s.td.decode(m.b));
        parentPort!.postMessage({
          t: "live",
          id: m.id,
          n: m.b.byteLength,
          vs: s ? s.c.takeNew() : [],
        } satisfies WorkerMsg);
      } else if (m.t === "end") {
        const s = open.get(m.id);
        open.delete(m.id);
        if (!s) return void parentPort!.postMessage({ t: "done", id: m.id, vs: [], all: [] } satisfies WorkerMsg);
        s.c.feed(s.td.end());
        s.o.complete = m.complete;
        const all = s.c.end();
        parentPort!.postMessage({ t: "done", id: m.id, vs: s.c.takeNew(), all } satisfies WorkerMsg);
      }
    },
  );
  // Load (bundled spec: precompiled verdicts) or compile the chunk validators now, so the first stream's findings
  // are not held up by it. With precompiled verdicts nothing is compiled: that is for failing chunks only.
  const precompiled = conf.spec === undefined && conf.formats;
  for (const op of contract.operations) {
    for (const r of op.responses) {
      for (const media of r.content) {
        if (media.kind !== "sse" || !media.chunkPointer) continue;
        if (precompiled) contract.passes(media.chunkPointer, {}, true);
        else contract.validateWithUndocumented(media.chunkPointer, {}, { check: "warmup", location: "" }, "info");
      }
    }
  }
  parentPort!.postMessage({ t: "ready", id: "", vs: [] } satisfies WorkerMsg);
}
/**
 * Linux: this thread runs at a lower priority than the proxy's main thread, so on a busy machine the forwarding (and
 * the client reading it) gets the CPU first and the checks use what is left; they lag behind, within maxLag. A thread
 * id is a pid to setpriority(2) on Linux; elsewhere (no /proc/thread-self) nothing changes.
 */
function yieldToForwarding(): void {
  try {
    setPriority(Number(readlinkSync("/proc/thread-self").split("/").pop()), CHECK_THREAD_NICE);
  } catch {
    // not Linux, or not allowed: same priority as the forwarding
  }
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[WORKER_MARK]) serveChecks();

/** One worker thread for every exchange's stream checks: forwarding never waits for them. */
export class CheckWorker {
  private readonly worker: Worker;
  private readonly live = new Map<
    string,
    { onLive(vs: Violation[], n: number): void; onDone(all: Violation[], fresh: Violation[]): void }
  >();
  failed: Error | undefined;
  private closing = false;

  constructor(spec: unknown, formats: boolean, mode: Mode) {
    const url = import.meta.url;
    // From source (tests, tsx) the worker needs tsx to load TypeScript; the built bin is plain JavaScript.
    const tsx = url.endsWith(".ts")
      ? pathToFileURL(
          createRequire(url)
            .resolve("tsx/esm/api")
            .replace(/\.cjs$/, ".mjs"),
        ).href
      : undefined;
    this.worker = new Worker(WORKER_BOOT, {
      eval: true,
      workerData: { url, tsx, [WORKER_MARK]: { spec: spec === bundledSpec ? undefined : spec, formats, mode } },
    });
    this.worker.unref();
    this.worker.on("message", (m: WorkerMsg) => {
      if (m.t === "ready") return;
      const h = this.live.get(m.id);
      if (!h) return;
      if (m.t === "live") h.onLive(m.vs, m.n ?? 0);
      else {
        this.live.delete(m.id);
        h.onDone(m.all ?? [], m.vs);
      }
    });
    this.worker.on("error", (e) => this.fail(e));
    this.worker.on("exit", () => this.fail(new Error("check worker exited")));
  }

  /** Exchanges still open lose their remaining stream checks; `onFail` says so once. */
  onFail: (e: Error, open: number) => void = () => undefined;

  private fail(e: Error) {
    if (this.failed || this.closing) return;
    this.failed = e;
    this.onFail(e, this.live.size);
    for (const h of this.live.values()) h.onDone([], []);
    this.live.clear();
  }

  checks(
    id: string,
    method: string,
    url: string,
    status: number,
    ct: string,
    maxLag: number,
    live: (vs: Violation[]) => void,
    wake: () => void,
  ): SseChecks {
    let inflight = 0;
    let onDone: ((all: Violation[], fresh: Violation[]) => void) | undefined;
    let result: [Violation[], Violation[]] | undefined;
    this.live.set(id, {
      onLive: (vs, n) => {
        inflight -= n;
        live(vs);
        // Every ack at or under half the bound wakes the pump (one ack rarely crosses from above maxLag to half).
        if (inflight <= maxLag / 2) wake();
      },
      onDone: (all, fresh) => {
        if (onDone) onDone(all, fresh);
        else result = [all, fresh];
      },
    });
    this.worker.postMessage({ t: "open", id, method, url, status, ct });
    // The copies of one turn of the event loop go as one message, in a buffer of their own that is transferred, not
    // cloned: one message and one ack per turn instead of one per upstream chunk. The pump's own copy of a turn is
    // transferred as it is; other pieces (decoded bytes, a recorded body's) are copied into one buffer first.
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let queued = false;
    const flush = () => {
      queued = false;
      if (pendingBytes === 0) return;
      const b = new Uint8Array(Buffer.allocUnsafeSlow(pendingBytes).buffer, 0, pendingBytes); // filled below
      let at = 0;
      for (const p of pending) {
        b.set(p, at);
        at += p.length;
      }
      pending = [];
      pendingBytes = 0;
      this.worker.postMessage({ t: "data", id, b }, [b.buffer]);
    };
    return {
      feed: (b, spare) => {
        inflight += b.length;
        const own = b.buffer;
        if (spare && own instanceof ArrayBuffer && b.byteOffset === 0 && b.byteLength === own.byteLength) {
          // A buffer of its own that nothing else holds (a turn's copy, already forwarded): sent as it is.
          flush();
          return void this.worker.postMessage({ t: "data", id, b: new Uint8Array(own) }, [own]);
        }
        pending.push(b);
        pendingBytes += b.length;
        if (pendingBytes >= BATCH_BYTES) flush();
        else if (!queued) {
          queued = true;
          queueMicrotask(flush);
        }
      },
      busy: () => inflight > maxLag,
      end: (complete, done) => {
        flush();
        onDone = done;
        if (result) return void done(...result);
        if (this.failed) return void done([], []);
        this.worker.postMessage({ t: "end", id, complete });
      },
    };
  }

  onStop: (open: number) => void = () => undefined;

  /** Streams still being checked are ended without their remaining checks (onStop says how many). */
  close(): Promise<number> {
    this.closing = true;
    if (this.live.size) this.onStop(this.live.size);
    for (const h of this.live.values()) h.onDone([], []);
    this.live.clear();
    return this.worker.terminate();
  }
}
