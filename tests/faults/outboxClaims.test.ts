import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { outboundMessages } from "../../db/schema.js";
import type { ChannelDelivery } from "../../src/jobs/channelDelivery.js";
import { deliverRecipientOutbox } from "../../src/jobs/deliverRecipientOutbox.js";
import { recoverInterruptedOutbox } from "../../src/jobs/recoverInterruptedOutbox.js";
import { recipientLockName } from "../../src/jobs/recipientLock.js";
import type { Locks } from "../../src/channels/shared/locks.js";
import { partMark, textMark } from "../../src/channels/shared/outboundEcho.js";
import { recordOutboundEchoes } from "../../src/persistence/outboxEchoes.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Issue 9: an outbox row is claimed before its platform call, so two deliveries racing send it once, and a worker
// that dies during the call leaves it claimed: the relay settles it from the platform's echoes (sent, or sent again
// from the first part that did not get through), or gives it up when the channel's echoes are not used.
let test: TestRuntime;

/** The recipient locks the senders and the relay share (the runtime's: Redis). */
let locks: Locks;

beforeAll(async () => {
  test = await startTestRuntime({ RUN_WORKERS: "false" });
  locks = test.runtime.delivery.locks;
});
afterAll(async () => {
  await test?.close();
});

/** A channel that sends each "|"-separated piece of a text as one call, and whose echoes name the part. */
function partsDelivery(sent: string[], channel: "messenger" | "zalo" = "messenger"): ChannelDelivery {
  return {
    channel,
    prepare: (_userId, message) =>
      message.text.split("|").map((piece) => async () => {
        sent.push(piece);
        return { status: "sent" as const, messageId: `m_${piece}` };
      }),
    echoMarks: (_userId, message) => message.text.split("|").map((piece, part) => (channel === "zalo" ? textMark(piece) : partMark(part))),
  };
}

/** A row its sender claimed five minutes ago and never settled (the process was killed during the call). */
async function cutRow(userId: string, text: string, channel: "messenger" | "zalo" = "messenger", platformMessageId: string | null = null) {
  const [row] = await test.runtime.database.db
    .insert(outboundMessages)
    .values({ channel, userId, message: { text }, status: "sending", claimedAt: new Date(Date.now() - 300_000), platformMessageId })
    .returning({ id: outboundMessages.id });
  return row!.id;
}

/** A channel whose every call waits for `gate`, and that records what it sent. */
function slowDelivery(gate: Promise<void>, sent: string[]): ChannelDelivery {
  return {
    channel: "messenger",
    prepare: (_userId, message) => [
      async () => {
        await gate;
        sent.push(message.text);
        return { status: "sent", messageId: `m_${sent.length}` };
      },
    ],
  };
}

describe("outbox claims", () => {
  it("two deliveries racing for the same rows send each once", async () => {
    const db = test.runtime.database.db;
    const userId = "7900000000000001";
    await db.insert(outboundMessages).values([1, 2, 3].map((n) => ({ channel: "messenger", userId, message: { text: `tin ${n}` }, status: "pending" as const })));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const sent: string[] = [];
    const delivery = slowDelivery(gate, sent);
    const log = pino({ level: "silent" });
    const runs = [1, 2].map(() => deliverRecipientOutbox({ db, delivery, log }, userId, { finalAttempt: false, lastCoveredId: Number.MAX_SAFE_INTEGER }));
    open();
    await Promise.all(runs);
    expect(sent.sort()).toEqual(["tin 1", "tin 2", "tin 3"]);
    const rows = await db.select().from(outboundMessages).where(eq(outboundMessages.userId, userId));
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
  });

  it("without echoes, a row left claimed by a worker that died is given up, not resent", async () => {
    const db = test.runtime.database.db;
    const userId = "7900000000000002";
    const [row] = await db
      .insert(outboundMessages)
      .values({ channel: "messenger", userId, message: { text: "giữa chừng" }, status: "sending", claimedAt: new Date(Date.now() - 300_000) })
      .returning({ id: outboundMessages.id });
    const sent: string[] = [];
    await deliverRecipientOutbox({ db, delivery: slowDelivery(Promise.resolve(), sent), log: pino({ level: "silent" }) }, userId, { finalAttempt: false, lastCoveredId: Number.MAX_SAFE_INTEGER });
    expect(sent).toEqual([]);
    const recovered = await recoverInterruptedOutbox({ db, deliveries: [partsDelivery([])], confirmByEcho: false, locks }, new Date(Date.now() - 120_000));
    expect(recovered).toEqual({ confirmed: [], resumed: [], givenUp: [row!.id], busy: [] });
    const [after] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, row!.id));
    expect(after).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^interrupted/) });
  });

  it("with echoes, a cut row is marked sent when every part was echoed, and sent again from the first part that was not", async () => {
    const db = test.runtime.database.db;
    const log = pino({ level: "silent" });
    const cutoff = () => new Date(Date.now() - 120_000);
    const whole = await cutRow("7900000000000003", "một|hai");
    const half = await cutRow("7900000000000004", "ba|bốn|năm");
    const none = await cutRow("7900000000000005", "sáu");
    // A later reply to the person whose row was cut waits behind it: it must not overtake it.
    await db.insert(outboundMessages).values({ channel: "messenger", userId: "7900000000000004", message: { text: "sau" }, status: "pending" });
    await recordOutboundEchoes(db, [
      { channel: "messenger", userId: "7900000000000003", outboxId: whole, mark: partMark(0) },
      { channel: "messenger", userId: "7900000000000003", outboxId: whole, mark: partMark(1) },
      { channel: "messenger", userId: "7900000000000004", outboxId: half, mark: partMark(0) },
      // A redelivered echo counts once; an echo naming the row for someone else counts not at all.
      { channel: "messenger", userId: "7900000000000004", outboxId: half, mark: partMark(0) },
      { channel: "messenger", userId: "7900000000000009", outboxId: none, mark: partMark(0) },
    ]);
    const sent: string[] = [];
    const delivery = partsDelivery(sent);
    const deliver = (userId: string) => deliverRecipientOutbox({ db, delivery, log }, userId, { finalAttempt: false, lastCoveredId: Number.MAX_SAFE_INTEGER });
    await deliver("7900000000000004");
    expect(sent).toEqual([]);

    const recovered = await recoverInterruptedOutbox({ db, deliveries: [delivery], confirmByEcho: true, locks }, cutoff());
    expect(recovered).toEqual({ confirmed: [whole], resumed: [half, none], givenUp: [], busy: [] });
    expect(await recoverInterruptedOutbox({ db, deliveries: [delivery], confirmByEcho: true, locks }, cutoff())).toEqual({ confirmed: [], resumed: [], givenUp: [], busy: [] });
    for (const userId of ["7900000000000003", "7900000000000004", "7900000000000005"]) await deliver(userId);
    expect(sent).toEqual(["bốn", "năm", "sau", "sáu"]);
    const rows = await db.select({ id: outboundMessages.id, status: outboundMessages.status }).from(outboundMessages).where(inArray(outboundMessages.id, [whole, half, none]));
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(["sent"]));
  });

  it("a Zalo echo confirms the recipient's row being sent by its text, not a row already settled with that message id", async () => {
    const db = test.runtime.database.db;
    const userId = "7900000000000006";
    const [settled] = await db
      .insert(outboundMessages)
      .values({ channel: "zalo", userId, message: { text: "xin chào" }, status: "sent", platformMessageId: "zmsg-1" })
      .returning({ id: outboundMessages.id });
    const cut = await cutRow(userId, "xin chào|bạn ở đâu?", "zalo");
    await recordOutboundEchoes(db, [
      // The late echo of the row settled before: same text, its own message id → not this row's.
      { channel: "zalo", userId, mark: textMark("xin chào"), platformMessageId: "zmsg-1" },
      { channel: "zalo", userId, mark: textMark("xin chào"), platformMessageId: "zmsg-2" },
    ]);
    const sent: string[] = [];
    const delivery = partsDelivery(sent, "zalo");
    expect(await recoverInterruptedOutbox({ db, deliveries: [delivery], confirmByEcho: true, locks }, new Date(Date.now() - 120_000))).toMatchObject({ resumed: [cut] });
    await deliverRecipientOutbox({ db, delivery, log: pino({ level: "silent" }) }, userId, { finalAttempt: false, lastCoveredId: Number.MAX_SAFE_INTEGER });
    expect(sent).toEqual(["bạn ở đâu?"]);
    const [after] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, cut));
    expect(after).toMatchObject({ status: "sent", echoes: [textMark("xin chào")] });
    expect(settled).toBeDefined();
  });

  it("a row a live sender is still sending (it holds the person's lock) is left alone, however long ago it was claimed", async () => {
    const db = test.runtime.database.db;
    const userId = "7900000000000007";
    const cut = await cutRow(userId, "chậm");
    const delivery = partsDelivery([]);
    // A sender that is alive but slow: claimed minutes ago, its echo not in yet, its hold on the person kept.
    const sender = await locks.tryAcquire(recipientLockName("messenger", userId), 60_000);
    expect(sender).not.toBeNull();
    expect(await recoverInterruptedOutbox({ db, deliveries: [delivery], confirmByEcho: true, locks }, new Date(Date.now() - 120_000))).toEqual({
      confirmed: [],
      resumed: [],
      givenUp: [],
      busy: [cut],
    });
    const [still] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, cut));
    expect(still).toMatchObject({ status: "sending" });
    // Its echo comes in and it lets go (or it died and the lock ran out): now the relay settles the row once.
    await recordOutboundEchoes(db, [{ channel: "messenger", userId, outboxId: cut, mark: partMark(0) }]);
    await sender!.release();
    expect(await recoverInterruptedOutbox({ db, deliveries: [delivery], confirmByEcho: true, locks }, new Date(Date.now() - 120_000))).toMatchObject({ confirmed: [cut], busy: [] });
    // The relay let go of the person again.
    const after = await locks.tryAcquire(recipientLockName("messenger", userId), 1_000);
    expect(after).not.toBeNull();
    await after!.release();
  });
});
