import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pino from "pino";
import { outboundMessages } from "../../db/schema.js";
import type { ChannelDelivery } from "../../src/jobs/channelDelivery.js";
import { deliverRecipientOutbox } from "../../src/jobs/deliverRecipientOutbox.js";
import { giveUpInterruptedOutbox } from "../../src/persistence/conversationStore.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Issue 9: an outbox row is claimed before its platform call, so two deliveries racing send it once, and a worker
// that dies during the call leaves it claimed: the relay gives it up rather than send it a second time.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime({ RUN_WORKERS: "false" });
});
afterAll(async () => {
  await test?.close();
});

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

  it("a row left claimed by a worker that died is given up, not resent", async () => {
    const db = test.runtime.database.db;
    const userId = "7900000000000002";
    const [row] = await db
      .insert(outboundMessages)
      .values({ channel: "messenger", userId, message: { text: "giữa chừng" }, status: "sending", claimedAt: new Date(Date.now() - 300_000) })
      .returning({ id: outboundMessages.id });
    const sent: string[] = [];
    await deliverRecipientOutbox({ db, delivery: slowDelivery(Promise.resolve(), sent), log: pino({ level: "silent" }) }, userId, { finalAttempt: false, lastCoveredId: Number.MAX_SAFE_INTEGER });
    expect(sent).toEqual([]);
    expect(await giveUpInterruptedOutbox(db, new Date(Date.now() - 120_000))).toEqual([row!.id]);
    const [after] = await db.select().from(outboundMessages).where(eq(outboundMessages.id, row!.id));
    expect(after).toMatchObject({ status: "failed", lastError: expect.stringMatching(/^interrupted/) });
  });
});
