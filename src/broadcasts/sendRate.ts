import type { Redis } from "ioredis";
import { batchCalls } from "../persistence/batchCalls.js";

/** Waits for a send slot: at most `perSecond` sends per channel and second, across every process sharing Redis. */
export type SendRate = {
  take(channel: string, perSecond: number): Promise<void>;
  /** Takes `count` slots of this second if they are free (without waiting); false when the second's budget is spent. */
  tryTake(channel: string, perSecond: number, count: number): Promise<boolean>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The counts asked for while one round trip is under way share the next: one INCRBY per key for them all, each
 * caller's count read off as if the increments had gone one after another (in the order they were asked).
 */
function sharedCounter(redis: Redis): (request: { key: string; by: number }) => Promise<number> {
  return batchCalls(
    async (requests: readonly { key: string; by: number }[]): Promise<number[]> => {
      const totals = new Map<string, number>();
      for (const { key, by } of requests) totals.set(key, (totals.get(key) ?? 0) + by);
      // One round trip, no transaction: each key is created with its expiry, then counted.
      const pipeline = redis.pipeline();
      for (const [key, total] of totals) pipeline.set(key, 0, "PX", 2000, "NX").incrby(key, total);
      const results = await pipeline.exec();
      const reached = new Map<string, number>();
      [...totals.keys()].forEach((key, index) => {
        const [error, value] = results?.[index * 2 + 1] ?? [new Error("no reply"), null];
        if (error) throw error;
        reached.set(key, Number(value) - totals.get(key)!);
      });
      return requests.map(({ key, by }) => {
        const next = reached.get(key)! + by;
        reached.set(key, next);
        return next;
      });
    },
    // A failed count fails every caller of it (there is no one request to blame).
    { isDatabaseUnavailable: () => true },
  );
}

/**
 * A fixed window per second: INCR of `rate:<channel>:<second>` (expires after 2 s). Over the limit, wait for the
 * next second and try again. Without Redis the same counter lives in this process.
 */
export function createSendRate(redis: Redis | null, prefix: string, clock: () => number = Date.now): SendRate {
  const local = new Map<string, number>();
  const countShared = redis ? sharedCounter(redis) : null;
  const count = async (key: string, by = 1): Promise<number> => {
    if (!countShared) {
      const next = (local.get(key) ?? 0) + by;
      local.set(key, next);
      if (local.size > 100) for (const old of [...local.keys()].slice(0, 50)) local.delete(old);
      return next;
    }
    return countShared({ key, by });
  };
  return {
    async take(channel, perSecond) {
      for (;;) {
        const now = clock();
        const second = Math.floor(now / 1000);
        if ((await count(`${prefix}rate:${channel}:${second}`)) <= perSecond) return;
        await sleep((second + 1) * 1000 - Date.now() + 1);
      }
    },
    async tryTake(channel, perSecond, slots) {
      return (await count(`${prefix}rate:${channel}:${Math.floor(clock() / 1000)}`, slots)) <= perSecond;
    },
  };
}
