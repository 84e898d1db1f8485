import { DelayedError, type Job, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { createRedisLocks } from "../channels/shared/redisLocks.js";
import { createSendRate } from "../broadcasts/sendRate.js";
import type { Database } from "../persistence/openDatabase.js";
import type { ChannelDelivery, DeliveryChannel } from "./channelDelivery.js";
import { deliverRecipientOutbox } from "./deliverRecipientOutbox.js";
import { RetryableDeliveryError } from "./errors.js";
import { keepHolding, recipientLockName, recipientLockTtlMs } from "./recipientLock.js";
import { bullPrefix, deliveryJobSchema, outboundQueueName, replyRateChannel, type DeliveryJob } from "./outboundQueue.js";

export type OutboundWorkersOptions = {
  redisUrl: string;
  redisPrefix: string;
  db: Database;
  /** One per configured channel (createZaloDelivery, createMessengerDelivery). */
  deliveries: readonly ChannelDelivery[];
  /** MESSENGER_RATE_PER_SECOND / ZALO_RATE_PER_SECOND: delivery jobs started per second per channel (BullMQ limiter). */
  ratePerSecond: Partial<Record<DeliveryChannel, number>>;
  log: Logger;
  /** Recipients served at once per channel and process. */
  concurrency?: number;
  lockTtlMs?: number;
  /** When another worker holds the recipient, look again after this long (not counted as an attempt). */
  busyRetryMs?: number;
};

export type OutboundWorkers = { close(): Promise<void> };

/**
 * BullMQ workers that deliver the outbox: each job takes the recipient's Redis lock and drains that person's
 * pending rows in order; retryable failures throw so BullMQ retries with exponential backoff.
 */
export function startOutboundWorkers(options: OutboundWorkersOptions): OutboundWorkers {
  const log = options.log.child({ component: "outbound-workers" });
  const lockRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const workerRedis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const locks = createRedisLocks(lockRedis, options.redisPrefix);
  const sendRate = createSendRate(lockRedis, options.redisPrefix);
  const lockTtlMs = options.lockTtlMs ?? recipientLockTtlMs;
  const busyRetryMs = options.busyRetryMs ?? 250;

  const workers = options.deliveries.map((delivery) => {
    const channel = delivery.channel;
    const rate = options.ratePerSecond[channel];
    const worker = new Worker<DeliveryJob>(
      outboundQueueName(channel),
      async (job: Job<DeliveryJob>, token?: string) => {
        const data = deliveryJobSchema.parse(job.data);
        const lock = await locks.tryAcquire(recipientLockName(channel, data.userId), lockTtlMs);
        if (!lock) {
          await job.moveToDelayed(Date.now() + busyRetryMs, token);
          throw new DelayedError();
        }
        // The lock is kept alive while the job runs, not only between sends: one send can wait on a token refresh
        // (up to the token lock's wait) longer than the lock lives, and another job must not take the person then.
        const hold = keepHolding(lock, lockTtlMs);
        try {
          // Replies sent at once by the servers draw on the same budget per second.
          if (rate) await sendRate.take(replyRateChannel(channel), rate);
          const report = await deliverRecipientOutbox({ db: options.db, delivery, log }, data.userId, {
            finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
            lastCoveredId: data.lastOutboxId,
            keepAlive: hold.keepAlive,
          });
          return report;
        } finally {
          hold.stop();
          await lock.release();
        }
      },
      {
        connection: workerRedis,
        prefix: bullPrefix(options.redisPrefix),
        concurrency: options.concurrency ?? 8,
        ...(rate ? { limiter: { max: rate, duration: 1000 } } : {}),
      },
    );
    worker.on("failed", (job, error) => {
      const final = job ? job.attemptsMade >= (job.opts.attempts ?? 1) : true;
      const fields = { channel, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error };
      if (error instanceof RetryableDeliveryError && !final) log.warn(fields, "delivery will be retried");
      else log.error(fields, "delivery job failed");
    });
    worker.on("error", (error) => log.error({ channel, err: error }, "outbound worker error"));
    return worker;
  });

  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all([lockRedis.quit(), workerRedis.quit()]);
    },
  };
}
