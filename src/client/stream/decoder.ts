/**
 * The bytes of an SSE body -> its `data:` payloads, in order: a streaming TextDecoder feeding eventsource-parser 3.
 * Comments (`: OPENROUTER PROCESSING`) and unknown fields are dropped, as the SSE spec says.
 */
import { createParser, type EventSourceParser } from "eventsource-parser";

export class SseDecoder {
  /** Set once a line or event grew past `maxLineLength` (the parser drops it). */
  overflow = false;
  #queue: string[] = [];
  #qi = 0;
  #text = new TextDecoder();
  #parser: EventSourceParser;

  constructor(maxLineLength: number) {
    const queue = this.#queue;
    this.#parser = createParser({
      onEvent: (ev) => void queue.push(ev.data),
      onError: (err) => {
        if (err.type === "max-buffer-size-exceeded") this.overflow = true;
      },
      maxBufferSize: maxLineLength,
    });
  }

  /** Whether a decoded payload is waiting to be taken. */
  get pending(): boolean {
    return this.#qi < this.#queue.length;
  }

  /** The next payload (call only while `pending`). */
  take(): string {
    const queue = this.#queue;
    const data = queue[this.#qi++]!;
    if (this.#qi === queue.length) queue.length = this.#qi = 0;
    return data;
  }

  feed(bytes: Uint8Array): void {
    this.#parser.feed(this.#text.decode(bytes, { stream: true }));
  }

  /** End of body: flushes the UTF-8 decoder and dispatches a last event that lacks its blank line (lenient). */
  end(): void {
    this.#parser.feed(this.#text.decode() + "\n\n");
  }

  /** Drops every payload not yet taken. */
  clear(): void {
    this.#queue.length = this.#qi = 0;
  }
}
