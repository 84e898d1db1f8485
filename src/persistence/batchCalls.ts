type Waiting<T, R> = { item: T; resolve: (result: R) => void; reject: (error: unknown) => void };

/** One statement for many callers: a result per item, in the items' order. */
export type CallMany<T, R> = (items: readonly T[]) => Promise<R[]>;

/**
 * Runs the calls that arrive while one is under way together, in one call of `many` (one statement for them all),
 * instead of one each: alone, a call goes at once (no added wait); under load, the calls that came during one round
 * trip share the next. Each caller still gets its own result. When a shared call fails for a reason other than the
 * database being away, each of its items is tried alone, so one item the database refuses never fails the others.
 */
export function batchCalls<T, R>(many: CallMany<T, R>, options: { maxBatch?: number; isDatabaseUnavailable: (error: unknown) => boolean }): (item: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 200;
  let queue: Waiting<T, R>[] = [];
  let running = false;

  async function runAlone(waiting: Waiting<T, R>): Promise<void> {
    try {
      const [result] = await many([waiting.item]);
      waiting.resolve(result as R);
    } catch (error) {
      waiting.reject(error);
    }
  }

  async function flush(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await many(batch.map((waiting) => waiting.item));
        batch.forEach((waiting, index) => waiting.resolve(results[index] as R));
      } catch (error) {
        if (batch.length === 1 || options.isDatabaseUnavailable(error)) for (const waiting of batch) waiting.reject(error);
        else await Promise.all(batch.map(runAlone));
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!running) void flush();
    });
}
