import { and, eq, lte } from "drizzle-orm";
import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { broadcasts } from "../../db/schema.js";
import type { Config } from "../config.js";
import type { Translate } from "../i18n.js";
import type { PlatformClients } from "../jobs/buildOutboundDelivery.js";
import type { Database } from "../persistence/openDatabase.js";
import { registrationYear } from "../turns/worldProvider.js";
import type { TemplateAvailability } from "./audience.js";
import { createBullBroadcastQueue, createLocalBroadcastQueue, runningProgress, startBroadcastWorkers, type BroadcastQueue } from "./broadcastQueue.js";
import { finishIfDone, startFrozen } from "./campaignStore.js";
import { parseQuietHours, quietUntil } from "./quietHours.js";
import { failInterrupted, sendsSettled, type RunnerDeps } from "./runBroadcastBatch.js";
import { createSendRate } from "./sendRate.js";
import type { BroadcastTemplates } from "./sendToRecipient.js";

/** Everything about sending campaigns a process needs: the queue to hand work to, and (in workers) the runner. */
export type Broadcasting = {
  queue: BroadcastQueue;
  templates: BroadcastTemplates;
  availability: TemplateAvailability;
  deps: RunnerDeps;
  /** Waits for this process's sends in flight for a campaign (after pause or cancel; embedded PGlite only). */
  settle(broadcastId: string): Promise<void>;
  /** Starts scheduled campaigns that are due, gives up on interrupted sends, finishes or re-plans running ones. */
  tick(): Promise<void>;
  /** The workers and the maintenance timer (RUN_WORKERS, npm run worker); returns how to stop them. */
  startWorkers(): () => Promise<void>;
  close(): Promise<void>;
};

/** A running campaign with nothing done for this long (jobs lost with Redis, retries exhausted) is planned again. */
const replanAfterMs = 60_000;

export function broadcastTemplates(config: Config, platforms: PlatformClients): BroadcastTemplates {
  return {
    messenger:
      platforms.messenger && config.MESSENGER_UTILITY_TEMPLATE
        ? { name: config.MESSENGER_UTILITY_TEMPLATE, language: config.MESSENGER_UTILITY_TEMPLATE_LANGUAGE, params: config.MESSENGER_UTILITY_TEMPLATE_PARAMS }
        : null,
    zalo: platforms.zalo && config.ZALO_TEMPLATE_ID ? { templateId: config.ZALO_TEMPLATE_ID, data: config.ZALO_TEMPLATE_DATA, recipient: config.ZALO_TEMPLATE_RECIPIENT } : null,
  };
}

export function createBroadcasting(options: {
  config: Config;
  db: Database;
  /** Which database: PostgreSQL holds a lock on the campaign while sending; embedded PGlite cannot. */
  databaseKind: "postgres" | "pglite";
  redis: Redis | null;
  platforms: PlatformClients;
  translate: Translate;
  logger: Logger;
  now?: () => Date;
}): Broadcasting {
  const { config, db, logger } = options;
  const now = options.now ?? (() => new Date());
  const templates = broadcastTemplates(config, options.platforms);
  const quiet = parseQuietHours(config.BROADCAST_QUIET_HOURS);
  const deps: RunnerDeps = {
    db,
    platforms: options.platforms,
    templates,
    translate: options.translate,
    get year() {
      return config.REGISTRATION_YEAR ?? registrationYear(now().getTime());
    },
    rate: createSendRate(options.redis, config.REDIS_PREFIX),
    ratePerSecond: { messenger: config.BROADCAST_RATE_MESSENGER, zalo: config.BROADCAST_RATE_ZALO, web: config.BROADCAST_RATE_WEB },
    quiet,
    pauseAfterErrors: config.BROADCAST_PAUSE_AFTER_ERRORS,
    lockWhileSending: options.databaseKind === "postgres",
    now,
    log: logger.child({ component: "broadcasts" }),
  };
  const queue = config.REDIS_URL
    ? createBullBroadcastQueue({ db, redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX, batchSize: config.BROADCAST_BATCH_SIZE })
    : createLocalBroadcastQueue({ deps, batchSize: config.BROADCAST_BATCH_SIZE });

  async function tick(): Promise<void> {
    const at = now();
    const due = await db
      .select({ id: broadcasts.id })
      .from(broadcasts)
      .where(and(eq(broadcasts.status, "scheduled"), lte(broadcasts.sendAt, at)));
    for (const { id } of due) {
      const round = await db.transaction(async (tx) => {
        const [row] = await tx.select().from(broadcasts).where(and(eq(broadcasts.id, id), eq(broadcasts.status, "scheduled"))).for("update");
        return row ? startFrozen(tx, row, at) : null;
      });
      if (round !== null) {
        await queue.enqueue(id, round);
        deps.log.info({ broadcastId: id }, "scheduled broadcast started");
      }
    }
    for (const progress of await runningProgress(db)) {
      const interrupted = await failInterrupted(db, progress.broadcastId, at, config.BROADCAST_INTERRUPTED_AFTER_MS);
      if (interrupted > 0) deps.log.warn({ broadcastId: progress.broadcastId, interrupted }, "sends interrupted by a worker that stopped: counted as failed, not sent again");
      if (await finishIfDone(db, progress.broadcastId, at)) continue;
      const lastProgress = progress.lastDoneAt ?? progress.startedAt;
      if (progress.queued > 0 && !quietUntil(quiet, at) && (!lastProgress || at.getTime() - lastProgress.getTime() > replanAfterMs)) {
        const jobs = await queue.enqueue(progress.broadcastId, progress.round);
        deps.log.info({ broadcastId: progress.broadcastId, jobs }, "running broadcast without progress: its queued recipients handed to the workers again");
      }
    }
  }

  return {
    queue,
    templates,
    availability: { messenger: templates.messenger !== null, zalo: templates.zalo?.recipient ?? null },
    deps,
    tick,
    settle: (broadcastId) => (deps.lockWhileSending ? Promise.resolve() : sendsSettled(broadcastId)),
    startWorkers() {
      const workers = config.REDIS_URL ? startBroadcastWorkers({ deps, redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX }) : null;
      let ticking = false;
      const timer = setInterval(() => {
        if (ticking) return;
        ticking = true;
        tick()
          .catch((error: unknown) => deps.log.error({ err: error }, "broadcast maintenance failed"))
          .finally(() => {
            ticking = false;
          });
      }, config.BROADCAST_TICK_MS);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await workers?.close();
      };
    },
    close: () => queue.close(),
  };
}
