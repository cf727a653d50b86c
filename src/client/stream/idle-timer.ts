/**
 * A stream's idle timeout: `onIdle` fires when one network read has waited `ms`. A single lazily re-armed timer
 * checks the time since the pending read started, instead of a setTimeout/clearTimeout pair per read (hundreds per
 * MB); it re-arms only while a read is pending, so an un-consumed stream holds no timer.
 */
export interface IdleTimer {
  /** One read of `reader` under the timeout. */
  read<T>(reader: ReadableStreamDefaultReader<T>): Promise<ReadableStreamReadResult<T>>;
  stop(): void;
}

/** `ms` of 0, Infinity or 2^31 and more: no idle timeout. */
export function createIdleTimer(ms: number, onIdle: () => void): IdleTimer {
  let since = 0;
  let waiting = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const check = (): void => {
    timer = undefined;
    if (!waiting || stopped) return;
    const idle = Date.now() - since;
    if (idle >= ms) onIdle();
    else timer = setTimeout(check, ms - idle);
  };
  return {
    async read(reader) {
      if (!(ms > 0 && ms < 2 ** 31)) return reader.read();
      since = Date.now();
      waiting = true;
      timer ??= setTimeout(check, ms);
      try {
        return await reader.read();
      } finally {
        waiting = false;
      }
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
