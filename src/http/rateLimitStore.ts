import type { Store } from "express-rate-limit";
import type { Redis } from "ioredis";
import { RedisStore } from "rate-limit-redis";

/** Counters every process shares (Redis, under REDIS_PREFIX) or, without Redis, this process's memory (undefined). */
export function rateLimitStore(redis: Redis | null, prefix: string, name: string): Store | undefined {
  if (!redis) return undefined;
  return new RedisStore({ prefix: `${prefix}ratelimit:${name}:`, sendCommand: (command: string, ...args: string[]) => redis.call(command, ...args) as never });
}
