/**
 * The bytes of an SSE body -> its `data:` payloads, in order (the SSE spec's parsing, reduced to what the client
 * reads): a streaming TextDecoder (it drops a leading BOM), line endings CRLF, LF and lone CR, `data:` lines of one
 * event joined with "\n", events without data skipped; comments, `event`, `id`, `retry` and unknown fields dropped.
 * Hand-written instead of eventsource-parser (which the conformance checks use) to keep ~1 KB gzip out of app bundles;
 * test/client/sse-decoder.test.ts checks it gives eventsource-parser's payloads for any text and any split.
 */
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
  /** The unfinished last line, in pieces (joined only once its end arrives: a long line stays linear). */
  let pieces: string[] = [];
  let size = 0;
  /** The current event's data (undefined: no `data` line yet). */
  let data: string | undefined;
  let afterCr = false;
  const push = (s: string): void => {
    // Every line ending becomes LF, chunk by chunk; an LF opening a chunk completes the CR that ended the last one.
    if (afterCr && s.charCodeAt(0) === 10) s = s.slice(1);
    afterCr = s.charCodeAt(s.length - 1) === 13;
    if (s.includes("\r")) s = s.replace(/\r\n?/g, "\n");
    let n = s.indexOf("\n");
    if (n >= 0 && size) {
      n += size;
      pieces.push(s);
      s = pieces.join("");
      pieces = [];
      size = 0;
    }
    let i = 0;
    for (; n >= 0; n = s.indexOf("\n", i)) {
      if (n === i) {
        if (data !== undefined) onData(data);
        data = undefined;
      } else if (s.startsWith("data", i) && (n === i + 4 || s.charCodeAt(i + 4) === 58)) {
        const v = s.slice(s.charCodeAt(i + 5) === 32 ? i + 6 : i + 5, n);
        data = data === undefined ? v : `${data}\n${v}`;
      }
      i = n + 1;
    }
    if (i < s.length) {
      pieces.push(s.slice(i));
      size += s.length - i;
    }
    if (size + (data?.length ?? 0) > maxLineLength) onOverflow();
  };
  return {
    feed: (bytes) => push(text.decode(bytes, { stream: true })),
    end: () => push(`${text.decode()}\n\n`),
  };
}
