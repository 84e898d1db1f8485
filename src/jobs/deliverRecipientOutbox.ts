import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Logger } from "pino";
import { z } from "zod";
import { outboundMessages, type OutboundStatus } from "../../db/schema.js";
import { describeFailure, isRetryableFailure, type SendFailure } from "../channels/shared/sendFailure.js";
import type { OutboundMessage } from "../conversation/types.js";
import type { Database } from "../persistence/openDatabase.js";
import type { ChannelDelivery } from "./channelDelivery.js";
import { RetryableDeliveryError } from "./errors.js";
import { markChannelIdentity } from "./markChannelIdentity.js";
import { batchCalls } from "../persistence/batchCalls.js";
import { isDatabaseUnavailable } from "../persistence/isDatabaseUnavailable.js";
import { runStatement } from "../persistence/runStatement.js";

export const outboundMessageSchema = z.object({
  text: z.string(),
  buttons: z.array(z.object({ title: z.string(), payload: z.string() })).optional(),
}) satisfies z.ZodType<OutboundMessage>;

export type RecipientDeliveryOptions = {
  /** The queue will not try again after this run: retryable failures end as "failed" instead of being thrown. */
  finalAttempt: boolean;
  /** The highest outbox id this run was dispatched for; on a final failure the rows up to it are given up. */
  lastCoveredId: number;
  /** Called before each platform call (keeps the recipient lock alive; throws if it was lost). */
  keepAlive?: () => Promise<void>;
};

type ClaimedRow = { id: number; message: unknown; platformMessageId: string | null; inboundEventId: number | null };
type ClaimRequest = { channel: string; userId: string; sent: { id: number; platformMessageId: string | null } | null; at: string };

const claimNextRowsStatement = `
    with input as (
      select * from jsonb_to_recordset($1::jsonb) as i(n int, channel text, user_id text, sent_id bigint, sent_ids text, at timestamptz)
    ), settled as (
      update outbound_messages o set status = 'sent', attempts = o.attempts + 1, sent_at = i.at, platform_message_id = i.sent_ids
      from input i where o.id = i.sent_id and o.status in ('pending', 'sending')
    ), oldest as (
      select i.n, i.channel, i.user_id, i.sent_id, i.at,
        (select p.id from outbound_messages p where p.channel = i.channel and p.user_id = i.user_id and p.status = 'pending' order by p.id limit 1) as id
      from input i
    )
    update outbound_messages o set status = 'sending', claimed_at = oldest.at
    from oldest
    where o.id = oldest.id and o.status = 'pending'
      and not exists (select 1 from outbound_messages cut where cut.channel = oldest.channel and cut.user_id = oldest.user_id
        and cut.status = 'sending' and cut.id <> coalesce(oldest.sent_id, 0))
    returning oldest.n, o.id, o.message, o.platform_message_id, o.inbound_event_id`;

/**
 * For each recipient, settles the row sent just before (if any) and claims their oldest pending row, in one
 * statement for them all. Nothing is claimed for a recipient while another of their rows is "sending" (a sender that
 * died or lost the lock mid-send): a later reply never overtakes one the relay may still resend. (The statement's
 * snapshot still shows the row it settles as sending: that one is not counted.)
 */
export async function claimNextRows(db: Database, requests: readonly ClaimRequest[]): Promise<(ClaimedRow | null)[]> {
  if (requests.length === 0) return [];
  const input = requests.map((request, n) => ({ n, channel: request.channel, user_id: request.userId, sent_id: request.sent?.id ?? null, sent_ids: request.sent?.platformMessageId ?? null, at: request.at }));
  const rows = await runStatement<{ n: number; id: number | string; message: unknown; platform_message_id: string | null; inbound_event_id: number | string | null }>(
    db,
    claimNextRowsStatement,
    [JSON.stringify(input)],
  );
  const claimed: (ClaimedRow | null)[] = requests.map(() => null);
  for (const row of rows) {
    claimed[row.n] = { id: Number(row.id), message: row.message, platformMessageId: row.platform_message_id, inboundEventId: row.inbound_event_id === null ? null : Number(row.inbound_event_id) };
  }
  return claimed;
}

/** One claimer per database handle: every sender of the process shares its statements. */
const claimers = new WeakMap<Database, (request: ClaimRequest) => Promise<ClaimedRow | null>>();
function claimerFor(db: Database): (request: ClaimRequest) => Promise<ClaimedRow | null> {
  let claimer = claimers.get(db);
  if (!claimer) claimers.set(db, (claimer = batchCalls((requests: readonly ClaimRequest[]) => claimNextRows(db, requests), { isDatabaseUnavailable })));
  return claimer;
}

export type RecipientDeliveryReport = { sent: number[]; failed: number[]; outsideWindow: number[]; unreachable: number[] };

/**
 * Sends one recipient's pending outbox rows in id order until none is left; the caller holds the recipient lock.
 * A row's parts already accepted by the platform are remembered in `platform_message_id` (space-separated ids)
 * while it is pending, so a retry resumes after them and nothing goes twice.
 * Retryable failures (rate limit, outage, token) leave the row and those after it pending and throw
 * RetryableDeliveryError; outside window / unreachable / permanent failures settle the row and go on.
 */
export async function deliverRecipientOutbox(
  deps: { db: Database; delivery: ChannelDelivery; log: Logger; now?: () => Date },
  userId: string,
  options: RecipientDeliveryOptions,
): Promise<RecipientDeliveryReport> {
  const { db, delivery } = deps;
  const now = deps.now ?? (() => new Date());
  const channel = delivery.channel;
  // Made when first needed: a delivery that goes well logs nothing.
  let childLog: Logger | null = null;
  const log = () => (childLog ??= deps.log.child({ channel, userId }));
  const report: RecipientDeliveryReport = { sent: [], failed: [], outsideWindow: [], unreachable: [] };

  // A row is claimed (pending → sending) before its platform call and settled from sending: a second worker or relay
  // never sends it again, and a crash in the middle leaves it "sending" for the relay (recoverInterruptedOutbox) to
  // settle from the platform's echoes: resent from the first part that did not get through, or given up.
  const settle = async (id: number, status: OutboundStatus, fields: { lastError?: string; platformMessageId?: string | null }) => {
    await db
      .update(outboundMessages)
      .set({ status, attempts: sql`${outboundMessages.attempts} + 1`, ...(status === "sent" ? { sentAt: now() } : {}), ...fields })
      .where(and(eq(outboundMessages.id, id), inArray(outboundMessages.status, ["pending", "sending"])));
  };
  // The recipient's oldest pending row, claimed in the same statement that finds it — and that settles the row sent
  // just before (the common case), so a reply costs one statement after its insert. Claims of other recipients made
  // meanwhile share that statement (claimNextRows).
  const claimNext = (sent: { id: number; platformMessageId: string | null } | null): Promise<ClaimedRow | null> =>
    claimerFor(db)({ channel, userId, sent, at: now().toISOString() });
  const release = (id: number) =>
    db
      .update(outboundMessages)
      .set({ status: "pending", claimedAt: null })
      .where(and(eq(outboundMessages.id, id), eq(outboundMessages.status, "sending")));

  let sentBefore: { id: number; platformMessageId: string | null } | null = null;
  for (;;) {
    try {
      await options.keepAlive?.();
    } catch (error) {
      if (sentBefore) await settle(sentBefore.id, "sent", { platformMessageId: sentBefore.platformMessageId });
      throw error;
    }
    const row = await claimNext(sentBefore);
    sentBefore = null;
    if (!row) return report;
    const message = outboundMessageSchema.safeParse(row.message);
    if (!message.success) {
      await settle(row.id, "failed", { lastError: `not an OutboundMessage: ${message.error.issues[0]?.message ?? "invalid"}` });
      report.failed.push(row.id);
      log().error({ outboxId: row.id }, "outbox row is not an OutboundMessage: marked failed");
      continue;
    }
    const parts = delivery.prepare(userId, message.data, { proactive: row.inboundEventId === null, outboxId: row.id });
    const sentIds = row.platformMessageId ? row.platformMessageId.split(" ") : [];
    let failure: SendFailure | null = null;
    const firstPart = sentIds.length;
    try {
      for (let index = firstPart; index < parts.length; index += 1) {
        if (index > firstPart) await options.keepAlive?.();
        const result = await (parts[index] as (typeof parts)[number])();
        if (result.status === "failed") {
          failure = result.failure;
          break;
        }
        sentIds.push(result.messageId || `part${index + 1}`);
        if (index < parts.length - 1) {
          await db.update(outboundMessages).set({ platformMessageId: sentIds.join(" ") }).where(eq(outboundMessages.id, row.id));
        }
      }
    } catch (error) {
      // The lock was lost before a part was sent: the row goes back for whoever holds the recipient now.
      await release(row.id);
      throw error;
    }
    if (!failure) {
      // Settled by the next claim's statement.
      sentBefore = { id: row.id, platformMessageId: sentIds.join(" ") || null };
      report.sent.push(row.id);
      continue;
    }
    const lastError = describeFailure(failure);
    if (failure.kind === "outsideWindow" || failure.kind === "unreachable") {
      await settle(row.id, failure.kind === "outsideWindow" ? "outside_window" : "unreachable", { lastError });
      await markChannelIdentity(db, { channel, userId }, failure.kind, now());
      (failure.kind === "outsideWindow" ? report.outsideWindow : report.unreachable).push(row.id);
      log().warn({ outboxId: row.id, failure }, failure.kind === "outsideWindow" ? "outside the messaging window: not retried" : "recipient unreachable: not retried");
      continue;
    }
    if (!isRetryableFailure(failure)) {
      await settle(row.id, "failed", { lastError });
      report.failed.push(row.id);
      log().error({ outboxId: row.id, failure }, "platform refused the message: marked failed");
      continue;
    }
    if (!options.finalAttempt) {
      await db
        .update(outboundMessages)
        .set({ status: "pending", claimedAt: null, attempts: sql`${outboundMessages.attempts} + 1`, lastError })
        .where(eq(outboundMessages.id, row.id));
      throw new RetryableDeliveryError(failure, row.id);
    }
    await settle(row.id, "failed", { lastError: `gave up after the last retry: ${lastError}` });
    const behind = await db
      .update(outboundMessages)
      .set({ status: "failed", lastError: `not sent: outbox message ${row.id} before it could not be delivered (${lastError})` })
      .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.userId, userId), eq(outboundMessages.status, "pending"), lte(outboundMessages.id, options.lastCoveredId)))
      .returning({ id: outboundMessages.id });
    report.failed.push(row.id, ...behind.map((entry) => entry.id));
    log().error({ outboxIds: report.failed, failure }, "delivery retries exhausted: messages marked failed");
    return report;
  }
}
