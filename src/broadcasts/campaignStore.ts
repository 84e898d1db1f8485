import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { broadcastRecipients, broadcasts, type BroadcastKind, type BroadcastStatus, type RecipientStatus } from "../../db/schema.js";
import type { Actor, AdminScope } from "../admin/scope.js";
import type { Executor } from "../persistence/people.js";
import { audienceSchema, freezeAudience, type Audience, type AudienceInput } from "./audience.js";

export type BroadcastCounts = {
  queued: number;
  sending: number;
  sent: number;
  templateSent: number;
  outsideWindow: number;
  optedOut: number;
  blocked: number;
  failed: number;
  cancelled: number;
};

export type BroadcastView = {
  id: string;
  name: string;
  text: string;
  kind: BroadcastKind;
  status: BroadcastStatus;
  audience: Audience;
  sendAt: Date | null;
  createdBy: string;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  pausedReason: string | null;
  pausedCode: string | null;
  total: number;
  counts: BroadcastCounts;
};

const countKeys: Record<RecipientStatus, keyof BroadcastCounts> = {
  queued: "queued",
  sending: "sending",
  sent: "sent",
  template_sent: "templateSent",
  outside_window: "outsideWindow",
  opted_out: "optedOut",
  blocked: "blocked",
  failed: "failed",
  cancelled: "cancelled",
};

export const emptyCounts = (): BroadcastCounts => ({ queued: 0, sending: 0, sent: 0, templateSent: 0, outsideWindow: 0, optedOut: 0, blocked: 0, failed: 0, cancelled: 0 });

/** Campaigns an actor may see: those made in their scope or inside it (a province admin sees their communes'). */
function broadcastsInScope(scope: AdminScope): SQL | undefined {
  switch (scope.level) {
    case "national":
      return undefined;
    case "province":
      return sql`${broadcasts.scope}->>'provinceCode' = ${scope.provinceCode}`;
    case "commune":
      return sql`${broadcasts.scope}->>'communeCode' = ${scope.communeCode}`;
  }
}

export async function createBroadcast(
  db: Executor,
  actor: Actor,
  input: { name: string; text: string; audience: AudienceInput; sendAt?: Date | undefined; kind?: BroadcastKind; status?: "draft" | "running"; total?: number },
): Promise<{ id: string }> {
  const [row] = await db
    .insert(broadcasts)
    .values({
      name: input.name,
      text: input.text,
      audience: audienceSchema.parse(input.audience),
      scope: actor.scope,
      kind: input.kind ?? "manual",
      status: "draft",
      sendAt: input.sendAt ?? null,
      createdByAccountId: actor.accountId,
      createdBy: actor.label,
    })
    .returning({ id: broadcasts.id });
  if (!row) throw new Error("could not create the broadcast");
  return row;
}

/** Recipient counts by status: the truth the console shows, never an estimate. */
export async function recipientCounts(db: Executor, broadcastIds: string[]): Promise<Map<string, BroadcastCounts>> {
  const result = new Map<string, BroadcastCounts>();
  if (broadcastIds.length === 0) return result;
  const rows = await db
    .select({ broadcastId: broadcastRecipients.broadcastId, status: broadcastRecipients.status, count: sql<number>`count(*)`.mapWith(Number) })
    .from(broadcastRecipients)
    .where(inArray(broadcastRecipients.broadcastId, broadcastIds))
    .groupBy(broadcastRecipients.broadcastId, broadcastRecipients.status);
  for (const row of rows) {
    const counts = result.get(row.broadcastId) ?? emptyCounts();
    counts[countKeys[row.status]] += row.count;
    result.set(row.broadcastId, counts);
  }
  return result;
}

type BroadcastRow = typeof broadcasts.$inferSelect;

function toView(row: BroadcastRow, counts: BroadcastCounts | undefined): BroadcastView {
  const filled = counts ?? emptyCounts();
  return {
    id: row.id,
    name: row.name,
    text: row.text,
    kind: row.kind,
    status: row.status,
    audience: audienceSchema.parse(row.audience),
    sendAt: row.sendAt,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    pausedReason: row.pausedReason,
    pausedCode: row.pausedCode,
    total: row.total ?? Object.values(filled).reduce((sum, value) => sum + value, 0),
    counts: filled,
  };
}

export async function getBroadcast(db: Executor, actor: Actor, id: string): Promise<BroadcastView | null> {
  const [row] = await db
    .select()
    .from(broadcasts)
    .where(and(eq(broadcasts.id, id), broadcastsInScope(actor.scope)));
  if (!row) return null;
  return toView(row, (await recipientCounts(db, [id])).get(id));
}

export async function listBroadcasts(db: Executor, actor: Actor, paging: { page: number; pageSize: number }): Promise<{ items: BroadcastView[]; total: number }> {
  const where = broadcastsInScope(actor.scope);
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(broadcasts)
      .where(where)
      .orderBy(desc(broadcasts.createdAt))
      .limit(paging.pageSize)
      .offset((paging.page - 1) * paging.pageSize),
    db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(broadcasts).where(where),
  ]);
  const counts = await recipientCounts(
    db,
    rows.map((row) => row.id),
  );
  return { items: rows.map((row) => toView(row, counts.get(row.id))), total: count?.total ?? 0 };
}

export type TransitionResult = { status: "ok"; view: BroadcastView } | { status: "notFound" } | { status: "conflict"; current: BroadcastStatus };

export type CampaignAction = "send" | "pause" | "resume" | "cancel";

/**
 * The allowed moves (any other → 409): send starts a draft now, or schedules it when it has a future send time;
 * send on a scheduled campaign starts it now; pause ⇄ resume; cancel from scheduled, running or paused.
 */
const allowedFrom: Record<CampaignAction, BroadcastStatus[]> = {
  send: ["draft", "scheduled"],
  pause: ["running"],
  resume: ["paused"],
  cancel: ["scheduled", "running", "paused"],
};

/**
 * Applies an action with conditional updates, so two admins (or an admin and a worker) racing never both win.
 * Starting freezes the audience into recipient rows in the same transaction. `enqueue` runs after the commit.
 */
export async function applyCampaignAction(
  db: Executor,
  actor: Actor,
  id: string,
  action: CampaignAction,
  now: Date,
): Promise<TransitionResult & { enqueue?: { broadcastId: string; round: number } }> {
  const outcome = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(broadcasts)
      .where(and(eq(broadcasts.id, id), broadcastsInScope(actor.scope)))
      .for("update");
    if (!row) return { status: "notFound" as const };
    if (!allowedFrom[action].includes(row.status)) return { status: "conflict" as const, current: row.status };
    switch (action) {
      case "send": {
        if (row.status === "draft" && row.sendAt && row.sendAt.getTime() > now.getTime()) {
          await tx.update(broadcasts).set({ status: "scheduled", updatedAt: now }).where(eq(broadcasts.id, id));
          return { status: "ok" as const };
        }
        const round = await startFrozen(tx, row, now);
        return { status: "ok" as const, enqueue: { broadcastId: id, round } };
      }
      case "pause":
        await tx.update(broadcasts).set({ status: "paused", pausedReason: null, pausedCode: null, updatedAt: now }).where(eq(broadcasts.id, id));
        return { status: "ok" as const };
      case "resume": {
        const round = row.round + 1;
        await tx.update(broadcasts).set({ status: "running", pausedReason: null, pausedCode: null, round, updatedAt: now }).where(eq(broadcasts.id, id));
        return { status: "ok" as const, enqueue: { broadcastId: id, round } };
      }
      case "cancel":
        await tx.update(broadcasts).set({ status: "cancelled", finishedAt: now, updatedAt: now }).where(eq(broadcasts.id, id));
        // The row lock above waited for every send in flight (they hold a share lock on it while sending), so a
        // recipient still "sending" now was claimed but not sent, and never will be.
        await tx
          .update(broadcastRecipients)
          .set({ status: "cancelled", doneAt: now })
          .where(and(eq(broadcastRecipients.broadcastId, id), inArray(broadcastRecipients.status, ["queued", "sending"])));
        return { status: "ok" as const };
    }
  });
  if (outcome.status !== "ok") return outcome;
  const view = await getBroadcast(db, actor, id);
  if (!view) return { status: "notFound" };
  return { status: "ok", view, ...(outcome.enqueue ? { enqueue: outcome.enqueue } : {}) };
}

/** Moves a draft or scheduled campaign (its row locked by the caller) to running with its audience frozen; returns the round. */
export async function startFrozen(tx: Executor, row: BroadcastRow, now: Date): Promise<number> {
  const audience = audienceSchema.parse(row.audience);
  const total = row.kind === "manual" ? await freezeAudience(tx, row.id, row.scope as AdminScope, audience, now) : (row.total ?? 0);
  const round = row.round + 1;
  await tx.update(broadcasts).set({ status: "running", total, startedAt: now, round, updatedAt: now }).where(eq(broadcasts.id, row.id));
  return round;
}

/** A running campaign with nobody left queued or being sent is finished (conditional: whoever sees it first). */
export async function finishIfDone(db: Executor, id: string, now: Date): Promise<boolean> {
  const result = await db
    .update(broadcasts)
    .set({ status: "finished", finishedAt: now, updatedAt: now })
    .where(
      and(
        eq(broadcasts.id, id),
        eq(broadcasts.status, "running"),
        sql`not exists (select 1 from ${broadcastRecipients} where ${broadcastRecipients.broadcastId} = ${id} and ${broadcastRecipients.status} in ('queued', 'sending'))`,
      ),
    )
    .returning({ id: broadcasts.id });
  return result.length > 0;
}

/** Pauses a running campaign by itself, with the reason the console shows. */
export async function autoPause(db: Executor, id: string, reason: "errors" | "quota" | "token", code: string | null, now: Date): Promise<boolean> {
  const result = await db
    .update(broadcasts)
    .set({ status: "paused", pausedReason: reason, pausedCode: code, updatedAt: now })
    .where(and(eq(broadcasts.id, id), eq(broadcasts.status, "running")))
    .returning({ id: broadcasts.id });
  return result.length > 0;
}
