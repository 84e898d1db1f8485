import type { HeldLock, Locks } from "./locks.js";

/** Locks for the single-process mode (no REDIS_URL): same contract as Redis locks, held in this process only. */
export function createLocalLocks(now: () => number = Date.now): Locks {
  const held = new Map<string, { owner: symbol; expiresAt: number }>();
  return {
    async tryAcquire(name, ttlMs): Promise<HeldLock | null> {
      const current = held.get(name);
      if (current && current.expiresAt > now()) return null;
      const owner = Symbol(name);
      held.set(name, { owner, expiresAt: now() + ttlMs });
      const isMine = () => held.get(name)?.owner === owner;
      return {
        key: name,
        async extend(nextTtlMs) {
          if (!isMine()) return false;
          held.set(name, { owner, expiresAt: now() + nextTtlMs });
          return true;
        },
        async release() {
          if (isMine()) held.delete(name);
        },
      };
    },
  };
}
