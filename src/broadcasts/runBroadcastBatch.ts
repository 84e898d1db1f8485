import { and, asc, eq, gt, lt, lte, gte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import { broadcastRecipients, broadcasts } from "../../db/schema.js";
import { describeFailure, type SendFailure } from "../channels/shared/sendFailure.js";
import type { ChannelName } from "../conversation/types.js";
import type { Database } from "../persistence/openDatabase.js";
import type { Executor } from "../persistence/people.js";
import { autoPause, finishIfDone } from "./campaignStore.js";
import { quietUntil, type QuietHours } from "./quietHours.js";
import type { SendRate } from "./sendRate.js";
import { sendToRecipient, type Campaign, type SenderDeps } from "./sendToRecipient.js";

/** One job: the queued recipients of one channel with ids in [fromId, toId], for one run (round) of a campaign. */
export const broadcastJobSchema = z.object({
  broadcastId: z.uuid(),
  round: z.number().int(),
  channel: z.enum(["web", "zalo", "messenger"]),
  fromId: z.number().int(),
  toId: z.number().int(),
});
export type BroadcastJob = z.infer<typeof broadcastJobSchema>;

export type RunnerDeps = Omit<SenderDeps, "db"> & {
  db: Database;
  rate: SendRate;
  ratePerSecond: Record<ChannelName, number>;
  quiet: QuietHours;
  pauseAfterErrors: number;
  /** PostgreSQL: hold a share lock on the campaign row while sending (pause and cancel wait for sends in flight). */
  lockWhileSending: boolean;
  now: () => Date;
  log: Logger;
};

export type BatchResult =
  | { kind: "done"; sent: number }
  /** The campaign is no longer running (paused, cancelled, finished): the rest waits for a resume. */
  | { kind: "stopped"; sent: number }
  /** Quiet hours, or the platform's night rule: run again at `until`. */
  | { kind: "wait"; until: Date; sent: number }
  /** Some recipients met a passing failure (rate limit, outage) and are queued again: retry the job with backoff. */
  | { kind: "retry"; failure: SendFailure; sent: number };

/** Sends under way in this process without the campaign lock (embedded PGlite), by campaign. */
const inFlight = new Map<string, Set<Promise<unknown>>>();

function trackInFlight<T>(broadcastId: string, promise: Promise<T>): Promise<T> {
  const set = inFlight.get(broadcastId) ?? new Set();
  inFlight.set(broadcastId, set);
  set.add(promise);
  const forget = () => {
    set.delete(promise);
    if (set.size === 0) inFlight.delete(broadcastId);
  };
  promise.then(forget, forget);
  return promise;
}

/**
 * Resolves once the sends this process had under way for a campaign are done: with embedded PGlite (one process,
 * no lock held over a send) pause and cancel wait for them, so nothing is sent after they return.
 */
export async function sendsSettled(broadcastId: string): Promise<void> {
  await Promise.allSettled([...(inFlight.get(broadcastId) ?? [])]);
}

/** Marks recipients claimed by a worker that died mid-send (claimed more than `interruptedAfterMs` ago) as failed: at most once, never sent twice. */
export async function failInterrupted(db: Database, broadcastId: string, now: Date, interruptedAfterMs: number): Promise<number> {
  const rows = await db
    .update(broadcastRecipients)
    .set({ status: "failed", errorCode: "interrupted", doneAt: now })
    .where(
      and(
        eq(broadcastRecipients.broadcastId, broadcastId),
        eq(broadcastRecipients.status, "sending"),
        lt(broadcastRecipients.claimedAt, new Date(now.getTime() - interruptedAfterMs)),
      ),
    )
    .returning({ id: broadcastRecipients.id });
  return rows.length;
}

/**
 * Sends one job's recipients. Each recipient is claimed (queued → sending) in its own committed statement before
 * anything is sent, so a retry, a second worker or a restart never sends to them again; the send itself runs in a
 * transaction holding a share lock on the campaign row, so pause and cancel (which update that row) wait for the
 * sends in flight and nothing is sent once they return. The campaign's status is read before every recipient.
 */
export async function runBroadcastBatch(deps: RunnerDeps, job: BroadcastJob): Promise<BatchResult> {
  const { db, log } = deps;
  const [row] = await db.select().from(broadcasts).where(eq(broadcasts.id, job.broadcastId));
  if (!row || row.status !== "running") return { kind: "stopped", sent: 0 };
  const campaign: Campaign = { id: row.id, name: row.name, text: row.text, kind: row.kind };
  let sent = 0;
  let consecutiveErrors = 0;
  let lastFailure: SendFailure | null = null;
  let cursor = job.fromId - 1;
  const inRange = and(
    eq(broadcastRecipients.broadcastId, job.broadcastId),
    eq(broadcastRecipients.channel, job.channel),
    gte(broadcastRecipients.id, job.fromId),
    lte(broadcastRecipients.id, job.toId),
  );

  for (;;) {
    const page = await db
      .select({ id: broadcastRecipients.id, personId: broadcastRecipients.personId, channel: broadcastRecipients.channel, userId: broadcastRecipients.userId })
      .from(broadcastRecipients)
      .where(and(inRange, eq(broadcastRecipients.status, "queued"), gt(broadcastRecipients.id, cursor)))
      .orderBy(asc(broadcastRecipients.id))
      .limit(50);
    if (page.length === 0) break;
    for (const recipient of page) {
      cursor = recipient.id;
      const quietEnd = quietUntil(deps.quiet, deps.now());
      if (quietEnd) return { kind: "wait", until: quietEnd, sent };
      await deps.rate.take(job.channel, deps.ratePerSecond[job.channel]);
      const now = deps.now();
      const claimed = await db
        .update(broadcastRecipients)
        .set({ status: "sending", claimedAt: now })
        .where(
          and(
            eq(broadcastRecipients.id, recipient.id),
            eq(broadcastRecipients.status, "queued"),
            sql`exists (select 1 from ${broadcasts} where ${broadcasts.id} = ${job.broadcastId} and ${broadcasts.status} = 'running')`,
          ),
        )
        .returning({ id: broadcastRecipients.id });
      if (claimed.length === 0) {
        const [current] = await db.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, job.broadcastId));
        if (current?.status !== "running") return { kind: "stopped", sent };
        continue; // someone else has this recipient
      }
      const handle = async (tx: Executor, lockCampaign: boolean) => {
        const statusQuery = tx.select({ status: broadcasts.status }).from(broadcasts).where(eq(broadcasts.id, job.broadcastId));
        const [current] = lockCampaign ? await statusQuery.for("share") : await statusQuery;
        if (current?.status !== "running") {
          const back = current?.status === "cancelled" ? "cancelled" : "queued";
          await tx
            .update(broadcastRecipients)
            .set({ status: back, claimedAt: null, ...(back === "cancelled" ? { doneAt: now } : {}) })
            .where(eq(broadcastRecipients.id, recipient.id));
          return { stopped: true as const };
        }
        const result = await sendToRecipient({ ...deps, db: tx }, campaign, recipient, now);
        if ("retry" in result) {
          await tx.update(broadcastRecipients).set({ status: "queued", claimedAt: null, errorCode: describeFailure(result.retry).slice(0, 200) }).where(eq(broadcastRecipients.id, recipient.id));
        } else {
          await tx.update(broadcastRecipients).set({ status: result.status, errorCode: result.code, doneAt: deps.now() }).where(eq(broadcastRecipients.id, recipient.id));
        }
        return { result };
      };
      // Embedded PGlite has one connection: a transaction held over an HTTP call would stop every other query (and
      // the Zalo token store reads through `db`), so there the status read before the send is the guard.
      const outcome = deps.lockWhileSending ? await db.transaction((tx) => handle(tx, true)) : await trackInFlight(job.broadcastId, handle(db, false));
      if ("stopped" in outcome) return { kind: "stopped", sent };
      const result = outcome.result;
      if (!("retry" in result)) {
        if (result.status === "failed") {
          consecutiveErrors++;
          log.warn({ broadcastId: job.broadcastId, recipientId: recipient.id, code: result.code }, "broadcast message refused");
        } else {
          consecutiveErrors = 0;
          if (result.status === "sent" || result.status === "template_sent") sent++;
        }
        if (consecutiveErrors >= deps.pauseAfterErrors) {
          await autoPause(db, job.broadcastId, "errors", result.code, deps.now());
          log.error({ broadcastId: job.broadcastId, consecutiveErrors }, "broadcast paused after consecutive errors");
          return { kind: "stopped", sent };
        }
        continue;
      }
      const failure = result.retry;
      lastFailure = failure;
      const code = failure.code === null ? failure.kind : String(failure.code);
      if (failure.kind === "night") return { kind: "wait", until: quietUntil(deps.quiet, deps.now()) ?? new Date(deps.now().getTime() + 30 * 60_000), sent };
      if (failure.kind === "quota" || failure.kind === "tokenInvalid") {
        await autoPause(db, job.broadcastId, failure.kind === "quota" ? "quota" : "token", code, deps.now());
        log.error({ broadcastId: job.broadcastId, kind: failure.kind, code }, "broadcast paused: the platform account cannot send now");
        return { kind: "stopped", sent };
      }
      consecutiveErrors++;
      if (consecutiveErrors >= deps.pauseAfterErrors) {
        await autoPause(db, job.broadcastId, "errors", code, deps.now());
        log.error({ broadcastId: job.broadcastId, consecutiveErrors, kind: failure.kind, code }, "broadcast paused after consecutive errors");
        return { kind: "stopped", sent };
      }
    }
  }
  if (lastFailure) {
    const [left] = await db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(broadcastRecipients)
      .where(and(inRange, eq(broadcastRecipients.status, "queued")));
    if ((left?.n ?? 0) > 0) return { kind: "retry", failure: lastFailure, sent };
  }
  await finishIfDone(db, job.broadcastId, deps.now());
  return { kind: "done", sent };
}
