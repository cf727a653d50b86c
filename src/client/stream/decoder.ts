/**
 * The bytes of an SSE body -> its `data:` payloads, in order: a streaming TextDecoder feeding eventsource-parser 3.
 * Comments (`: OPENROUTER PROCESSING`) and unknown fields are dropped, as the SSE spec says.
 */
import { createParser } from "eventsource-parser";

export interface SseDecoder {
  feed(bytes: Uint8Array): void;
  /** End of body: flushes the UTF-8 decoder and dispatches a last event that lacks its blank line (lenient). */
  end(): void;
}

/** `onData` gets each payload; `onOverflow` is called once a line or event grows past `maxLineLength`. */
export function createSseDecoder(
  maxLineLength: number,
  onData: (data: string) => void,
  onOverflow: () => void,
): SseDecoder {
  const text = new TextDecoder();
  const parser = createParser({
    onEvent: (ev) => onData(ev.data),
    onError: (err) => {
      if (err.type === "max-buffer-size-exceeded") onOverflow();
    },
    maxBufferSize: maxLineLength,
  });
  return {
    feed: (bytes) => parser.feed(text.decode(bytes, { stream: true })),
    end: () => parser.feed(`${text.decode()}\n\n`),
  };
}
