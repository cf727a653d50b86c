// A body's bytes decoded as they come, exactly as one streaming TextDecoder would, at a fraction of the cost: Node's
// TextDecoder leaves its fast path whenever `stream` is set. A chunk of ASCII while no multi-byte sequence can be
// pending is copied as Latin-1 (which it is); anything else goes through the streaming decoder. Node-only (the CLI).
import { isAscii } from "node:buffer";

export class Utf8Stream {
  private td: TextDecoder | undefined;
  /** Bytes were decoded already: a BOM from here on is text, not a byte-order mark. */
  private started = false;
  /** The streaming decoder may hold the start of a multi-byte sequence: the next bytes must go to it. */
  private pending = false;

  decode(b: Uint8Array): string {
    if (b.length === 0) return "";
    if (!this.pending && isAscii(b)) {
      this.started = true;
      return Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
    }
    this.td ??= new TextDecoder("utf-8", { ignoreBOM: this.started });
    this.started = true;
    // After an ASCII byte nothing is pending (an unfinished sequence before it became U+FFFD).
    this.pending = b[b.length - 1]! >= 0x80;
    return this.td.decode(b, { stream: true });
  }

  /** The end of the body: an unfinished sequence becomes U+FFFD, as TextDecoder's last call makes it. */
  end(): string {
    const rest = this.td?.decode() ?? "";
    this.pending = false;
    return rest;
  }
}
