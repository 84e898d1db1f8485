import { and, eq, ne } from "drizzle-orm";
import type { Logger } from "pino";
import { branchHeads, headDigests, people, registrations, type DigestStatus } from "../../db/schema.js";
import { headDigestMessage } from "../conversation/headDigestMessage.js";
import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import { dispatchByChannel } from "../turns/dispatchByChannel.js";
import type { ChannelName } from "../conversation/types.js";
import type { Translate } from "../i18n.js";
import { loadDecisionCards, pendingForHead } from "../persistence/branchHeadStore.js";
import { insertOutboxRow } from "../persistence/conversationStore.js";
import type { Database } from "../persistence/openDatabase.js";
import { reachPerson } from "../persistence/people.js";

export type DigestDeps = {
  db: Database;
  translate: Translate;
  dispatchers: Partial<Record<ChannelName, OutboundDispatcher>>;
  logger: Logger;
};

export type DigestReport = { day: string; sent: number; outsideWindow: number; unreachable: number; alreadyDone: number };

/** How many pending registrations a digest names; the rest are counted. */
const digestLines = 5;

/** The calendar day in Asia/Ho_Chi_Minh ("2026-03-02"): one digest per head and day. */
export function digestDay(now: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * The daily digest (08:00 Asia/Ho_Chi_Minh, BullMQ repeatable job): every head with registrations waiting gets
 * the count, the oldest few and a "Xem danh sách" button. Once per head and day, however often it runs and in how
 * many processes (head_digests is unique per person and day). A head outside their messaging window gets nothing
 * now, recorded as such: never a message against the platform's rules.
 */
export async function runDailyDigest(deps: DigestDeps, now: Date): Promise<DigestReport> {
  const day = digestDay(now);
  const report: DigestReport = { day, sent: 0, outsideWindow: 0, unreachable: 0, alreadyDone: 0 };
  const heads = await deps.db
    .selectDistinct({ personId: branchHeads.personId })
    .from(branchHeads)
    .innerJoin(registrations, and(eq(registrations.branchId, branchHeads.branchId), eq(registrations.status, "submitted"), ne(registrations.personId, branchHeads.personId)));
  const outbox: OutboxItem[] = [];
  for (const { personId } of heads) {
    const result = await deps.db.transaction(async (tx) => {
      const pending = await pendingForHead(tx, personId, { limit: digestLines, offset: 0 });
      if (pending.total === 0) return null;
      const reach = await reachPerson(tx, personId, now);
      const status: DigestStatus = !reach ? "unreachable" : reach.windowOpen ? "sent" : "outside_window";
      const recorded = await tx
        .insert(headDigests)
        .values({ personId, day, status, pendingCount: pending.total })
        .onConflictDoNothing()
        .returning({ id: headDigests.id });
      if (recorded.length === 0) return "alreadyDone" as const;
      if (status !== "sent" || !reach) return status;
      const [head] = await tx.select({ name: people.fullName }).from(people).where(eq(people.id, personId));
      const cards = await loadDecisionCards(tx, pending.ids);
      const oldest = pending.ids.map((id) => cards.get(id)).filter((card) => card !== undefined);
      const message = headDigestMessage(deps.translate, reach.recipient.locale, { headName: head?.name ?? null, total: pending.total, oldest, now });
      outbox.push(await insertOutboxRow(tx, reach.recipient.identity, message, null));
      return status;
    });
    if (result === "sent") report.sent++;
    else if (result === "outside_window") report.outsideWindow++;
    else if (result === "unreachable") report.unreachable++;
    else if (result === "alreadyDone") report.alreadyDone++;
  }
  await dispatchByChannel(deps.dispatchers, outbox);
  deps.logger.info({ ...report, heads: heads.length }, "daily digest run");
  return report;
}
