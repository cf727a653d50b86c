import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from "eventsource-parser";
import type { MediaSpec } from "../spec/operations";
import type { Contract } from "./contract";
import type { Mode, Severity, Violation } from "./types";
import { LineEndings } from "./sse-lines";
import { dedupe, preview, violation, type ViolationFields } from "./violations";

export interface StreamCheckOptions {
  mode?: Mode;
  /** false when the recording was cut short: a missing terminator is then info, not an error. */
  complete?: boolean;
  /** Report undocumented chunk fields (info in tolerant mode, error in strict). Default true. */
  undocumented?: boolean;
  /** Max bytes of a single pending SSE event (default 16 MiB). */
  maxEventBytes?: number;
}

/** Stream check ids (stable). */
export const SSE_CHECKS = [
  "sse_framing",
  "sse_data_is_json",
  "sse_chunk_schema",
  "sse_error_event",
  "sse_done_terminator",
  "sse_not_truncated",
  "sse_chunk_consistency",
  "sse_finish_reason",
  "sse_usage_final",
  "no_undocumented_fields",
] as const;

/** Findings kept per stream: a hostile stream cannot grow the list without end. */
const MAX_STREAM_FINDINGS = 10_000;
const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

/** One dispatched event, as the per-event checks see it (its location string is built only for a finding). */
class StreamEvent {
  constructor(
    /** Event number (`/events/<n>`). */
    readonly n: number,
    readonly raw: EventSourceMessage,
  ) {}

  /** `response.sse[<n>]`. */
  get loc(): string {
    return `response.sse[${this.n}]`;
  }
}

const CONSISTENT_KEYS = ["id", "model", "object"] as const;

/**
 * Incremental SSE conformance checker: feed text (any chunking), then call end(). Pure; no I/O.
 * Event numbering (`/events/<n>`) counts every dispatched event (not comments), starting at 0.
 * Each documented check id has one method below; all findings go through `report`.
 */
export class StreamChecker {
  private readonly out: Violation[] = [];
  private readonly parser: EventSourceParser;
  private n = 0;
  private doneAt = -1;
  private errorAt = -1;
  private flushing = false;
  private tail = "";
  private seen: { id?: unknown; model?: unknown; object?: unknown } = {};
  private readonly finishes = new Map<number, { at: number; value: unknown }>();
  private usageAt: number[] = [];
  private totalBytes = 0;
  private ended = false;
  private overflowed = false;
  private taken = 0;
  private readonly lines = new LineEndings();

  constructor(
    private readonly contract: Contract,
    private readonly media: MediaSpec,
    private readonly opts: StreamCheckOptions = {},
  ) {
    this.parser = createParser({
      onEvent: (e) => this.onEvent(e),
      onComment: () => {}, // keep-alive comments (`: OPENROUTER PROCESSING`) are valid SSE and carry nothing
      onError: (err) => this.sseFraming({ parseError: err }),
      maxBufferSize: opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES,
    } as Parameters<typeof createParser>[0]);
  }

  feed(chunk: string): void {
    const text = this.lines.feed(chunk); // the parser sees LF only
    if (!text) return;
    this.totalBytes += text.length;
    // Only the last bytes are kept (concatenating first would copy a large chunk whole).
    this.tail = text.length >= 4 ? text.slice(-4) : (this.tail + text).slice(-4);
    if (this.overflowed) return; // the parser stopped after exceeding its buffer limit (already reported)
    this.parser.feed(text);
  }

  /** Findings recorded since the previous call (for live reporting; end() still returns every finding). */
  takeNew(): Violation[] {
    const vs = this.out.slice(this.taken);
    this.taken = this.out.length;
    return vs;
  }

  end(): Violation[] {
    if (this.ended) return dedupe(this.out);
    this.ended = true;
    const endsClean = /(\r\n\r\n|\n\n|\r\r|\n\r\n|\r\n\n)$/.test(this.tail);
    this.flushing = true;
    // Complete a dangling line so the pending event is dispatched (and flagged) rather than silently dropped.
    if (!endsClean && this.totalBytes > 0 && !this.overflowed) this.parser.feed("\n\n");
    if (!this.overflowed) this.parser.reset({ consume: true });
    this.flushing = false;
    this.sseNotTruncated({ endsClean });
    this.sseDoneTerminator();
    return dedupe(this.out);
  }

  private report(check: (typeof SSE_CHECKS)[number], severity: Severity, f: ViolationFields) {
    this.keep(violation(check, severity, f));
  }

  private keep(v: Violation) {
    if (this.out.length < MAX_STREAM_FINDINGS) this.out.push(v);
  }

  private onEvent(raw: EventSourceMessage) {
    const n = this.n++;
    const ev = new StreamEvent(n, raw);
    // An event with no blank line after it: the stream was cut mid-event.
    if (this.flushing) this.sseNotTruncated({ event: ev });
    if (!this.sseDoneTerminator(ev)) return;
    if (!this.sseErrorEvent(ev)) return;
    this.sseFraming({ event: ev });
    const parsed = this.sseDataIsJson(ev);
    if (!parsed) return;
    const data = parsed.data;
    this.sseChunkSchema(ev, data);
    if (!data || typeof data !== "object" || Array.isArray(data)) return;
    const d = data as Record<string, unknown>;
    this.sseErrorEvent(ev, d);
    this.sseUsageFinal(ev, d);
    this.sseChunkConsistency(ev, d);
    this.sseFinishReason(ev, d);
  }

  /** `sse_framing`: parser errors, an oversized event, an undocumented `event:` name. */
  private sseFraming(at: { parseError: ParseError } | { event: StreamEvent }) {
    if ("parseError" in at) {
      const err = at.parseError;
      const severe = err.type === "max-buffer-size-exceeded";
      if (severe) this.overflowed = true;
      const limit = this.opts.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
      this.report("sse_framing", severe ? "error" : "warning", {
        instancePath: `/events/${this.n}`,
        schemaPath: "",
        actual: preview(err.line ?? err.field ?? ""),
        message: severe ? `SSE event exceeds the buffer limit (${limit} bytes)` : `SSE framing: ${err.message}`,
        location: "response.sse",
      });
      return;
    }
    const { n, raw } = at.event;
    if (raw.event !== undefined && raw.event !== "" && raw.event !== "message") {
      this.report("sse_framing", "warning", {
        instancePath: `/events/${n}/event`,
        schemaPath: "",
        actual: raw.event,
        message: `event ${n} has an undocumented event name ${JSON.stringify(raw.event)}`,
        location: at.event.loc,
      });
    }
  }

  /** `sse_data_is_json`: every data value but the terminator parses as JSON. Returns the parsed value, if any. */
  private sseDataIsJson(ev: StreamEvent): { data: unknown } | undefined {
    const { n, raw } = ev;
    try {
      return { data: JSON.parse(raw.data) };
    } catch (err) {
      this.report("sse_data_is_json", "error", {
        instancePath: `/events/${n}/data`,
        schemaPath: "",
        expected: "JSON",
        actual: preview(raw.data),
        message: `event ${n}: data is not JSON (${(err as Error).message})`,
        location: `${ev.loc}.data`,
      });
      return undefined;
    }
  }

  /** `sse_chunk_schema` (and `no_undocumented_fields`): each chunk validates against the chunk schema. */
  private sseChunkSchema(ev: StreamEvent, data: unknown) {
    const chunk = this.media.chunkPointer;
    if (!chunk) return;
    // A chunk that passes (nearly all) costs one precompiled verdict and builds nothing.
    if (this.contract.passes(chunk, data, this.opts.undocumented !== false)) return;
    const n = ev.n;
    const o = { check: "sse_chunk_schema", location: `${ev.loc}.data`, instancePrefix: `/events/${n}/data` };
    const undocumented = this.opts.mode === "strict" ? "error" : "info";
    const vs =
      this.opts.undocumented === false
        ? this.contract.validate(chunk, data, o)
        : this.contract.validateWithUndocumented(chunk, data, o, undocumented);
    for (const v of vs) this.keep({ ...v, message: `event ${n}: ${v.message}` });
  }

  /**
   * `sse_error_event`: without a chunk, nothing may follow an error chunk (returns false for such an event); with
   * the parsed chunk, a top-level `error` marks the error chunk and must be an object.
   */
  private sseErrorEvent(ev: StreamEvent, d?: Record<string, unknown>): boolean {
    const { n, raw } = ev;
    if (d === undefined) {
      if (this.errorAt < 0) return true;
      this.report("sse_error_event", "error", {
        instancePath: `/events/${n}`,
        schemaPath: "",
        expected: "no events after an error chunk",
        actual: preview(raw.data),
        message: `event ${n} after the error chunk at event ${this.errorAt}`,
        location: ev.loc,
      });
      return false;
    }
    if (d.error === undefined || d.error === null) return true;
    this.errorAt = n;
    if (typeof d.error !== "object" || Array.isArray(d.error)) {
      this.report("sse_error_event", "error", {
        instancePath: `/events/${n}/data/error`,
        schemaPath: "",
        expected: "object",
        actual: preview(d.error),
        message: `event ${n}: error must be an object`,
        location: `${ev.loc}.data`,
      });
    }
    return true;
  }

  /**
   * `sse_done_terminator`: the terminator comes once and last. Per event: records it, flags events after it and
   * returns false when the event is the terminator or follows it. At the end (no event): flags a missing one.
   */
  private sseDoneTerminator(ev?: StreamEvent): boolean {
    const term = this.media.terminator ?? "[DONE]";
    const schemaPath = this.media.schemaPointer ?? "";
    if (!ev) {
      // A stream that ended in an error chunk needs no terminator; a cut recording is sse_not_truncated's.
      if (this.doneAt >= 0 || this.errorAt >= 0 || this.opts.complete === false) return true;
      this.report("sse_done_terminator", "error", {
        instancePath: "",
        schemaPath,
        expected: `data: ${term}`,
        actual: this.n === 0 ? "no events" : "stream ended without terminator",
        message: `missing \`data: ${term}\` terminator (${this.n} events)`,
        location: "response.sse",
      });
      return true;
    }
    const { n, raw } = ev;
    if (this.doneAt >= 0) {
      this.report("sse_done_terminator", "error", {
        instancePath: `/events/${n}`,
        schemaPath,
        expected: `nothing after data: ${term}`,
        actual: preview(raw.data),
        message:
          raw.data === term
            ? `duplicate \`${term}\` at event ${n} (first at event ${this.doneAt})`
            : `event ${n} after \`${term}\` (event ${this.doneAt})`,
        location: ev.loc,
      });
      return false;
    }
    if (raw.data === term) {
      this.doneAt = n;
      return false;
    }
    return true;
  }

  /**
   * `sse_not_truncated`: the body ends with a blank line, its last event is terminated, and a recording cut short
   * (`complete: false`) says so (info).
   */
  private sseNotTruncated(at: { event: StreamEvent } | { endsClean: boolean }) {
    const complete = this.opts.complete !== false;
    if ("event" in at) {
      const { n, raw } = at.event;
      this.report("sse_not_truncated", complete ? "warning" : "info", {
        instancePath: `/events/${n}`,
        schemaPath: "",
        actual: preview(raw.data),
        message: `event ${n} is not terminated by a blank line`,
        location: at.event.loc,
      });
      return;
    }
    if (this.totalBytes > 0 && !at.endsClean) {
      this.report("sse_not_truncated", complete ? "warning" : "info", {
        instancePath: "",
        schemaPath: "",
        expected: "stream ends with a blank line",
        actual: preview(this.tail),
        message: complete
          ? "stream does not end with a blank line (last event unterminated)"
          : "recording incomplete (complete: false); last event unterminated",
        location: "response.sse",
      });
    }
    if (!complete && this.doneAt < 0 && this.errorAt < 0) {
      this.report("sse_not_truncated", "info", {
        instancePath: "",
        schemaPath: "",
        message: `recording cut short (complete: false) after ${this.n} events, before the terminator`,
        location: "response.sse",
      });
    }
  }

  /** `sse_usage_final`: `usage` only on the final chunk (a content chunk after a usage chunk flags the latter). */
  private sseUsageFinal({ n }: StreamEvent, d: Record<string, unknown>) {
    if (d.error === undefined || d.error === null) {
      for (const u of this.usageAt) {
        this.report("sse_usage_final", "warning", {
          instancePath: `/events/${u}/data/usage`,
          schemaPath: "",
          expected: "usage only in the final chunk",
          actual: `chunk at event ${n} follows`,
          message: `event ${u}: usage appears before the final chunk (event ${n} follows)`,
          location: `response.sse[${u}].data`,
        });
      }
      this.usageAt = [];
    }
    if (d.usage !== undefined && d.usage !== null && d.error === undefined) this.usageAt.push(n);
  }

  /** `sse_chunk_consistency`: the same `id`, `model` and `object` on every chunk. */
  private sseChunkConsistency(ev: StreamEvent, d: Record<string, unknown>) {
    const n = ev.n;
    for (const key of CONSISTENT_KEYS) {
      const v = d[key];
      if (typeof v !== "string") continue;
      const first = this.seen[key];
      if (first === undefined) this.seen[key] = v;
      else if (first !== v) {
        this.report("sse_chunk_consistency", "error", {
          instancePath: `/events/${n}/data/${key}`,
          schemaPath: "",
          expected: first,
          actual: v,
          message: `event ${n}: ${key} ${JSON.stringify(v)} differs from earlier chunks (${JSON.stringify(first)})`,
          location: `${ev.loc}.data`,
        });
      }
    }
  }

  /**
   * `sse_finish_reason`: one finish reason per choice index. Real streams repeat it: OpenRouter sends the same value
   * again on the usage chunk after the finish chunk (53 of 93 recorded streams), once on an empty chunk before an
   * error chunk; a later chunk that repeats the same value is fine, a different value is not.
   */
  private sseFinishReason(ev: StreamEvent, d: Record<string, unknown>) {
    const choices = d.choices;
    if (!Array.isArray(choices)) return;
    const n = ev.n;
    for (let i = 0; i < choices.length; i++) {
      const c: unknown = choices[i];
      if (!c || typeof c !== "object") continue;
      const ch = c as Record<string, unknown>;
      const idx = typeof ch.index === "number" ? ch.index : i;
      if (ch.finish_reason === null || ch.finish_reason === undefined) continue;
      const prev = this.finishes.get(idx);
      if (prev === undefined) {
        this.finishes.set(idx, { at: n, value: ch.finish_reason });
        continue;
      }
      if (prev.value === ch.finish_reason) continue;
      this.report("sse_finish_reason", "error", {
        instancePath: `/events/${n}/data/choices/${i}/finish_reason`,
        schemaPath: "",
        expected: preview(prev.value),
        actual: preview(ch.finish_reason),
        message:
          `event ${n}: choice ${idx} gets finish_reason ${JSON.stringify(preview(ch.finish_reason))} after ` +
          `${JSON.stringify(preview(prev.value))} at event ${prev.at} (a repeat must be the same value)`,
        location: `${ev.loc}.data`,
      });
    }
  }
}

type SseInput = string | ReadableStream<Uint8Array>;

/** Check a complete SSE body (string) or a live stream of bytes. */
export function checkEventStream(c: Contract, m: MediaSpec, input: string, opts?: StreamCheckOptions): Violation[];
export function checkEventStream(
  c: Contract,
  m: MediaSpec,
  input: ReadableStream<Uint8Array>,
  opts?: StreamCheckOptions,
): Promise<Violation[]>;
export function checkEventStream(
  c: Contract,
  m: MediaSpec,
  input: SseInput,
  opts?: StreamCheckOptions,
): Violation[] | Promise<Violation[]>;
export function checkEventStream(
  contract: Contract,
  media: MediaSpec,
  input: SseInput,
  opts: StreamCheckOptions = {},
): Violation[] | Promise<Violation[]> {
  const c = new StreamChecker(contract, media, opts);
  if (typeof input === "string") {
    c.feed(input);
    return c.end();
  }
  return (async () => {
    const reader = input.getReader();
    const dec = new TextDecoder();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      c.feed(dec.decode(value, { stream: true }));
    }
    c.feed(dec.decode());
    return c.end();
  })();
}
