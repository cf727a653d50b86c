/**
 * SSE -> AsyncIterable of parsed `data:` payloads, with eventsource-parser 3 (TextDecoder + createParser).
 *
 * - Comments (`: OPENROUTER PROCESSING`) and unknown fields are ignored, as the SSE spec says.
 * - `data: [DONE]` ends the iteration. A body that ends without it throws `StreamTruncatedError`.
 * - A chunk with a top-level `error` (or a choice with `finish_reason: "error"`) throws `StreamError`
 *   carrying the partial content, the error code (integer or string) and the generation id.
 * - `data:` that is not JSON throws `InvalidResponseError`; so does a line longer than `maxLineLength`.
 * - `partialContent` keeps at most `maxPartialContentLength` characters, so a long stream costs no memory.
 * - `break`/`return()` or `abort()` cancels the HTTP body. A Stream can be iterated once.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";
import { InvalidResponseError, StreamError, StreamTruncatedError, type OpenRouterError } from "./errors";

/** Hooks the client passes to a Stream (timers, abort, error mapping). */
export interface StreamControl {
  /** Abort the underlying fetch. `idle` = the per-read idle timeout fired. */
  abort(idle?: boolean): void;
  /** Called exactly once when the stream settles (done, error, break): release timers and listeners. */
  done(): void;
  /** Turn a body-read failure into a typed error (abort, idle timeout, connection loss). */
  readError(err: unknown, partialContent: string, generationId: string | undefined): OpenRouterError;
  /** Max silence between two network reads, ms (0 or Infinity = none). */
  idleTimeoutMs: number;
  /** Max characters buffered for one SSE line/event before giving up. */
  maxLineLength: number;
  /** Max characters kept in `partialContent` (default: all). Later content is still yielded, just not kept. */
  maxPartialContentLength?: number | undefined;
  /** Scrubs the API key out of server text (before it is cut short) and out of every error the stream throws. */
  redact?: (<T>(value: T) => T) | undefined;
  /** Called with each parsed chunk (validation hook). */
  onChunk?: ((chunk: unknown) => void) | undefined;
}

const noop = () => {};
const TRUNCATED = "Stream ended before data: [DONE]";

export class Stream<T> implements AsyncIterableIterator<T> {
  /** The HTTP response (status, headers); its body is being consumed by this stream. */
  readonly response: Response;
  /** `X-Generation-Id`, else the `id` of the first chunk. */
  generationId: string | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #ctl: StreamControl;
  #decoder = new TextDecoder();
  #parser: EventSourceParser;
  #queue: string[] = [];
  #qi = 0;
  #partial = "";
  /** Content pieces since the last network read; folded into #partial once per read (see #take). */
  #pieces: string[] = [];
  /** 0 open, 1 body ended (EOF), 2 settled */
  #state = 0;
  #used = false;
  #overflow = false;
  #since = 0;
  #waiting = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(response: Response, ctl: StreamControl) {
    this.response = response;
    this.#ctl = ctl;
    this.generationId = response.headers.get("x-generation-id") ?? undefined;
    this.#reader = response.body?.getReader();
    const queue = this.#queue;
    this.#parser = createParser({
      onEvent: (ev) => void queue.push(ev.data),
      onError: (err) => {
        if (err.type === "max-buffer-size-exceeded") this.#overflow = true;
      },
      maxBufferSize: ctl.maxLineLength,
    });
  }

  /** Content received so far for choice 0 (`delta.content` or `text`). */
  get partialContent(): string {
    this.#fold();
    return this.#partial;
  }

  #fold(): void {
    if (this.#pieces.length) {
      const max = this.#ctl.maxPartialContentLength ?? Infinity;
      if (this.#partial.length < max) {
        const s = this.#partial + this.#pieces.join("");
        this.#partial = s.length > max ? s.slice(0, max) : s;
      }
      this.#pieces.length = 0;
    }
  }

  [Symbol.asyncIterator](): this {
    if (this.#used) throw new TypeError("A Stream can only be iterated once");
    this.#used = true;
    return this;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    // Fast path: an event is already buffered -> no async function frame, one resolved promise.
    if (this.#qi < this.#queue.length) {
      try {
        return Promise.resolve(this.#take());
      } catch (err) {
        return Promise.reject(err);
      }
    }
    return this.#pull();
  }

  /** Consumes one buffered event (throws typed errors). */
  #take(): IteratorResult<T, undefined> {
    const queue = this.#queue;
    const data = queue[this.#qi++]!;
    if (this.#qi === queue.length) queue.length = this.#qi = 0;
    if (data === "[DONE]") {
      this.#settle(false);
      return { done: true, value: undefined };
    }
    let chunk: any;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw this.#fail(
        this.#state === 1
          ? new StreamTruncatedError(TRUNCATED, this.#init())
          : new InvalidResponseError(`Stream data is not JSON: ${this.#redact(data).slice(0, 120)}`, {
              status: this.response.status, generationId: this.generationId,
            }),
      );
    }
    if (chunk !== null && typeof chunk === "object") {
      if (this.generationId === undefined && typeof chunk.id === "string") this.generationId = chunk.id;
      const c = chunk.choices?.[0];
      if (c) {
        const t = c.delta ? c.delta.content : c.text;
        // Pieces are joined once per network read: retaining 20k tiny strings (or a 20k-node rope) for the whole
        // stream made the GC copy them on every scavenge (~15% CPU on a 20k-chunk stream).
        if (typeof t === "string" && t !== "") this.#pieces.push(t);
      }
      if (chunk.error || c?.finish_reason === "error") throw this.#fail(this.#streamError(chunk));
    }
    if (this.#ctl.onChunk) {
      try {
        this.#ctl.onChunk(chunk);
      } catch (err) {
        throw this.#fail(err as OpenRouterError); // strict validation: stop the stream, close the connection
      }
    }
    return { done: false, value: chunk as T };
  }

  async #pull(): Promise<IteratorResult<T, undefined>> {
    for (;;) {
      if (this.#qi < this.#queue.length) return this.#take();
      if (this.#state === 2) return { done: true, value: undefined };
      if (this.#state === 1 || !this.#reader) {
        throw this.#fail(new StreamTruncatedError(TRUNCATED, this.#init()));
      }
      this.#fold();
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await this.#read(this.#reader);
      } catch (err) {
        if (this.#state === 2) return { done: true, value: undefined };
        throw this.#fail(this.#ctl.readError(err, this.partialContent, this.generationId));
      }
      if (r.done) {
        this.#state = 1;
        // Dispatch a final event that lacks its blank line (lenient); a truncated one fails JSON.parse -> truncated.
        this.#parser.feed(this.#decoder.decode() + "\n\n");
      } else {
        this.#parser.feed(this.#decoder.decode(r.value, { stream: true }));
      }
      if (this.#overflow) {
        throw this.#fail(
          new InvalidResponseError(`SSE line longer than maxLineLength (${this.#ctl.maxLineLength})`, { status: this.response.status, generationId: this.generationId }),
        );
      }
    }
  }

  /** Stops the stream and cancels the HTTP body (same as `break` in a for-await loop). */
  async return(): Promise<IteratorResult<T, undefined>> {
    this.#settle(true);
    return { done: true, value: undefined };
  }

  /** Cancels the HTTP body. Iteration then ends without error. */
  abort(): void {
    this.#settle(true);
  }

  /**
   * One network read under the idle timeout. A single lazily re-armed timer checks the time since the pending
   * read started, instead of a setTimeout/clearTimeout pair per read (hundreds per MB). The timer only re-arms
   * while a read is pending, so an un-consumed stream holds no timer.
   */
  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<ReadableStreamReadResult<Uint8Array>> {
    const ms = this.#ctl.idleTimeoutMs;
    if (!(ms > 0 && ms < 2 ** 31)) return reader.read();
    this.#since = Date.now();
    this.#waiting = true;
    this.#timer ??= setTimeout(this.#check, ms);
    try {
      return await reader.read();
    } finally {
      this.#waiting = false;
    }
  }

  #check = (): void => {
    this.#timer = undefined;
    if (!this.#waiting || this.#state === 2) return;
    const idle = Date.now() - this.#since;
    if (idle >= this.#ctl.idleTimeoutMs) this.#ctl.abort(true);
    else this.#timer = setTimeout(this.#check, this.#ctl.idleTimeoutMs - idle);
  };

  #init() {
    return { status: this.response.status, generationId: this.generationId, partialContent: this.partialContent };
  }

  #streamError(chunk: any): StreamError {
    const c = chunk.choices?.[0];
    const e = chunk.error && typeof chunk.error === "object" ? chunk.error : c?.error && typeof c.error === "object" ? c.error : {};
    const code = typeof e.code === "number" || typeof e.code === "string" ? e.code : undefined;
    const msg = typeof e.message === "string" ? e.message : typeof chunk.error === "string" ? chunk.error : "Stream error";
    return new StreamError(`Stream error${code === undefined ? "" : ` (${code})`}: ${msg}`, { ...this.#init(), code, metadata: e.metadata, body: chunk });
  }

  #redact<V>(v: V): V {
    return this.#ctl.redact ? this.#ctl.redact(v) : v;
  }

  #fail(err: OpenRouterError): OpenRouterError {
    this.#settle(true);
    return this.#redact(err);
  }

  #settle(cancel: boolean): void {
    if (this.#state === 2) return;
    this.#state = 2;
    this.#queue.length = this.#qi = 0;
    clearTimeout(this.#timer);
    // After [DONE] the body is normally complete; cancelling is then a no-op that frees the reader.
    this.#reader?.cancel().catch(noop);
    if (cancel) this.#ctl.abort();
    this.#ctl.done();
  }
}
