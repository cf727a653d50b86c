// The record stage of the proxy: one exchange record per exchange, in the recorder's format and with its redaction
// (src/conformance/record.ts). The request part is redacted when the request arrives; the response body is kept as
// the decoded Buffers it arrived in (at most maxBody bytes) and, when the exchange ends, written to the sink in
// pieces, one record at a time: no record is built as one big string, so an exchange costs about maxBody bytes.
import {
  bodyFields,
  redactHeaders,
  redactText,
  redactUrl,
  secretHeaderValues,
  secretQueryValues,
} from "../../conformance/record";
import type { ExchangeRecord } from "../../conformance/types";
import { toHeaders } from "./forward";

/** Where records go: whole lines, or a stream that takes them in pieces (with backpressure). */
export type RecordSink =
  | { line(text: string): void }
  | { write(piece: string): boolean; once(event: "drain", f: () => void): unknown };

/** Characters of body text per piece written (at most PIECE + SLICE before JSON escaping). */
const PIECE = 64 * 1024;
const SLICE = 16 * 1024;

export interface RecordStageOptions {
  sink: RecordSink;
  /** Response bytes kept per exchange (the rest: complete false). */
  maxBody: number;
  /** Extra header and query names, and top-level request JSON keys, to redact. */
  redact?: string[];
}

/** One exchange being recorded. */
export interface Recording {
  /** Decoded response bytes, in order. */
  chunk(b: Buffer): void;
  /** The response is over (complete: the body ended cleanly and was decoded whole). */
  response(status: number, rawHeaders: string[], complete: boolean): void;
  /** No response: the record carries the error instead. */
  error(message: string): void;
}

export class RecordStage {
  private readonly names: string[];
  private readonly secretKeys: Set<string>;
  /** Records still to be written, by id. */
  readonly due = new Set<string>();
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly o: RecordStageOptions) {
    this.names = (o.redact ?? []).map((s) => s.toLowerCase());
    this.secretKeys = new Set(this.names);
  }

  /** Start a record: the request is redacted now (its secrets are also removed from the response later). */
  start(id: string, method: string, url: string, headers: string[], body: Buffer | undefined): Recording {
    const h = toHeaders(headers);
    const values = [...secretHeaderValues(h, this.names), ...secretQueryValues(url, this.names)];
    const red = redactHeaders(h, { names: this.names, values });
    const text = body?.length ? body.toString("utf8") : undefined;
    const request: ExchangeRecord["request"] = {
      method,
      url: redactUrl(url, { names: this.names, values }),
      headers: red,
      ...bodyFields(text, red["content-type"] ?? "", this.secretKeys, values),
    };
    const ts = new Date().toISOString();
    const head = `{"v":1,"id":${JSON.stringify(id)},"ts":${JSON.stringify(ts)},"request":${JSON.stringify(request)}`;
    this.due.add(id);
    const chunks: Buffer[] = [];
    let kept = 0;
    let cut = false;
    let ended = false;
    return {
      chunk: (b) => {
        if (cut || ended) return;
        const room = this.o.maxBody - kept;
        if (b.length > room) cut = true; // the first maxBody bytes are kept: complete false
        const part = b.length > room ? b.subarray(0, room) : b;
        if (part.length) chunks.push(part);
        kept += part.length;
      },
      response: (status, rawHeaders, complete) => {
        if (ended) return;
        ended = true;
        const headers = redactHeaders(toHeaders(rawHeaders), { names: this.names, values });
        const whole = complete && !cut;
        const res = `,"response":{"status":${status},"headers":${JSON.stringify(headers)},"complete":${whole}`;
        this.enqueue(id, () => this.pieces(head + res, chunks.splice(0), headers["content-type"] ?? "", whole, values));
      },
      error: (message) => {
        if (ended) return;
        ended = true;
        const err = `${head},"error":${JSON.stringify(redactText(message, values))}}\n`;
        this.enqueue(id, () => [err][Symbol.iterator]());
      },
    };
  }

  /** Resolves once every record started so far is written. */
  flushed(): Promise<void> {
    return this.writing;
  }

  /** One record at a time, so the pieces of two records never interleave. */
  private enqueue(id: string, pieces: () => Iterator<string>) {
    this.writing = this.writing.then(async () => {
      try {
        await this.write(pieces());
      } catch {
        /* a failing sink never affects traffic */
      }
      this.due.delete(id);
    });
  }

  private async write(it: Iterator<string>) {
    const sink = this.o.sink;
    if ("line" in sink) {
      const all: string[] = [];
      for (let r = it.next(); !r.done; r = it.next()) all.push(r.value);
      sink.line(all.join(""));
      return;
    }
    for (let r = it.next(); !r.done; r = it.next()) {
      if (!sink.write(r.value)) await new Promise<void>((done) => sink.once("drain", done));
    }
  }

  /** The rest of the record after its head: the body (parsed JSON, or text written piece by piece), then the end. */
  private *pieces(head: string, chunks: Buffer[], ct: string, complete: boolean, values: string[]): Generator<string> {
    if (!chunks.length) return yield `${head}}}\n`;
    const isJson = complete && !/text\/event-stream/i.test(ct) && (/json/i.test(ct) || startsLikeJson(chunks[0]!));
    if (isJson) {
      const text = Buffer.concat(chunks).toString("utf8");
      chunks.length = 0;
      const b = bodyFields(text, ct, new Set(), values);
      if ("body" in b) return yield `${head},"body":${JSON.stringify(b.body)}}}\n`;
      yield `${head},"bodyText":`;
      return yield `${JSON.stringify(b.bodyText)}}}\n`;
    }
    yield `${head},"bodyText":"`;
    // Text in pieces; the last (longest secret - 1) characters wait for the next piece, so a secret split between
    // two pieces is still found.
    const hold = Math.max(0, ...values.map((v) => v.length - 1));
    const td = new TextDecoder();
    let carry = "";
    let text = "";
    const flush = (last: boolean) => {
      const clean = redactText(carry + text, values);
      text = "";
      const keep = last ? 0 : Math.min(hold, clean.length);
      carry = clean.slice(clean.length - keep);
      const out = clean.slice(0, clean.length - keep);
      return out ? JSON.stringify(out).slice(1, -1) : "";
    };
    for (let i = 0; i < chunks.length; i++) {
      // Decoded a slice at a time: a piece stays near PIECE however large the chunks (the pump hands over one
      // buffer per event-loop turn, which can hold several socket reads).
      const c = chunks[i]!;
      for (let at = 0; at < c.length; at += SLICE) {
        text += td.decode(c.subarray(at, at + SLICE), { stream: true });
        if (text.length >= PIECE) yield flush(false);
      }
      chunks[i] = EMPTY; // written: no longer held
    }
    text += td.decode();
    yield `${flush(true)}"}}\n`;
  }
}

const EMPTY = Buffer.alloc(0);

function startsLikeJson(b: Buffer): boolean {
  return /^\s*[{[]/.test(b.subarray(0, 64).toString("latin1"));
}
