// The stream pump of one response, with its lag bound. Forwarding comes first: each upstream chunk is written to the
// client at once. A copy goes to the checks and the record (`consume`) in slices between I/O callbacks; a compressed
// body is decoded first and the lag counts decoded bytes, so a small gzip body that expands a thousandfold is held to
// the same bound as a plain one. When the copy falls maxLag bytes behind (or the checks say they are busy), the
// upstream is paused; it resumes once the copy is back under half of it.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Transform } from "node:stream";

/** Longest stretch of consuming between two turns of the event loop. */
const SLICE_MS = 2;

export interface PumpOptions {
  up: IncomingMessage;
  res: ServerResponse;
  maxLag: number;
  /** Decoded bytes for the checks and the record; absent: the body is only forwarded. */
  consume?(b: Buffer): void;
  /** The decoder of a compressed body (the copy is decoded; the client gets the bytes as sent). */
  decoder?: Transform;
  /** True while the checks cannot take more: the pump waits for `wake()`. */
  busy?(): boolean;
  /** Once, after every byte of the copy was consumed. ok: the upstream body ended cleanly; whole: all decoded. */
  done?(ok: boolean, whole: boolean): void;
}

type Hold = "client" | "lag" | "decoder";

export class Pump {
  private readonly queue: Buffer[] = [];
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

  constructor(private readonly o: PumpOptions) {
    const { up, res, decoder } = o;
    this.drained = !decoder || !o.consume;
    up.on("data", (chunk: Buffer) => {
      if (!res.write(chunk)) this.hold("client", true);
      if (!o.consume) return;
      if (!decoder) return this.enqueue(chunk);
      if (this.drained) return; // the decoder failed: the rest is forwarded, not checked
      if (!decoder.write(chunk) && !this.holds.has("decoder")) {
        this.hold("decoder", true);
        decoder.once("drain", () => this.hold("decoder", false));
      }
    });
    res.on("drain", () => this.hold("client", false));
    if (decoder && o.consume) {
      decoder.on("data", (b: Buffer) => this.enqueue(b));
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

  /** The upstream body ended (ok) or was cut: consume what is queued, then call done. */
  finish(ok: boolean): void {
    if (this.ending !== undefined) return;
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

  private enqueue(b: Buffer) {
    this.queue.push(b);
    this.queued += b.length;
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
    while (this.head < this.queue.length && !busy()) {
      const b = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Buffer;
      this.queued -= b.length;
      this.o.consume!(b);
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
      if (!busy()) this.schedule(); // busy: wake() comes with the checks' next ack
    } else if (this.ending !== undefined && this.drained && !this.finished) {
      this.finished = true;
      this.o.done?.(this.ending, this.whole);
    }
  }
}
