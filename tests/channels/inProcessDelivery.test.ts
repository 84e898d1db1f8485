import { createLocalLocks } from "../../src/channels/shared/localLocks.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInProcessOutboundDispatcher, type InProcessOutboundDispatcher } from "../../src/jobs/inProcessOutboundDispatcher.js";
import { startDeliveryWorld, type DeliveryWorld } from "./support/deliveryWorld.js";
import { silentLogger } from "./support/silentLogger.js";

let world: DeliveryWorld;
let dispatcher: InProcessOutboundDispatcher;

beforeAll(async () => {
  world = await startDeliveryWorld("inprocess", { redis: false });
  dispatcher = createInProcessOutboundDispatcher({ db: world.db, deliveries: world.deliveries, retryAttempts: 10, retryBaseMs: 30, ratePerSecond: { messenger: 500, zalo: 500 }, locks: createLocalLocks(), log: silentLogger });
});
afterAll(async () => {
  await dispatcher?.close();
  await world?.close();
});

describe("in-process outbound delivery (no Redis)", () => {
  it("delivers in order, and a second dispatch while the first runs is picked up", async () => {
    const first = await world.addToOutbox("zalo", "3001", [{ text: "một" }, { text: "hai", buttons: [{ title: "Đồng ý", payload: "opt:consent:yes" }] }]);
    await dispatcher.dispatch(first);
    const second = await world.addToOutbox("zalo", "3001", [{ text: "ba" }]);
    await dispatcher.dispatch(second);
    await world.zalo.sent.waitFor(3);
    expect(world.zalo.textsTo("3001")).toEqual(["một", "hai", "ba"]);
    expect(world.zalo.sent.items[1]?.body.message.attachment?.payload.buttons).toEqual([{ title: "Đồng ý", type: "oa.query.hide", payload: "opt:consent:yes" }]);
  });

  it("an outage spanning several retries: everything delivered after recovery, in order, none twice", async () => {
    world.graph.fail("outage");
    const items = [
      ...(await world.addToOutbox("messenger", "3101", [{ text: "A1" }, { text: "A2" }])),
      ...(await world.addToOutbox("messenger", "3102", [{ text: "B1" }])),
    ];
    await dispatcher.dispatch(items);
    await world.graph.attempts.waitFor(6);
    world.graph.recover();
    await world.graph.sent.waitFor(3);
    expect(world.graph.attempts.items.filter((attempt) => attempt.outcome === "outage").length).toBeGreaterThanOrEqual(6);
    expect(world.graph.textsTo("3101")).toEqual(["A1", "A2"]);
    expect(world.graph.textsTo("3102")).toEqual(["B1"]);
  });

  it("gives up after the last retry: the rows it was handed end as failed, with the reason", async () => {
    const impatient = createInProcessOutboundDispatcher({ db: world.db, deliveries: world.deliveries, retryAttempts: 2, retryBaseMs: 10, locks: createLocalLocks(), log: silentLogger });
    world.graph.fail("outage", { userId: "3201" });
    try {
      await impatient.dispatch(await world.addToOutbox("messenger", "3201", [{ text: "C1" }, { text: "C2" }]));
      await impatient.idle();
    } finally {
      world.graph.recover();
      await impatient.close();
    }
    const rows = await world.outboxOf("messenger", "3201");
    expect(rows.map((row) => row.status)).toEqual(["failed", "failed"]);
    expect(rows[0]?.lastError).toMatch(/^gave up after the last retry: temporary \(HTTP 503\)/);
    expect(world.graph.attempts.items.filter((attempt) => attempt.recipientId === "3201")).toHaveLength(2);
  });
});
