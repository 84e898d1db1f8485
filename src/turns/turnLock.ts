import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export type HeldLock = {
  /** Pushes the expiry forward; false if the lock was lost (expired and taken by another process). */
  extend(): Promise<boolean>;
  release(): Promise<void>;
};

/** One turn at a time per key, across every process that shares the store. */
export interface TurnLock {
  acquire(key: string): Promise<HeldLock>;
}

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
}

const releaseScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const extendScript = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

export type LockOptions = { prefix: string; ttlMs: number; waitMs?: number };

/**
 * SET NX PX with a random token; released and extended only by the holder (compare-and-delete in Lua), so a
 * holder that crashed frees the person after ttlMs. Waiters poll with growing, jittered pauses.
 */
export function createRedisTurnLock(redis: Redis, options: LockOptions): TurnLock {
  const waitMs = options.waitMs ?? 120_000;
  return {
    async acquire(name) {
      const key = `${options.prefix}lock:${name}`;
      const token = randomUUID();
      const deadline = Date.now() + waitMs;
      let pause = 5;
      while ((await redis.set(key, token, "PX", options.ttlMs, "NX")) !== "OK") {
        if (Date.now() > deadline) throw new LockTimeoutError(`Waited ${waitMs} ms for the turn lock of ${name}; is a turn stuck?`);
        await new Promise((resolve) => setTimeout(resolve, pause + Math.random() * pause));
        pause = Math.min(pause * 2, 100);
      }
      // A lock taken or pushed out less than a third of its life ago cannot have expired: no round trip then
      // (a turn's commit is fenced by the state's version whatever the lock says).
      let extendedAt = Date.now();
      return {
        extend: async () => {
          if (Date.now() - extendedAt < options.ttlMs / 3) return true;
          const held = (await redis.eval(extendScript, 1, key, token, String(options.ttlMs))) === 1;
          if (held) extendedAt = Date.now();
          return held;
        },
        release: async () => {
          await redis.eval(releaseScript, 1, key, token);
        },
      };
    },
  };
}

/** The same contract inside one process (REDIS_URL unset): a promise chain per key. */
export function createMemoryTurnLock(): TurnLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async acquire(name) {
      const previous = tails.get(name) ?? Promise.resolve();
      let release!: () => void;
      const current = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => current);
      tails.set(name, tail);
      await previous;
      return {
        extend: async () => true,
        release: async () => {
          release();
          if (tails.get(name) === tail) tails.delete(name);
        },
      };
    },
  };
}
