import { createParser, type EventSourceMessage, type EventSourceParser, type ParseError } from "eventsource-parser";
import type { MediaSpec } from "../spec/operations";
import type { Contract } from "./contract";
import type { Mode, Violation } from "./types";
import { dedupe, preview } from "./violations";

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

/**
 * Incremental SSE conformance checker: feed text (any chunking), then call end(). Pure; no I/O.
 * Event numbering (`/events/<n>`) counts every dispatched event (not comments), starting at 0.
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
  private readonly finishes = new Map<number, number>();
  private usageAt: number[] = [];
  private totalBytes = 0;
  private ended = false;
  private overflowed = false;
  private taken = 0;

  constructor(
    private readonly contract: Contract,
    private readonly media: MediaSpec,
    private readonly opts: StreamCheckOptions = {},
  ) {
    this.parser = createParser({
      onEvent: (e) => this.onEvent(e),
      onComment: () => {}, // keep-alive comments (`: OPENROUTER PROCESSING`) are valid SSE and carry nothing
      onError: (err) => this.onParseError(err),
      maxBufferSize: opts.maxEventBytes ?? 16 * 1024 * 1024,
    } as Parameters<typeof createParser>[0]);
  }

  feed(text: string): void {
    if (!text) return;
    this.totalBytes += text.length;
    this.tail = (this.tail + text).slice(-4);
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
    const complete = this.opts.complete !== false;
    if (this.totalBytes > 0 && !endsClean) {
      this.push({
        check: "sse_not_truncated",
        severity: complete ? "warning" : "info",
        instancePath: "",
        schemaPath: "",
        expected: "stream ends with a blank line",
        actual: preview(this.tail),
        message: complete ? "stream does not end with a blank line (last event unterminated)" : "recording incomplete (complete: false); last event unterminated",
        location: "response.sse",
      });
    }
    if (this.doneAt < 0 && this.errorAt < 0) {
      if (complete) {
        this.push({
          check: "sse_done_terminator",
          severity: "error",
          instancePath: "",
          schemaPath: this.media.schemaPointer ?? "",
          expected: `data: ${this.media.terminator ?? "[DONE]"}`,
          actual: this.n === 0 ? "no events" : "stream ended without terminator",
          message: `missing \`data: ${this.media.terminator ?? "[DONE]"}\` terminator (${this.n} events)`,
          location: "response.sse",
        });
      } else {
        this.push({
          check: "sse_not_truncated",
          severity: "info",
          instancePath: "",
          schemaPath: "",
          message: `recording cut short (complete: false) after ${this.n} events, before the terminator`,
          location: "response.sse",
        });
      }
    }
    return dedupe(this.out);
  }

  private push(v: Violation) {
    if (this.out.length < 10_000) this.out.push(v);
  }

  private onParseError(err: ParseError) {
    const severe = err.type === "max-buffer-size-exceeded";
    if (severe) this.overflowed = true;
    this.push({
      check: "sse_framing",
      severity: severe ? "error" : "warning",
      instancePath: `/events/${this.n}`,
      schemaPath: "",
      actual: preview(err.line ?? err.field ?? ""),
      message: severe ? `SSE event exceeds the buffer limit (${this.opts.maxEventBytes ?? 16 * 1024 * 1024} bytes)` : `SSE framing: ${err.message}`,
      location: "response.sse",
    });
  }

  private onEvent(e: EventSourceMessage) {
    const n = this.n++;
    const loc = `response.sse[${n}]`;
    const term = this.media.terminator ?? "[DONE]";
    if (this.flushing) {
      // An event with no blank line after it: the stream was cut mid-event.
      this.push({
        check: "sse_not_truncated",
        severity: this.opts.complete === false ? "info" : "warning",
        instancePath: `/events/${n}`,
        schemaPath: "",
        actual: preview(e.data),
        message: `event ${n} is not terminated by a blank line`,
        location: loc,
      });
    }
    if (this.doneAt >= 0) {
      this.push({
        check: "sse_done_terminator",
        severity: "error",
        instancePath: `/events/${n}`,
        schemaPath: this.media.schemaPointer ?? "",
        expected: `nothing after data: ${term}`,
        actual: preview(e.data),
        message: e.data === term ? `duplicate \`${term}\` at event ${n} (first at event ${this.doneAt})` : `event ${n} after \`${term}\` (event ${this.doneAt})`,
        location: loc,
      });
      return;
    }
    if (e.data === term) {
      this.doneAt = n;
      return;
    }
    if (this.errorAt >= 0) {
      this.push({
        check: "sse_error_event",
        severity: "error",
        instancePath: `/events/${n}`,
        schemaPath: "",
        expected: "no events after an error chunk",
        actual: preview(e.data),
        message: `event ${n} after the error chunk at event ${this.errorAt}`,
        location: loc,
      });
      return;
    }
    if (e.event !== undefined && e.event !== "" && e.event !== "message") {
      this.push({
        check: "sse_framing",
        severity: "warning",
        instancePath: `/events/${n}/event`,
        schemaPath: "",
        actual: e.event,
        message: `event ${n} has an undocumented event name ${JSON.stringify(e.event)}`,
        location: loc,
      });
    }
    let data: unknown;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      this.push({
        check: "sse_data_is_json",
        severity: "error",
        instancePath: `/events/${n}/data`,
        schemaPath: "",
        expected: "JSON",
        actual: preview(e.data),
        message: `event ${n}: data is not JSON (${(err as Error).message})`,
        location: loc + ".data",
      });
      return;
    }
    const prefix = `/events/${n}/data`;
    if (this.media.chunkPointer) {
      const strict = this.opts.mode === "strict";
      const o = { check: "sse_chunk_schema", location: loc + ".data", instancePrefix: prefix };
      const vs = this.opts.undocumented === false ? this.contract.validate(this.media.chunkPointer, data, o) : this.contract.validateWithUndocumented(this.media.chunkPointer, data, o, strict ? "error" : "info");
      for (const v of vs) this.push({ ...v, message: `event ${n}: ${v.message}` });
    }
    if (!data || typeof data !== "object" || Array.isArray(data)) return;
    const d = data as Record<string, unknown>;
    if (d.error !== undefined && d.error !== null) {
      this.errorAt = n;
      if (typeof d.error !== "object" || Array.isArray(d.error)) {
        this.push({
          check: "sse_error_event",
          severity: "error",
          instancePath: prefix + "/error",
          schemaPath: "",
          expected: "object",
          actual: preview(d.error),
          message: `event ${n}: error must be an object`,
          location: loc + ".data",
        });
      }
    } else {
      // Content chunk after a usage chunk: usage was not in the final chunk.
      for (const u of this.usageAt) {
        this.push({
          check: "sse_usage_final",
          severity: "warning",
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
    for (const key of ["id", "model", "object"] as const) {
      const v = d[key];
      if (typeof v !== "string") continue;
      const first = this.seen[key];
      if (first === undefined) this.seen[key] = v;
      else if (first !== v) {
        this.push({
          check: "sse_chunk_consistency",
          severity: "error",
          instancePath: `${prefix}/${key}`,
          schemaPath: "",
          expected: first,
          actual: v,
          message: `event ${n}: ${key} ${JSON.stringify(v)} differs from earlier chunks (${JSON.stringify(first)})`,
          location: loc + ".data",
        });
      }
    }
    if (Array.isArray(d.choices)) {
      d.choices.forEach((c, i) => {
        if (!c || typeof c !== "object") return;
        const ch = c as Record<string, unknown>;
        const idx = typeof ch.index === "number" ? ch.index : i;
        if (ch.finish_reason !== null && ch.finish_reason !== undefined) {
          const prev = this.finishes.get(idx);
          if (prev !== undefined) {
            this.push({
              check: "sse_finish_reason",
              severity: "error",
              instancePath: `${prefix}/choices/${i}/finish_reason`,
              schemaPath: "",
              expected: "at most one non-null finish_reason per choice",
              actual: preview(ch.finish_reason),
              message: `event ${n}: choice ${idx} gets a second non-null finish_reason (first at event ${prev})`,
              location: loc + ".data",
            });
          } else this.finishes.set(idx, n);
        }
      });
    }
    if (d.usage !== undefined && d.usage !== null && d.error === undefined) this.usageAt.push(n);
  }
}

/** Check a complete SSE body (string) or a live stream of bytes. */
export function checkEventStream(contract: Contract, media: MediaSpec, input: string, opts?: StreamCheckOptions): Violation[];
export function checkEventStream(contract: Contract, media: MediaSpec, input: ReadableStream<Uint8Array>, opts?: StreamCheckOptions): Promise<Violation[]>;
export function checkEventStream(contract: Contract, media: MediaSpec, input: string | ReadableStream<Uint8Array>, opts: StreamCheckOptions = {}): Violation[] | Promise<Violation[]> {
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
