/**
 * SSE line endings: the spec allows CRLF, LF and a lone CR. The stream checker hands its parser LF only, converted
 * here in one linear pass per chunk (a CR-only stream was quadratic in the parser, and its last CR was held back as an
 * unfinished line). A CR at the end of a chunk ends the line at once; an LF opening the next chunk completes that CRLF.
 */
export class LineEndings {
  private afterCr = false;

  /** `text` with every CRLF and lone CR as LF. */
  feed(text: string): string {
    if (!text) return text;
    let t = text;
    if (this.afterCr && t.charCodeAt(0) === 10) t = t.slice(1);
    this.afterCr = t.charCodeAt(t.length - 1) === 13;
    return t.indexOf("\r") < 0 ? t : t.replace(/\r\n?/g, "\n");
  }
}
