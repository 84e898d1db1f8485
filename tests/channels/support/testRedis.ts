import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";

export const testRedisUrl = process.env["TEST_REDIS_URL"] ?? "redis://127.0.0.1:6379";

/** A key prefix of its own for one test file, and a cleanup that deletes every key under it. */
export function testRedisPrefix(label: string): { prefix: string; cleanup(): Promise<void> } {
  const prefix = `test:${label}:${randomBytes(4).toString("hex")}:`;
  return {
    prefix,
    async cleanup() {
      const redis = new Redis(testRedisUrl);
      try {
        let cursor = "0";
        do {
          const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
          cursor = next;
          if (keys.length > 0) await redis.del(...keys);
        } while (cursor !== "0");
      } finally {
        await redis.quit();
      }
    },
  };
}
