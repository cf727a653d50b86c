// The stream pump of one response, with its lag bound. Forwarding comes first. A body that is checked or recorded
// needs a copy anyway: the upstream chunks of one turn of the event loop are copied once into a buffer of their own,
// which goes to the client as one write (one chunked frame instead of one per upstream chunk) and, once written, to
// the checks and the record (`consume`), which may keep it (the check worker takes it without another copy). A body
// only forwarded, or a compressed one, goes to the client chunk by chunk as it comes; a compressed body's copy is
// decoded first and the lag counts decoded bytes, so a small gzip body that expands a thousandfold is held to the
// same bound as a plain one. The copy is consumed in slices between I/O callbacks. When it falls maxLag bytes behind
// (or the checks say they are busy), the upstream is paused; it resumes once the copy is back under half of it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transform } from "node:stream";

/** Longest stretch of consuming between two turns of the event loop. */
const SLICE_MS = 2;

export interface PumpOptions {
  up: IncomingMessage;
  res: ServerResponse;
  maxLag: number;
  /**
   * Decoded bytes for the checks and the record; absent: the body is only forwarded. `spare`: the client has been
   * sent `b` and nothing else holds it: the consumer may keep it (transfer its memory) instead of copying.
   */
  consume?(b: Buffer, spare: boolean): void;
  /** The decoder of a compressed body (the copy is decoded; the client gets the bytes as sent). */
  decoder?: Transform;
  /** True while the checks cannot take more: the pump waits for `wake()`. */
  busy?(): boolean;
  /** Once, after every byte of the copy was consumed. ok: the upstream body ended cleanly; whole: all decoded. */
  done?(ok: boolean, whole: boolean): void;
}

type Hold = "client" | "lag" | "decoder";

/** A piece of the copy; `own`: a buffer of the pump's, `written`: the client's write of it has finished. */
interface Piece {
  b: Buffer;
  own: boolean;
  written: boolean;
}

export class Pump {
  private readonly queue: Piece[] = [];
  private head = 0;
  private queued = 0;
  private scheduled = false;
  /** Set once the upstream body ended (true) or was cut (false). */
  private ending: boolean | undefined;
  /** The decoder has flushed its last bytes (or there is none, or it failed). */
  private drained: boolean;
  private whole = true;
  private finished = false;
  private readonly holds = new Set<Hold>();
  /** Upstream chunks of this turn, copied and forwarded together when it ends (plain bodies with a copy). */
  private turn: Buffer[] = [];
  private turnBytes = 0;

  constructor(private readonly o: PumpOptions) {
    const { up, decoder } = o;
    this.drained = !decoder || !o.consume;
    up.on("data", (chunk: Buffer) => {
      if (o.consume && !decoder) {
        if (!this.turn.length) process.nextTick(this.flush);
        this.turn.push(chunk);
        this.turnBytes += chunk.length;
        return;
      }
      this.forward(chunk);
      if (!decoder || this.drained) return; // no copy, or the decoder failed: the rest is forwarded, not checked
      if (!decoder.write(chunk) && !this.holds.has("decoder")) {
        this.hold("decoder", true);
        decoder.once("drain", () => this.hold("decoder", false));
      }
    });
    o.res.on("drain", () => this.hold("client", false));
    if (decoder && o.consume) {
      decoder.on("data", (b: Buffer) => this.enqueue({ b, own: false, written: true }));
      decoder.once("end", () => this.decoded());
      decoder.once("error", () => {
        this.whole = false;
        decoder.removeAllListeners("data");
        this.decoded();
      });
    }
  }

  /** Wake a pump waiting for busy checks (the worker's acks call it). */
  wake = (): void => this.schedule();

  /**
   * Forward (and queue for the copy) what this turn has read: runs when the turn ends, and before the client's
   * response is ended.
   */
  flush = (): void => {
    if (!this.turn.length) return;
    const b = Buffer.allocUnsafeSlow(this.turnBytes);
    let at = 0;
    for (const c of this.turn) at += c.copy(b, at);
    this.turn = [];
    this.turnBytes = 0;
    const piece: Piece = { b, own: true, written: false };
    this.forward(b, () => {
      piece.written = true; // or failed: either way the socket no longer holds it
      this.schedule();
    });
    this.enqueue(piece);
  };

  private forward(b: Buffer, written?: () => void) {
    if (!this.o.res.write(b, written)) this.hold("client", true);
  }

  /** The upstream body ended (ok) or was cut: consume what is queued, then call done. */
  finish(ok: boolean): void {
    if (this.ending !== undefined) return;
    this.flush();
    this.ending = ok;
    const d = this.o.decoder;
    if (d && !this.drained) {
      if (ok) d.end();
      else {
        this.whole = false;
        d.destroy();
        this.decoded();
      }
    }
    this.schedule();
  }

  private decoded() {
    if (this.drained) return;
    this.drained = true;
    this.hold("decoder", false);
    this.schedule();
  }

  private hold(why: Hold, on: boolean) {
    if (on) this.holds.add(why);
    else this.holds.delete(why);
    if (this.holds.size) this.o.up.pause();
    else this.o.up.resume();
  }

  private enqueue(p: Piece) {
    this.queue.push(p);
    this.queued += p.b.length;
    if (this.queued > this.o.maxLag && !this.holds.has("lag")) {
      this.hold("lag", true);
      this.o.decoder?.pause();
    }
    this.schedule();
  }

  private schedule() {
    if (this.scheduled || this.finished) return;
    this.scheduled = true;
    setImmediate(() => this.pump());
  }

  private pump() {
    this.scheduled = false;
    const busy = this.o.busy ?? (() => false);
    const t0 = performance.now();
    let writing = false;
    while (this.head < this.queue.length && !busy()) {
      const p = this.queue[this.head]!;
      // The copy goes behind the client's write of it (its callback schedules the pump); once the body is over,
      // a piece still being written is consumed as it is, not kept (spare false).
      writing = !p.written && this.ending === undefined;
      if (writing) break;
      this.queue[this.head++] = undefined as unknown as Piece;
      this.queued -= p.b.length;
      this.o.consume!(p.b, p.own && p.written);
      if (performance.now() - t0 > SLICE_MS) break;
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    }
    if (this.holds.has("lag") && this.queued <= this.o.maxLag / 2) {
      this.o.decoder?.resume();
      this.hold("lag", false);
    }
    if (this.queued > 0) {
      // busy: wake() comes with the checks' next ack; writing: the write's callback schedules the pump
      if (!busy() && !writing) this.schedule();
    } else if (this.ending !== undefined && this.drained && !this.finished) {
      this.finished = true;
      this.o.done?.(this.ending, this.whole);
    }
  }
}
