import type { HeldLock } from "../channels/shared/locks.js";
import { RecipientLockLostError } from "./errors.js";

/**
 * The lock a sender holds for as long as it sends to one person (the BullMQ workers, the inline sends, the
 * single-process dispatcher): one sender per person at a time, and a row left "sending" is only settled by the relay
 * once nobody holds it, so a sender that is alive but slow is never taken for one that died.
 */
export function recipientLockName(channel: string, userId: string): string {
  return `outbox:${channel}:${userId}`;
}

/** How long a sender's hold lasts unless pushed out (senders push it out while they work). */
export const recipientLockTtlMs = 30_000;

/**
 * Keeps a held recipient lock alive while its holder sends, not only between sends (one platform call can last
 * longer than the lock would: a slow token refresh, a platform that answers late). `keepAlive` throws
 * RecipientLockLostError once the lock was lost — someone else may be serving the person now — and is what
 * deliverRecipientOutbox calls before each send; `stop` ends the heartbeat (the holder then releases).
 */
export function keepHolding(lock: HeldLock, ttlMs: number): { keepAlive: () => Promise<void>; stop: () => void } {
  let lost = false;
  let extendedAt = Date.now();
  const extend = async (): Promise<boolean> => {
    const startedAt = Date.now();
    const held = await lock.extend(ttlMs);
    if (held) extendedAt = Math.max(extendedAt, startedAt);
    else lost = true;
    return held;
  };
  const heartbeat = setInterval(() => void extend().catch(() => undefined), Math.max(50, Math.floor(ttlMs / 3)));
  return {
    // Between sends: asks Redis only when the heartbeat has not pushed the lock out lately (a stalled process).
    keepAlive: async () => {
      if (lost || (Date.now() - extendedAt >= ttlMs / 3 && !(await extend()))) throw new RecipientLockLostError(lock.key);
    },
    stop: () => clearInterval(heartbeat),
  };
}
