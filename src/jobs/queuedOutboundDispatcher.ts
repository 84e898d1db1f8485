import { Queue } from "bullmq";
import { Redis } from "ioredis";
import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import type { DeliveryChannel } from "./channelDelivery.js";
import { groupOutboxByRecipient } from "./groupOutboxByRecipient.js";
import { bullPrefix, deliveryJobId, outboundQueueName, type DeliveryJob } from "./outboundQueue.js";

export type QueuedOutboundDispatcherOptions = {
  redisUrl: string;
  /** REDIS_PREFIX: every key (BullMQ's too) lives under it. */
  redisPrefix: string;
  /** SEND_RETRY_ATTEMPTS and SEND_RETRY_BASE_MS: exponential backoff base · 2^(n-1). */
  retryAttempts: number;
  retryBaseMs: number;
};

export type QueuedOutboundDispatcher = OutboundDispatcher & {
  /** `delayMs`: the job waits that long first (after a retryable failure outside the queue). */
  dispatch(items: OutboxItem[], options?: { delayMs?: number }): Promise<void>;
  close(): Promise<void>;
};

/**
 * Hands committed outbox rows to BullMQ: one job per recipient with the id `${channel}:${userId}:${maxOutboxId}`,
 * so handing the same rows over twice is harmless. The rows stay the truth; the job only says "drain this person".
 */
export function createQueuedOutboundDispatcher(options: QueuedOutboundDispatcherOptions): QueuedOutboundDispatcher {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const queues = new Map<DeliveryChannel, Queue<DeliveryJob>>();
  const queueFor = (channel: DeliveryChannel) => {
    let queue = queues.get(channel);
    if (!queue) {
      queue = new Queue<DeliveryJob>(outboundQueueName(channel), { connection, prefix: bullPrefix(options.redisPrefix) });
      queues.set(channel, queue);
    }
    return queue;
  };
  return {
    async dispatch(items: OutboxItem[], dispatchOptions: { delayMs?: number } = {}) {
      for (const batch of groupOutboxByRecipient(items)) {
        await queueFor(batch.channel).add(
          "deliver",
          { userId: batch.userId, lastOutboxId: batch.lastOutboxId },
          {
            jobId: deliveryJobId(batch.channel, batch.userId, batch.lastOutboxId),
            attempts: options.retryAttempts,
            backoff: { type: "exponential", delay: options.retryBaseMs },
            ...(dispatchOptions.delayMs ? { delay: dispatchOptions.delayMs } : {}),
            // The rows are the truth and the job id only deduplicates hand-overs in flight: nothing is kept once done.
            removeOnComplete: true,
            removeOnFail: { age: 7 * 24 * 3600 },
          },
        );
      }
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await connection.quit();
    },
  };
}
