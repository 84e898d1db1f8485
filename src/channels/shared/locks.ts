import { LockTimeoutError } from "./errors.js";

/** A held lock: released by its owner only (compare-and-delete), kept alive while long work goes on. */
export type HeldLock = {
  key: string;
  /** Pushes the expiry out again; false when the lock expired and someone else may hold it now. */
  extend(ttlMs: number): Promise<boolean>;
  release(): Promise<void>;
};

/** Named mutual exclusion; across processes with Redis, within one process without it. */
export interface Locks {
  /** Takes the lock if it is free, else null at once. */
  tryAcquire(name: string, ttlMs: number): Promise<HeldLock | null>;
}

/** Waits (polling) for a lock up to `waitMs`; throws LockTimeoutError when it stays taken. */
export async function acquireLock(locks: Locks, name: string, options: { ttlMs: number; waitMs: number; pollMs?: number }): Promise<HeldLock> {
  const deadline = Date.now() + options.waitMs;
  const pollMs = options.pollMs ?? 50;
  for (;;) {
    const lock = await locks.tryAcquire(name, options.ttlMs);
    if (lock) return lock;
    if (Date.now() >= deadline) throw new LockTimeoutError(name, options.waitMs);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
