import { sql } from "drizzle-orm";
import { Redis } from "ioredis";
import type { Config } from "./config.js";
import { loadFlowCatalog, type FlowCatalog } from "./conversation/flowDefinitions.js";
import type { ConversationInbox, OutboundDispatcher } from "./conversation/ports.js";
import { createTurnProcessor } from "./turns/turnProcessor.js";
import { createMemoryTurnLock, createRedisTurnLock } from "./turns/turnLock.js";
import type { ChannelName } from "./conversation/types.js";
import { createWorldProvider, type WorldProvider } from "./turns/worldProvider.js";
import { createTranslator, type Translate } from "./i18n.js";
import type { Logger } from "./logger.js";
import { pendingOutboxOlderThan, purgeHandledEvents, purgeIdleConversations, stalledIdentities } from "./persistence/conversationStore.js";
import { migrate } from "./persistence/migrate.js";
import { openDatabase, type DatabaseHandle } from "./persistence/openDatabase.js";
import { seedReferenceData } from "./persistence/seedReferenceData.js";
import { demoFormerCommunes, seedFormerCommunes } from "./persistence/formerCommunes.js";
import { buildOutboundDelivery, type OutboundDelivery } from "./jobs/buildOutboundDelivery.js";
import { recoverInterruptedOutbox } from "./jobs/recoverInterruptedOutbox.js";
import { createBroadcasting, type Broadcasting } from "./broadcasts/broadcasting.js";
import type { ReminderDeps } from "./broadcasts/reminders.js";

/** Everything a server or worker process shares, built once from the configuration. */
export type Runtime = {
  config: Config;
  logger: Logger;
  catalog: FlowCatalog;
  database: DatabaseHandle;
  redis: Redis | null;
  inbox: ConversationInbox;
  worlds: WorldProvider;
  translate: Translate;
  dispatchers: Partial<Record<ChannelName, OutboundDispatcher>>;
  delivery: OutboundDelivery;
  broadcasting: Broadcasting;
  ready: () => Promise<boolean>;
  close: () => Promise<void>;
};

export async function createRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const catalog = loadFlowCatalog();
  const { translate } = createTranslator();
  const database = await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    schemaName: config.DATABASE_SCHEMA,
    onPoolError: (error) => logger.warn({ err: error }, "a database connection was lost; the next query reconnects"),
  });
  const { applied } = await migrate(database);
  if (applied.length > 0) logger.info({ applied }, "database migrated");
  if ((await seedReferenceData(database.db)).seeded) logger.info("reference data seeded: 34 provinces, demo communes and branches");
  if (await seedFormerCommunes(database.db, demoFormerCommunes())) logger.info("the demo communes' former communes (before July 2025) seeded");
  logger.info({ database: database.kind === "pglite" ? `embedded PGlite in ${config.DATA_DIR}` : "PostgreSQL" }, "database ready");

  let redis: Redis | null = null;
  if (config.REDIS_URL) {
    redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false, enableAutoPipelining: true });
    redis.on("error", (error) => logger.error({ err: error.message }, "redis error"));
  } else {
    logger.warn("REDIS_URL is not set: turn locks and queues are kept in this process only; run a single process");
  }
  const lock = redis ? createRedisTurnLock(redis, { prefix: config.REDIS_PREFIX, ttlMs: config.TURN_LOCK_MS }) : createMemoryTurnLock();
  const worlds = createWorldProvider({ db: database.db, catalog, translate, fixedYear: config.REGISTRATION_YEAR });
  const delivery = buildOutboundDelivery({ config, db: database.db, log: logger });
  const dispatchers: Partial<Record<ChannelName, OutboundDispatcher>> = { zalo: delivery.dispatcher, messenger: delivery.dispatcher };
  const broadcasting = createBroadcasting({ config, db: database.db, databaseKind: database.kind, redis, platforms: delivery.platforms, translate, logger });
  const inbox = createTurnProcessor({ db: database.db, lock, world: worlds.world, dispatchers, logger, maxAttempts: config.TURN_MAX_ATTEMPTS });
  return {
    config,
    logger,
    catalog,
    database,
    redis,
    inbox,
    worlds,
    translate,
    dispatchers,
    delivery,
    broadcasting,
    ready: async () => {
      await database.db.execute(sql`select 1`);
      if (redis) await redis.ping();
      return true;
    },
    close: async () => {
      await broadcasting.close();
      await delivery.close();
      if (redis) await redis.quit().catch(() => undefined);
      await database.close();
    },
  };
}

/** What the scheduled reminders need from a runtime. */
export function reminderDeps(runtime: Runtime): ReminderDeps {
  return { db: runtime.database.db, queue: runtime.broadcasting.queue, translate: runtime.translate, config: runtime.config, logger: runtime.logger };
}

/**
 * Handles events that were recorded but never handled (the process that took them died, or their turn failed): the
 * platform got its 200, so nobody else will bring them back. Each person on their own: one person's failing turn
 * never keeps the sweep from the people after them.
 */
export async function sweepStalledEvents(runtime: Runtime, olderThan: Date): Promise<{ people: number; failed: number }> {
  const identities = await stalledIdentities(runtime.database.db, olderThan);
  let failed = 0;
  for (const identity of identities) {
    try {
      await runtime.inbox.drain(identity);
    } catch {
      failed++; // logged by the turn processor, with the attempt count
    }
  }
  return { people: identities.length, failed };
}

/**
 * The outbox relay: committed rows still pending after a while are handed to delivery again, whoever committed them,
 * so a crash between a turn's commit and its dispatch loses no reply. Handing rows over twice is harmless (one job
 * id per recipient and last row; a row is sent once under the recipient lock and marked before the next).
 */
export async function relayPendingOutbox(runtime: Runtime, olderThan: Date): Promise<number> {
  const items = await pendingOutboxOlderThan(runtime.database.db, olderThan, Object.keys(runtime.dispatchers));
  await runtime.delivery.queue.dispatch(items);
  return items.length;
}

/** Every SWEEP_EVERY_MS: stalled events drained, then pending outbox rows relayed, each older than STALLED_AFTER_MS. */
export function startStalledEventSweeper(runtime: Runtime, options: { everyMs?: number; olderThanMs?: number } = {}): () => void {
  const everyMs = options.everyMs ?? runtime.config.SWEEP_EVERY_MS;
  const olderThanMs = options.olderThanMs ?? runtime.config.STALLED_AFTER_MS;
  let running = false;
  let purgedAt = 0;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    if (Date.now() - purgedAt > 3600_000) {
      purgedAt = Date.now();
      // A conversation left alone SESSION_TTL_DAYS is forgotten; a later message resumes from the registration.
      const day = 24 * 3600_000;
      await purgeIdleConversations(runtime.database.db, new Date(Date.now() - runtime.config.SESSION_TTL_DAYS * day)).catch((error: unknown) =>
        runtime.logger.error({ err: error }, "purging idle conversations failed"),
      );
      const retention = runtime.config.INBOUND_RETENTION_DAYS * day;
      await purgeHandledEvents(runtime.database.db, { textsBefore: new Date(Date.now() - retention), rowsBefore: new Date(Date.now() - 2 * retention) })
        .then((purged) => runtime.logger.info(purged, "old handled messages purged"))
        .catch((error: unknown) => runtime.logger.error({ err: error }, "purging old handled messages failed"));
    }
    try {
      await sweepStalledEvents(runtime, new Date(Date.now() - olderThanMs));
    } catch (error) {
      runtime.logger.error({ err: error }, "stalled event sweep failed");
    }
    try {
      const interrupted = await recoverInterruptedOutbox(
        { db: runtime.database.db, deliveries: runtime.delivery.deliveries, confirmByEcho: runtime.config.OUTBOX_CONFIRM_BY_ECHO, locks: runtime.delivery.locks },
        new Date(Date.now() - runtime.config.OUTBOX_INTERRUPTED_AFTER_MS),
      );
      if (interrupted.confirmed.length > 0) {
        runtime.logger.info({ outboxIds: interrupted.confirmed }, "outbox rows cut mid-send had reached the platform (its echoes say so): marked sent");
      }
      if (interrupted.resumed.length > 0) {
        runtime.logger.warn({ outboxIds: interrupted.resumed }, "outbox rows cut mid-send: sent again from the first part the platform did not echo");
      }
      if (interrupted.givenUp.length > 0) {
        runtime.logger.warn({ outboxIds: interrupted.givenUp }, "outbox rows claimed by a worker that stopped mid-send: given up, not sent twice");
      }
      const relayed = await relayPendingOutbox(runtime, new Date(Date.now() - olderThanMs));
      if (relayed > 0) runtime.logger.info({ relayed }, "pending outbox rows handed to delivery again");
    } catch (error) {
      runtime.logger.error({ err: error }, "outbox relay failed");
    } finally {
      running = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
