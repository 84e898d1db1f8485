import type { Redis } from "ioredis";

/** Waits for a send slot: at most `perSecond` sends per channel and second, across every process sharing Redis. */
export type SendRate = {
  take(channel: string, perSecond: number): Promise<void>;
  /** Takes `count` slots of this second if they are free (without waiting); false when the second's budget is spent. */
  tryTake(channel: string, perSecond: number, count: number): Promise<boolean>;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A fixed window per second: INCR of `rate:<channel>:<second>` (expires after 2 s). Over the limit, wait for the
 * next second and try again. Without Redis the same counter lives in this process.
 */
export function createSendRate(redis: Redis | null, prefix: string): SendRate {
  const local = new Map<string, number>();
  const count = async (key: string, by = 1): Promise<number> => {
    if (!redis) {
      const next = (local.get(key) ?? 0) + by;
      local.set(key, next);
      if (local.size > 100) for (const old of [...local.keys()].slice(0, 50)) local.delete(old);
      return next;
    }
    // One round trip, no transaction: the key is created with its expiry, then counted.
    const results = await redis.pipeline().set(key, 0, "PX", 2000, "NX").incrby(key, by).exec();
    return Number(results?.[1]?.[1] ?? 0);
  };
  return {
    async take(channel, perSecond) {
      for (;;) {
        const now = Date.now();
        const second = Math.floor(now / 1000);
        if ((await count(`${prefix}rate:${channel}:${second}`)) <= perSecond) return;
        await sleep((second + 1) * 1000 - Date.now() + 1);
      }
    },
    async tryTake(channel, perSecond, slots) {
      return (await count(`${prefix}rate:${channel}:${Math.floor(Date.now() / 1000)}`, slots)) <= perSecond;
    },
  };
}
