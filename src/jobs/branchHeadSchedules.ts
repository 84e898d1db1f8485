import { Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Runtime } from "../runtime.js";
import { runDailyDigest } from "./digestJob.js";
import { runEscalation } from "./escalationJob.js";
import { bullPrefix } from "./outboundQueue.js";

/**
 * The daily digest to branch heads (08:00 Asia/Ho_Chi_Minh) and the escalation of long-pending registrations.
 * With Redis: BullMQ job schedulers, so one run a day across every process. Without: a timer in this process.
 * Both jobs are idempotent per day, so a repeated run sends nothing twice.
 */
export async function startBranchHeadSchedules(runtime: Runtime): Promise<() => Promise<void>> {
  const { config, logger } = runtime;
  const digestDeps = { db: runtime.database.db, translate: runtime.translate, dispatchers: runtime.dispatchers, logger };
  const escalationDeps = { db: runtime.database.db, logger, escalateAfterDays: config.ESCALATE_AFTER_DAYS };
  const runBoth = async () => {
    await runDailyDigest(digestDeps, new Date());
    await runEscalation(escalationDeps, new Date());
  };
  if (config.REDIS_URL) {
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const schedules = new Queue("branch-head-schedules", { connection, prefix });
    await schedules.upsertJobScheduler("daily-digest", { pattern: "0 8 * * *", tz: "Asia/Ho_Chi_Minh" }, { name: "digest" });
    const worker = new Worker("branch-head-schedules", () => runBoth(), { connection, prefix, concurrency: 1 });
    worker.on("failed", (_job, error) => logger.error({ err: error.message }, "branch-head schedule failed"));
    return async () => {
      await worker.close();
      await schedules.close();
      await connection.quit().catch(() => undefined);
    };
  }
  const timer = setInterval(() => {
    const hour = Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Ho_Chi_Minh", hour: "numeric", hourCycle: "h23" }).format(new Date()));
    if (hour >= 8) runBoth().catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, "branch-head schedule failed"));
  }, 10 * 60_000);
  timer.unref();
  return async () => clearInterval(timer);
}
