import { Redis } from "ioredis";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createRedisLocks } from "../../src/channels/shared/redisLocks.js";
import type { OutboundDispatcher, OutboxItem } from "../../src/conversation/ports.js";
import { createInlineFirstDispatcher, type FallbackQueue } from "../../src/jobs/inlineFirstDispatcher.js";
import { startDeliveryWorld, type DeliveryWorld } from "./support/deliveryWorld.js";
import { silentLogger } from "./support/silentLogger.js";
import { testRedisUrl } from "./support/testRedis.js";

// Replies are sent by the process that committed them; whatever cannot go at once is handed to the queue.
let world: DeliveryWorld;
let redis: Redis;
let dispatcher: OutboundDispatcher;
let budgetLeft = Number.POSITIVE_INFINITY;
const handedOver: Array<{ items: OutboxItem[]; delayMs: number | undefined }> = [];
const queue: FallbackQueue = {
  async dispatch(items, options) {
    handedOver.push({ items, delayMs: options?.delayMs });
  },
};

beforeAll(async () => {
  world = await startDeliveryWorld("inline", { redis: true });
  redis = new Redis(testRedisUrl);
  dispatcher = createInlineFirstDispatcher({
    db: world.db,
    deliveries: world.deliveries,
    locks: createRedisLocks(redis, world.redisPrefix),
    budget: async (_channel, count) => {
      if (budgetLeft < count) return false;
      budgetLeft -= count;
      return true;
    },
    queue,
    log: silentLogger,
    retryDelayMs: 1234,
    maxInlineRecipients: 3,
  });
});

afterAll(async () => {
  await redis?.quit();
  await world?.close();
});

beforeEach(() => {
  handedOver.length = 0;
  budgetLeft = Number.POSITIVE_INFINITY;
  world.graph.recover();
});

describe("replies sent at once by the committing process", () => {
  it("sends a person's replies in order and marks them sent, without the queue", async () => {
    const items = await world.addToOutbox("messenger", "3001", [{ text: "một" }, { text: "hai" }, { text: "ba" }]);
    await dispatcher.dispatch(items);
    expect(world.graph.textsTo("3001")).toEqual(["một", "hai", "ba"]);
    expect((await world.outboxOf("messenger", "3001")).map((row) => row.status)).toEqual(["sent", "sent", "sent"]);
    expect(handedOver).toEqual([]);
  });

  it("hands the rows to the queue, unsent, while another sender holds the person", async () => {
    const items = await world.addToOutbox("messenger", "3002", [{ text: "chờ" }]);
    await redis.set(`${world.redisPrefix}lock:outbox:messenger:3002`, "someone-else", "PX", 10_000);
    await dispatcher.dispatch(items);
    expect(world.graph.textsTo("3002")).toEqual([]);
    expect((await world.outboxOf("messenger", "3002")).map((row) => row.status)).toEqual(["pending"]);
    expect(handedOver).toEqual([{ items, delayMs: undefined }]);
  });

  it("hands the rows to the queue when this second's send budget is spent", async () => {
    budgetLeft = 1;
    const items = await world.addToOutbox("zalo", "4003", [{ text: "một" }, { text: "hai" }]);
    await dispatcher.dispatch(items);
    expect(world.zalo.textsTo("4003")).toEqual([]);
    expect(handedOver).toEqual([{ items, delayMs: undefined }]);
  });

  it("after a retryable platform failure, leaves the row pending for the queue to try again after the pause", async () => {
    world.graph.fail("temporary", { times: 1, userId: "3004" });
    const items = await world.addToOutbox("messenger", "3004", [{ text: "lỗi tạm" }]);
    await dispatcher.dispatch(items);
    const [row] = await world.outboxOf("messenger", "3004");
    expect(row).toMatchObject({ status: "pending", attempts: 1 });
    expect(handedOver).toEqual([{ items, delayMs: 1234 }]);
  });

  it("leaves a hand-over to many people (a digest, a sweep) to the queue", async () => {
    const items = (await Promise.all(["3011", "3012", "3013", "3014"].map((person) => world.addToOutbox("messenger", person, [{ text: "tin chung" }])))).flat();
    await dispatcher.dispatch(items);
    expect(world.graph.sent.items.filter((entry) => entry.recipientId.startsWith("301"))).toEqual([]);
    expect(handedOver).toEqual([{ items, delayMs: undefined }]);
  });
});
