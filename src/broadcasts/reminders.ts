import { Queue, Worker } from "bullmq";
import { eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { broadcasts, registrations } from "../../db/schema.js";
import { tokenActor } from "../admin/scope.js";
import type { Config } from "../config.js";
import type { Translate } from "../i18n.js";
import { digestDay } from "../jobs/digestJob.js";
import { bullPrefix } from "../jobs/outboundQueue.js";
import type { Logger } from "../logger.js";
import type { Database } from "../persistence/openDatabase.js";
import { registrationYear } from "../turns/worldProvider.js";
import { affectedRows, audienceSchema, freezeAudience, windowOpenSql, type AudienceInput } from "./audience.js";
import type { BroadcastQueue } from "./broadcastQueue.js";
import { createBroadcast } from "./campaignStore.js";

export type ReminderDeps = { db: Database; queue: BroadcastQueue; translate: Translate; config: Config; logger: Logger };
export type ReminderRun = { broadcastId: string | null; recipients: number };


/**
 * Makes one reminder campaign: the people `candidates` selects (a query over registrations r, people p and
 * channel_identities) that have no reminder of this kind and period yet are recorded in reminder_log and frozen
 * as the campaign's recipients in one transaction, then the campaign runs like any other (same accounting, console
 * page and cancel). Nobody new → no campaign.
 */
async function createReminderCampaign(
  deps: ReminderDeps,
  input: { kind: "nudge" | "renewal"; period: string; name: string; text: string; audience: AudienceInput; candidates: ReturnType<typeof sql> },
  now: Date,
): Promise<ReminderRun> {
  const { db } = deps;
  const result = await db.transaction(async (tx) => {
    const { id } = await createBroadcast(tx, tokenActor, { name: input.name, text: input.text, audience: input.audience, kind: input.kind });
    const logged = await tx.execute(sql`
      insert into reminder_log (kind, person_id, period, broadcast_id)
      select distinct ${input.kind}, r.person_id, ${input.period}, ${id}::uuid
      from registrations r
      join people p on p.id = r.person_id
      join channel_identities on channel_identities.person_id = r.person_id
      where p.reminders_off_at is null and ${input.candidates}
      on conflict do nothing`);
    if (affectedRows(logged) === 0) {
      await tx.delete(broadcasts).where(eq(broadcasts.id, id));
      return { broadcastId: null, recipients: 0 };
    }
    const mine = sql`${registrations.personId} in (select person_id from reminder_log where broadcast_id = ${id}::uuid)`;
    const total = await freezeAudience(tx, id, { level: "national" }, audienceSchema.parse(input.audience), now, mine);
    await tx.update(broadcasts).set({ status: "running", total, startedAt: now, round: 1, updatedAt: now }).where(eq(broadcasts.id, id));
    return { broadcastId: id, recipients: total };
  });
  if (result.broadcastId) {
    await deps.queue.enqueue(result.broadcastId, 1);
    deps.logger.info({ kind: input.kind, period: input.period, ...result }, "reminder campaign started");
  }
  return result;
}

/**
 * The gentle nudge, once per person and year: a draft left alone REMINDER_NUDGE_AFTER_HOURS, sent only while the
 * free window is still open on Messenger or Zalo (the web chat cannot be reached until they come back).
 */
export function runNudges(deps: ReminderDeps, now: Date): Promise<ReminderRun> {
  const year = deps.config.REGISTRATION_YEAR ?? registrationYear(now.getTime());
  const quietSince = new Date(now.getTime() - deps.config.REMINDER_NUDGE_AFTER_HOURS * 3600_000).toISOString();
  const candidates = sql`r.year = ${year} and r.status = 'draft' and channel_identities.channel in ('messenger', 'zalo')
    and channel_identities.last_inbound_at <= ${quietSince}::timestamptz and ${windowOpenSql(now)}
    and not exists (select 1 from channel_identities newer where newer.person_id = r.person_id and newer.last_inbound_at > ${quietSince}::timestamptz)`;
  return createReminderCampaign(
    deps,
    { kind: "nudge", period: String(year), name: deps.translate("vi", "admin:broadcasts.reminderName.nudge", { date: digestDay(now) }), text: deps.translate("vi", "reminders.nudge", { name: "{{name}}", year }), audience: { year, status: "draft" }, candidates },
    now,
  );
}

/** The year-end call, once per person and year, from REMINDER_RENEWAL_DATE on: registered this year, not yet next year. */
export function runRenewal(deps: ReminderDeps, now: Date): Promise<ReminderRun> {
  const today = digestDay(now);
  const year = Number(today.slice(0, 4));
  if (today.slice(5) < deps.config.REMINDER_RENEWAL_DATE) return Promise.resolve({ broadcastId: null, recipients: 0 });
  const next = year + 1;
  const candidates = sql`r.year = ${year} and r.status in ('submitted', 'confirmed', 'needs_info')
    and not exists (select 1 from registrations later where later.person_id = r.person_id and later.year = ${next})`;
  return createReminderCampaign(
    deps,
    { kind: "renewal", period: String(next), name: deps.translate("vi", "admin:broadcasts.reminderName.renewal", { year: next }), text: deps.translate("vi", "reminders.renewal", { name: "{{name}}", year: next }), audience: { year }, candidates },
    now,
  );
}

/**
 * Nudges every hour and the renewal call every day at 09:00 (Asia/Ho_Chi_Minh): BullMQ job schedulers with Redis
 * (one run across every process), a timer without. Both are idempotent by (kind, person, period).
 */
export async function startReminderSchedules(deps: ReminderDeps): Promise<() => Promise<void>> {
  const { config, logger } = deps;
  if (!config.REMINDERS_ENABLED) return async () => undefined;
  const run = async (name: string) => {
    if (name === "nudge") await runNudges(deps, new Date());
    else await runRenewal(deps, new Date());
  };
  if (config.REDIS_URL) {
    const connection = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    const prefix = bullPrefix(config.REDIS_PREFIX);
    const schedules = new Queue("reminder-schedules", { connection, prefix });
    await schedules.upsertJobScheduler("nudge", { pattern: "5 * * * *", tz: "Asia/Ho_Chi_Minh" }, { name: "nudge" });
    await schedules.upsertJobScheduler("renewal", { pattern: "0 9 * * *", tz: "Asia/Ho_Chi_Minh" }, { name: "renewal" });
    const worker = new Worker("reminder-schedules", (job) => run(job.name), { connection, prefix, concurrency: 1 });
    worker.on("failed", (_job, error) => logger.error({ err: error }, "reminder schedule failed"));
    return async () => {
      await worker.close();
      await schedules.close();
      await connection.quit().catch(() => undefined);
    };
  }
  const timer = setInterval(() => {
    for (const name of ["nudge", "renewal"]) run(name).catch((error: unknown) => logger.error({ err: error }, "reminder schedule failed"));
  }, 3600_000);
  timer.unref();
  return async () => clearInterval(timer);
}
