import type { RecordResult } from "../conversation/ports.js";
import type { InboundEvent } from "../conversation/types.js";

type Waiting = { event: InboundEvent; resolve: (result: RecordResult) => void; reject: (error: unknown) => void };

export type RecordMany = (events: readonly InboundEvent[]) => Promise<RecordResult[]>;

/**
 * Records events that arrive while a recording is under way together, in one statement, instead of one statement
 * each: alone, an event is recorded at once (no added wait); under load, the webhooks that came during one round
 * trip share the next. Each caller still learns its own event's result, and awaits it before acknowledging. When a
 * shared statement fails for a reason other than the database being away, each of its events is tried alone, so
 * one event the database refuses never fails the others.
 */
export function batchRecords(recordMany: RecordMany, options: { maxBatch?: number; isDatabaseUnavailable: (error: unknown) => boolean }): (event: InboundEvent) => Promise<RecordResult> {
  const maxBatch = options.maxBatch ?? 200;
  let queue: Waiting[] = [];
  let running = false;

  async function flush(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await recordMany(batch.map((waiting) => waiting.event));
        batch.forEach((waiting, index) => waiting.resolve(results[index]!));
      } catch (error) {
        if (batch.length === 1 || options.isDatabaseUnavailable(error)) {
          for (const waiting of batch) waiting.reject(error);
          continue;
        }
        await Promise.all(
          batch.map(async (waiting) => {
            try {
              const [result] = await recordMany([waiting.event]);
              waiting.resolve(result!);
            } catch (alone) {
              waiting.reject(alone);
            }
          }),
        );
      }
    }
    running = false;
  }

  return (event) =>
    new Promise<RecordResult>((resolve, reject) => {
      queue.push({ event, resolve, reject });
      if (!running) void flush();
    });
}
