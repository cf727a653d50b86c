// Node-only input reading for the CLI: a bounded-memory line reader for JSONL traffic files, and whole-stream reads
// for `-` (stdin) where a command needs the whole document. Not part of the browser library graph.
import { createReadStream } from "node:fs";
import { isUtf8 } from "node:buffer";
import type { Readable } from "node:stream";

export type Line = { n: number; text: string; bytes: number } | { n: number; error: string; bytes: number };

/**
 * Yield lines of a file or stream, split on LF (a trailing CR is dropped), in batches: the lines each chunk read
 * completes (one await per chunk, not one per line). Lines longer than `maxLineBytes` are skipped without being
 * buffered and reported as an error; so are lines that are not UTF-8 or contain NUL bytes.
 */
export async function* readLines(input: string | Readable, maxLineBytes: number): AsyncGenerator<Line[]> {
  const stream: Readable = typeof input === "string" ? createReadStream(input, { highWaterMark: 1 << 20 }) : input;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let skipping = false;
  let n = 1;
  const finish = (buf: Buffer, total: number): Line => {
    const lineNo = n++;
    let end = buf.length;
    if (end > 0 && buf[end - 1] === 13) end--;
    const b = end === buf.length ? buf : buf.subarray(0, end);
    if (b.indexOf(0) >= 0) return { n: lineNo, error: "binary data (NUL byte) — not a JSONL text line", bytes: total };
    if (!isUtf8(b)) return { n: lineNo, error: "not valid UTF-8", bytes: total };
    return { n: lineNo, text: b.toString("utf8"), bytes: total };
  };
  for await (const chunk0 of stream) {
    const chunk: Buffer = typeof chunk0 === "string" ? Buffer.from(chunk0) : (chunk0 as Buffer);
    const batch: Line[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const nl = chunk.indexOf(10, pos);
      const end = nl < 0 ? chunk.length : nl;
      const piece = chunk.subarray(pos, end);
      if (!skipping) {
        if (partBytes + piece.length > maxLineBytes) {
          skipping = true;
          parts = [];
        } else {
          parts.push(piece);
        }
      }
      partBytes += piece.length;
      if (nl < 0) break;
      // End of line.
      if (skipping) {
        batch.push({
          n: n++,
          error: `line is ${partBytes} bytes, over the ${maxLineBytes}-byte limit (--max-line-bytes); skipped`,
          bytes: partBytes + 1,
        });
      } else {
        const buf = parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes);
        batch.push(finish(buf, partBytes + 1));
      }
      parts = [];
      partBytes = 0;
      skipping = false;
      pos = nl + 1;
    }
    if (batch.length) yield batch;
  }
  if (skipping)
    yield [
      {
        n: n++,
        error: `line is ${partBytes} bytes, over the ${maxLineBytes}-byte limit (--max-line-bytes); skipped`,
        bytes: partBytes,
      },
    ];
  else if (partBytes > 0) yield [finish(parts.length === 1 ? parts[0]! : Buffer.concat(parts, partBytes), partBytes)];
}

/** The whole stream as UTF-8 text (a HAR or JSON document on stdin). */
export async function readAll(s: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of s) chunks.push(typeof c === "string" ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
