import type { Logger } from "pino";
import type { Locks } from "../channels/shared/locks.js";
import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import type { Database } from "../persistence/openDatabase.js";
import type { ChannelDelivery, DeliveryChannel } from "./channelDelivery.js";
import { deliverRecipientOutbox } from "./deliverRecipientOutbox.js";
import { groupOutboxByRecipient } from "./groupOutboxByRecipient.js";
import { keepHolding, recipientLockName, recipientLockTtlMs } from "./recipientLock.js";
import { spaceSends } from "./spaceSends.js";

export type InProcessOutboundDispatcherOptions = {
  db: Database;
  deliveries: readonly ChannelDelivery[];
  retryAttempts: number;
  retryBaseMs: number;
  ratePerSecond?: Partial<Record<DeliveryChannel, number>>;
  /** The recipient locks the relay also takes (recoverInterruptedOutbox): a row being sent here is not settled as cut. */
  locks: Locks;
  log: Logger;
  /** When the relay holds a recipient for a moment, look again after this long. */
  busyRetryMs?: number;
};

export type InProcessOutboundDispatcher = OutboundDispatcher & {
  /** Resolves once no recipient is being delivered to or waiting for a retry (tests, graceful shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
};

const keyOf = (recipient: { channel: DeliveryChannel; userId: string }) => `${recipient.channel}\u0000${recipient.userId}`;

type Recipient = { channel: DeliveryChannel; userId: string; lastOutboxId: number; attempt: number; running: Promise<void> | null; timer: NodeJS.Timeout | null; again: boolean };

/**
 * The dispatcher for the single-process mode (no REDIS_URL): the same drain-the-recipient delivery as the BullMQ
 * workers, one run per recipient at a time, exponential backoff with timers. Rows left pending by a crash are
 * picked up by the next dispatch for that person.
 */
export function createInProcessOutboundDispatcher(options: InProcessOutboundDispatcherOptions): InProcessOutboundDispatcher {
  const log = options.log.child({ component: "outbound-in-process" });
  const deliveries = new Map<DeliveryChannel, ChannelDelivery>();
  for (const delivery of options.deliveries) {
    const rate = options.ratePerSecond?.[delivery.channel];
    deliveries.set(delivery.channel, rate ? spaceSends(delivery, rate) : delivery);
  }
  const recipients = new Map<string, Recipient>();
  let idleWaiters: Array<() => void> = [];
  let closed = false;

  function forget(key: string): void {
    recipients.delete(key);
    if (recipients.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  function start(key: string, recipient: Recipient): void {
    recipient.again = false;
    recipient.running = run(recipient).finally(() => {
      recipient.running = null;
      if (closed || recipient.timer) return;
      if (recipient.again) start(key, recipient);
      else forget(key);
    });
  }

  async function run(recipient: Recipient): Promise<void> {
    const delivery = deliveries.get(recipient.channel);
    if (!delivery) {
      log.error({ channel: recipient.channel }, "no delivery configured for this channel: outbox rows stay pending");
      return;
    }
    const lock = await options.locks.tryAcquire(recipientLockName(recipient.channel, recipient.userId), recipientLockTtlMs);
    if (!lock) {
      // The relay is settling a row of this person cut by a crash: not a failed attempt, look again shortly.
      if (!closed) recipient.timer = setTimeout(() => wake(recipient), options.busyRetryMs ?? 100);
      return;
    }
    const hold = keepHolding(lock, recipientLockTtlMs);
    try {
      await deliverRecipientOutbox({ db: options.db, delivery, log }, recipient.userId, {
        finalAttempt: recipient.attempt + 1 >= options.retryAttempts,
        lastCoveredId: recipient.lastOutboxId,
        keepAlive: hold.keepAlive,
      });
      recipient.attempt = 0;
    } catch (error) {
      recipient.attempt += 1;
      if (closed) return;
      if (recipient.attempt >= options.retryAttempts) {
        log.error({ err: error, channel: recipient.channel, userId: recipient.userId }, "delivery failed after the last retry");
        recipient.attempt = 0;
        return;
      }
      const delayMs = options.retryBaseMs * 2 ** (recipient.attempt - 1);
      log.warn({ err: error, channel: recipient.channel, userId: recipient.userId, delayMs }, "delivery will be retried");
      recipient.timer = setTimeout(() => wake(recipient), delayMs);
    } finally {
      hold.stop();
      await lock.release();
    }
  }

  function wake(recipient: Recipient): void {
    recipient.timer = null;
    if (!closed) start(keyOf(recipient), recipient);
  }

  return {
    async dispatch(items: OutboxItem[]) {
      if (closed) return;
      for (const batch of groupOutboxByRecipient(items)) {
        const key = keyOf(batch);
        const known = recipients.get(key);
        if (known) {
          known.lastOutboxId = Math.max(known.lastOutboxId, batch.lastOutboxId);
          known.again = true;
          continue;
        }
        const recipient: Recipient = { ...batch, attempt: 0, running: null, timer: null, again: false };
        recipients.set(key, recipient);
        start(key, recipient);
      }
    },
    idle() {
      if (recipients.size === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
    async close() {
      closed = true;
      for (const recipient of recipients.values()) if (recipient.timer) clearTimeout(recipient.timer);
      await Promise.all([...recipients.values()].map((recipient) => recipient.running));
    },
  };
}
