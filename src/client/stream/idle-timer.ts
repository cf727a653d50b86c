/**
 * A stream's idle timeout: `onIdle` fires when one network read has waited `ms`. A single lazily re-armed timer
 * checks the time since the pending read started, instead of a setTimeout/clearTimeout pair per read (hundreds per
 * MB); it re-arms only while a read is pending, so an un-consumed stream holds no timer.
 */
export class IdleTimer {
  #ms: number;
  #onIdle: () => void;
  #since = 0;
  #waiting = false;
  #stopped = false;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** `ms` of 0, Infinity or 2^31 and more: no idle timeout. */
  constructor(ms: number, onIdle: () => void) {
    this.#ms = ms;
    this.#onIdle = onIdle;
  }

  /** One read of `reader` under the timeout. */
  async read<T>(reader: ReadableStreamDefaultReader<T>): Promise<ReadableStreamReadResult<T>> {
    const ms = this.#ms;
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

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
  }

  #check = (): void => {
    this.#timer = undefined;
    if (!this.#waiting || this.#stopped) return;
    const idle = Date.now() - this.#since;
    if (idle >= this.#ms) this.#onIdle();
    else this.#timer = setTimeout(this.#check, this.#ms - idle);
  };
}
