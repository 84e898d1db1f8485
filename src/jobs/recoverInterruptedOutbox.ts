import { and, eq, lt, sql } from "drizzle-orm";
import { outboundMessages } from "../../db/schema.js";
import { confirmedPartCount } from "../channels/shared/outboundEcho.js";
import type { Database } from "../persistence/openDatabase.js";
import type { Locks } from "../channels/shared/locks.js";
import type { ChannelDelivery } from "./channelDelivery.js";
import { outboundMessageSchema } from "./deliverRecipientOutbox.js";
import { recipientLockName, recipientLockTtlMs } from "./recipientLock.js";

export type InterruptedOutbox = {
  /** Every part reached the platform (its echoes say so): marked sent, nothing sent again. */
  confirmed: number[];
  /** Pending again, to be sent from the first part no echo confirmed (the relay hands it to delivery). */
  resumed: number[];
  /** No way to know what got through (echoes not used for the channel): failed, never sent twice. */
  givenUp: number[];
  /** Still held by a sender that is alive (its recipient lock is taken): a slow send, not a cut one; left alone. */
  busy: number[];
};

/**
 * Outbox rows claimed before `claimedBefore` and never settled: their sender died (or lost its lock) during the
 * platform call. With echo confirmation on (OUTBOX_CONFIRM_BY_ECHO), the echoes recorded on the row say which parts
 * reached the person, and the rest is sent again, so a reply reaches them once; without it the row is given up.
 * A row is only settled while the relay holds its recipient's lock (recipientLock.ts), which every sender holds for
 * as long as it sends: a sender that is alive but slow (a loaded host, a late platform answer) keeps its rows, and a
 * dead one's lock runs out (its TTL) before its rows are touched, by which time the platform's echoes are in. Each
 * row changes only if it is still claimed as read (two relays racing settle it once).
 */
export async function recoverInterruptedOutbox(
  deps: { db: Database; deliveries: readonly ChannelDelivery[]; confirmByEcho: boolean; locks: Locks },
  claimedBefore: Date,
): Promise<InterruptedOutbox> {
  const { db } = deps;
  const result: InterruptedOutbox = { confirmed: [], resumed: [], givenUp: [], busy: [] };
  const rows = await db
    .select({
      id: outboundMessages.id,
      channel: outboundMessages.channel,
      userId: outboundMessages.userId,
      message: outboundMessages.message,
      inboundEventId: outboundMessages.inboundEventId,
      platformMessageId: outboundMessages.platformMessageId,
      echoes: outboundMessages.echoes,
    })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.status, "sending"), lt(outboundMessages.claimedAt, claimedBefore)))
    .orderBy(outboundMessages.id)
    .limit(500);
  const stillCut = (id: number) => and(eq(outboundMessages.id, id), eq(outboundMessages.status, "sending"), lt(outboundMessages.claimedAt, claimedBefore));
  async function settleCut(row: (typeof rows)[number]): Promise<void> {
    const delivery = deps.deliveries.find((entry) => entry.channel === row.channel);
    const message = outboundMessageSchema.safeParse(row.message);
    const context = { proactive: row.inboundEventId === null, outboxId: row.id };
    const marks = deps.confirmByEcho && delivery?.echoMarks && message.success ? delivery.echoMarks(row.userId, message.data, context) : null;
    if (!marks) {
      const given = await db
        .update(outboundMessages)
        .set({ status: "failed", lastError: "interrupted: the worker stopped during the platform call; not sent again" })
        .where(stillCut(row.id))
        .returning({ id: outboundMessages.id });
      if (given.length > 0) result.givenUp.push(row.id);
      return;
    }
    const stored = row.platformMessageId ? row.platformMessageId.split(" ") : [];
    const confirmed = confirmedPartCount({ storedIds: stored.length, marks, echoes: row.echoes });
    // Parts known to have gone keep their place in platform_message_id, so delivery resumes after them.
    const ids = [...stored.slice(0, confirmed), ...Array.from({ length: Math.max(0, confirmed - stored.length) }, (_, index) => `echo${stored.length + index + 1}`)];
    const done = confirmed >= marks.length;
    const changed = await db
      .update(outboundMessages)
      .set(
        done
          ? {
              status: "sent",
              sentAt: new Date(),
              attempts: sql`${outboundMessages.attempts} + 1`,
              platformMessageId: ids.join(" ") || null,
              lastError: `interrupted, but the platform's echoes show every part (${marks.length}) arrived: not sent again`,
            }
          : {
              status: "pending",
              claimedAt: null,
              attempts: sql`${outboundMessages.attempts} + 1`,
              platformMessageId: ids.length > 0 ? ids.join(" ") : null,
              lastError: `interrupted after ${confirmed} of ${marks.length} parts: the rest sent again`,
            },
      )
      .where(stillCut(row.id))
      .returning({ id: outboundMessages.id });
    if (changed.length > 0) (done ? result.confirmed : result.resumed).push(row.id);
  }
  for (const row of rows) {
    const lock = await deps.locks.tryAcquire(recipientLockName(row.channel, row.userId), recipientLockTtlMs);
    if (!lock) {
      result.busy.push(row.id);
      continue;
    }
    try {
      await settleCut(row);
    } finally {
      await lock.release();
    }
  }
  return result;
}
