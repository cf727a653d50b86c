/**
 * `Stream`: an SSE response as an AsyncIterable of parsed `data:` payloads.
 *
 * - `data: [DONE]` ends the iteration. A body that ends without it throws `StreamTruncatedError`.
 * - A chunk with a top-level `error` (or a choice with `finish_reason: "error"`) throws `StreamError`
 *   carrying the partial content, the error code (integer or string) and the generation id.
 * - `data:` that is not JSON throws `InvalidResponseError`; so does a line longer than `maxLineLength`.
 * - `partialContent` keeps at most `maxPartialContentLength` characters, so a long stream costs no memory.
 * - `break`/`return()` or `abort()` cancels the HTTP body. A Stream can be iterated once.
 */
import { discard } from "../body";
import { InvalidResponseError, StreamTruncatedError, type OpenRouterError } from "../errors/classes";
import { errorFromChunk } from "../errors/from-body";
import { isObject } from "../json";
import { createSseDecoder, type SseDecoder } from "./decoder";
import { createIdleTimer, type IdleTimer } from "./idle-timer";

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

/** "open": reading; "ended": the body ended, buffered events remain; "settled": finished, failed or cancelled. */
type StreamState = "open" | "ended" | "settled";

const TRUNCATED = "Stream ended before data: [DONE]";
const DONE = "[DONE]";

export class Stream<T> implements AsyncIterableIterator<T> {
  /** The HTTP response (status, headers); its body is being consumed by this stream. */
  readonly response: Response;
  /** `X-Generation-Id`, else the `id` of the first chunk. */
  generationId: string | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #ctl: StreamControl;
  #sse: SseDecoder;
  #idle: IdleTimer;
  /** Decoded `data:` payloads; #qi is the next one to take. */
  #queue: string[] = [];
  #qi = 0;
  #overflow = false;
  #partial = "";
  /** Content pieces since the last network read; folded into #partial once per read (see #take). */
  #pieces: string[] = [];
  #state: StreamState = "open";
  #used = false;

  constructor(response: Response, ctl: StreamControl) {
    this.response = response;
    this.#ctl = ctl;
    this.generationId = response.headers.get("x-generation-id") ?? undefined;
    this.#reader = response.body?.getReader();
    const queue = this.#queue;
    this.#sse = createSseDecoder(
      ctl.maxLineLength,
      (data) => void queue.push(data),
      () => (this.#overflow = true),
    );
    this.#idle = createIdleTimer(ctl.idleTimeoutMs, () => ctl.abort(true));
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
    // Fast path: a chunk is already buffered -> no async function frame, one resolved promise. `[DONE]` goes the
    // slow way: a branch taken once per stream, inside the per-chunk path, deoptimized that path in every stream
    // (its type feedback does not outlive a full GC), leaving the next stream's first chunks unoptimized.
    if (this.#qi < this.#queue.length && this.#queue[this.#qi] !== DONE) {
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
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      throw this.#fail(
        this.#state === "ended"
          ? new StreamTruncatedError(TRUNCATED, this.#at())
          : new InvalidResponseError(`Stream data is not JSON: ${this.#redact(data).slice(0, 120)}`, {
              status: this.response.status,
              generationId: this.generationId,
            }),
      );
    }
    if (isObject(chunk)) {
      if (this.generationId === undefined && typeof chunk.id === "string") this.generationId = chunk.id;
      const choice = isObject(chunk.choices) ? chunk.choices[0] : undefined;
      const c = isObject(choice) ? choice : undefined;
      if (c) {
        const t = c.delta ? (isObject(c.delta) ? c.delta.content : undefined) : c.text;
        // Pieces are joined once per network read: retaining 20k tiny strings (or a 20k-node rope) for the whole
        // stream made the GC copy them on every scavenge (~15% CPU on a 20k-chunk stream).
        if (typeof t === "string" && t !== "") this.#pieces.push(t);
      }
      if (chunk.error || c?.finish_reason === "error") throw this.#fail(errorFromChunk(chunk, this.#at()));
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
      if (this.#qi < this.#queue.length) {
        if (this.#queue[this.#qi] !== DONE) return this.#take();
        this.#settle(false);
        return { done: true, value: undefined };
      }
      if (this.#state === "settled") return { done: true, value: undefined };
      if (this.#state === "ended" || !this.#reader) {
        throw this.#fail(new StreamTruncatedError(TRUNCATED, this.#at()));
      }
      this.#fold();
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await this.#idle.read(this.#reader);
      } catch (err) {
        // Settled while the read was pending (`abort()`, `return()`): the read's rejection is expected.
        if ((this.#state as StreamState) === "settled") return { done: true, value: undefined };
        throw this.#fail(this.#ctl.readError(err, this.partialContent, this.generationId));
      }
      if (r.done) {
        this.#state = "ended";
        // A truncated last event fails JSON.parse in #take -> StreamTruncatedError.
        this.#sse.end();
      } else {
        this.#sse.feed(r.value);
      }
      if (this.#overflow) {
        const msg = `SSE line longer than maxLineLength (${this.#ctl.maxLineLength})`;
        throw this.#fail(
          new InvalidResponseError(msg, { status: this.response.status, generationId: this.generationId }),
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

  /** Status, generation id and partial content: what every stream error carries. */
  #at() {
    return { status: this.response.status, generationId: this.generationId, partialContent: this.partialContent };
  }

  #redact<V>(v: V): V {
    return this.#ctl.redact ? this.#ctl.redact(v) : v;
  }

  #fail(err: OpenRouterError): OpenRouterError {
    this.#settle(true);
    return this.#redact(err);
  }

  #settle(cancel: boolean): void {
    if (this.#state === "settled") return;
    this.#state = "settled";
    this.#queue.length = this.#qi = 0;
    this.#idle.stop();
    // After [DONE] the body is normally complete; cancelling is then a no-op that frees the reader.
    discard(this.#reader);
    if (cancel) this.#ctl.abort();
    this.#ctl.done();
  }
}
