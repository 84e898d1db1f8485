import type { Logger } from "pino";
import type { Locks } from "../channels/shared/locks.js";
import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import type { Database } from "../persistence/openDatabase.js";
import type { ChannelDelivery, DeliveryChannel } from "./channelDelivery.js";
import { deliverRecipientOutbox } from "./deliverRecipientOutbox.js";
import { RecipientLockLostError, RetryableDeliveryError } from "./errors.js";
import { groupOutboxByRecipient, type RecipientBatch } from "./groupOutboxByRecipient.js";
import { keepHolding, recipientLockName, recipientLockTtlMs } from "./recipientLock.js";

/** A queue that takes over what is not sent at once, optionally after a pause (a retryable failure). */
export type FallbackQueue = { dispatch(items: OutboxItem[], options?: { delayMs?: number }): Promise<void> };

/** Takes `count` sends from this second's budget of a channel, across processes; false when it is spent. */
export type SendBudget = (channel: DeliveryChannel, count: number) => Promise<boolean>;

export type InlineFirstDispatcherOptions = {
  db: Database;
  deliveries: readonly ChannelDelivery[];
  locks: Locks;
  budget: SendBudget;
  queue: FallbackQueue;
  log: Logger;
  /** SEND_RETRY_BASE_MS: the pause before the queue tries again after a retryable failure. */
  retryDelayMs: number;
  lockTtlMs?: number;
  /** More recipients than this in one hand-over (a digest, a relay sweep) go to the queue: bulk work is the workers'. */
  maxInlineRecipients?: number;
};

/**
 * Sends a turn's replies from the process that committed them, right away, instead of a queue round trip per
 * message: the recipient lock (the one the workers take) keeps one sender per person and the per-channel send
 * budget is shared with the workers. Whatever cannot go now — the person is being served elsewhere, the second's
 * budget is spent, a retryable platform failure, many recipients at once — is handed to the queue, which retries
 * with backoff. The outbox rows stay the truth: a row is claimed before its platform call, so nothing goes twice.
 */
export type InlineFirstDispatcher = OutboundDispatcher & {
  /** Waits for the sends under way (a graceful stop must not leave rows claimed mid-send, to be given up). */
  close(): Promise<void>;
};

export function createInlineFirstDispatcher(options: InlineFirstDispatcherOptions): InlineFirstDispatcher {
  const deliveries = new Map(options.deliveries.map((delivery) => [delivery.channel, delivery]));
  const lockTtlMs = options.lockTtlMs ?? recipientLockTtlMs;
  const maxInline = options.maxInlineRecipients ?? 8;
  const log = options.log.child({ component: "outbound-inline" });
  const underWay = new Set<Promise<unknown>>();
  let closed = false;

  /** "sent" when the recipient's pending rows went out here; otherwise why the queue must take them. */
  async function sendNow(batch: RecipientBatch, count: number): Promise<"sent" | "later" | "retry"> {
    const delivery = deliveries.get(batch.channel);
    if (!delivery) return "later";
    if (!(await options.budget(batch.channel, count))) return "later";
    const lock = await options.locks.tryAcquire(recipientLockName(batch.channel, batch.userId), lockTtlMs);
    if (!lock) return "later";
    const hold = keepHolding(lock, lockTtlMs);
    try {
      await deliverRecipientOutbox({ db: options.db, delivery, log }, batch.userId, {
        finalAttempt: false,
        lastCoveredId: batch.lastOutboxId,
        keepAlive: hold.keepAlive,
      });
      return "sent";
    } catch (error) {
      if (error instanceof RetryableDeliveryError) return "retry";
      if (!(error instanceof RecipientLockLostError)) log.error({ err: error, channel: batch.channel }, "sending at once failed; the queue takes the rows");
      return "later";
    } finally {
      hold.stop();
      await lock.release().catch(() => undefined);
    }
  }

  async function dispatch(items: OutboxItem[]): Promise<void> {
    const batches = groupOutboxByRecipient(items);
    if (batches.length === 0) return;
    if (closed || batches.length > maxInline) return options.queue.dispatch(items);
    const later: OutboxItem[] = [];
    const retry: OutboxItem[] = [];
    await Promise.all(
      batches.map(async (batch) => {
        const own = items.filter((item) => item.channel === batch.channel && item.userId === batch.userId);
        const outcome = await sendNow(batch, own.length);
        if (outcome === "later") later.push(...own);
        if (outcome === "retry") retry.push(...own);
      }),
    );
    if (later.length > 0) await options.queue.dispatch(later);
    if (retry.length > 0) await options.queue.dispatch(retry, { delayMs: options.retryDelayMs });
  }

  return {
    dispatch(items) {
      const running = dispatch(items);
      underWay.add(running);
      void running.finally(() => underWay.delete(running)).catch(() => undefined);
      return running;
    },
    async close() {
      closed = true;
      await Promise.allSettled([...underWay]);
    },
  };
}
