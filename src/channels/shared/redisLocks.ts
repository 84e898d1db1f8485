import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { HeldLock, Locks } from "./locks.js";

const releaseScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const extendScript = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** Locks shared by every process on one Redis: SET NX PX to take, compare-and-delete (Lua) to release. */
export function createRedisLocks(redis: Redis, keyPrefix: string): Locks {
  return {
    async tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      const key = `${keyPrefix}lock:${name}`;
      const token = randomUUID();
      const taken = await redis.set(key, token, "PX", ttlMs, "NX");
      if (taken !== "OK") return null;
      return {
        key,
        async extend(nextTtlMs) {
          return (await redis.eval(extendScript, 1, key, token, String(nextTtlMs))) === 1;
        },
        async release() {
          await redis.eval(releaseScript, 1, key, token);
        },
      };
    },
  };
}
