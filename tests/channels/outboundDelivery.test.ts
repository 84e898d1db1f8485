import { Job, Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OutboxItem } from "../../src/conversation/ports.js";
import type { DeliveryChannel } from "../../src/jobs/channelDelivery.js";
import { bullPrefix, deliveryJobId, outboundQueueName } from "../../src/jobs/outboundQueue.js";
import { startOutboundWorkers, type OutboundWorkers } from "../../src/jobs/outboundWorkers.js";
import { createQueuedOutboundDispatcher, type QueuedOutboundDispatcher } from "../../src/jobs/queuedOutboundDispatcher.js";
import { startDeliveryWorld, type DeliveryWorld } from "./support/deliveryWorld.js";
import { silentLogger } from "./support/silentLogger.js";
import { testRedisUrl } from "./support/testRedis.js";

const redisConnection = { host: new URL(testRedisUrl).hostname, port: Number(new URL(testRedisUrl).port || 6379) };
const channels: DeliveryChannel[] = ["messenger", "zalo"];

let world: DeliveryWorld;
let dispatcher: QueuedOutboundDispatcher;
let workers: OutboundWorkers;
const queues = new Map<DeliveryChannel, Queue>();
const queueEvents = new Map<DeliveryChannel, QueueEvents>();

beforeAll(async () => {
  world = await startDeliveryWorld("bullmq", { redis: true });
  const settings = { redisUrl: testRedisUrl, redisPrefix: world.redisPrefix };
  dispatcher = createQueuedOutboundDispatcher({ ...settings, retryAttempts: 10, retryBaseMs: 40 });
  workers = startOutboundWorkers({ ...settings, db: world.db, deliveries: world.deliveries, ratePerSecond: { messenger: 200, zalo: 200 }, log: silentLogger, busyRetryMs: 20 });
  for (const channel of channels) {
    const options = { connection: redisConnection, prefix: bullPrefix(world.redisPrefix) };
    queues.set(channel, new Queue(outboundQueueName(channel), options));
    const events = new QueueEvents(outboundQueueName(channel), options);
    await events.waitUntilReady();
    queueEvents.set(channel, events);
  }
});

afterAll(async () => {
  await workers?.close();
  await dispatcher?.close();
  for (const events of queueEvents.values()) await events.close();
  for (const queue of queues.values()) await queue.close();
  await world?.close();
});

/** Dispatches outbox items and waits until the delivery job for the last one has finished (completed or given up). */
async function deliver(items: OutboxItem[]): Promise<void> {
  await dispatcher.dispatch(items);
  await finished(items);
}

async function finished(items: OutboxItem[]): Promise<void> {
  const last = items.at(-1);
  if (!last) return;
  const channel = last.channel as DeliveryChannel;
  const ids = new Set(items.filter((item) => item.userId === last.userId).map((item) => item.id));
  const rowsSettled = async () => {
    const rows = (await world.outboxOf(channel, last.userId)).filter((row) => ids.has(row.id));
    return rows.length === ids.size && rows.every((row) => row.status !== "pending" && row.status !== "sending");
  };
  const jobId = deliveryJobId(channel, last.userId, Math.max(...ids));
  await waitForJob(queues.get(channel) as Queue, queueEvents.get(channel) as QueueEvents, jobId, rowsSettled);
}

/**
 * Waits until a delivery job has finished. A completed job is removed at once (removeOnComplete), so it may be gone
 * before it is looked up or between the lookup and the wait (BullMQ then throws "Missing key for job"): then the rows
 * it covered say whether it ran.
 */
async function waitForJob(queue: Queue, events: QueueEvents, jobId: string, rowsSettled: () => Promise<boolean>): Promise<void> {
  const job = await Job.fromId(queue, jobId);
  try {
    if (job) return void (await job.waitUntilFinished(events, 60_000));
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("Missing key for job"))) throw error;
  }
  if (!(await rowsSettled())) throw new Error(`no delivery job ${jobId} and its rows are not settled`);
}

describe("outbound delivery through BullMQ", () => {
  it("delivers one person's messages in order, marks them sent with the platform id, replies as RESPONSE and notifications as UPDATE", async () => {
    const replies = await world.addToOutbox("messenger", "1001", [{ text: "Chào bạn!" }, { text: "Bạn thuộc nhóm nào?", buttons: [{ title: "Học sinh", payload: "opt:group:student" }] }]);
    const notice = await world.addToOutbox("messenger", "1001", [{ text: "Đăng ký đã được xác nhận." }], { proactive: true });
    await deliver([...replies, ...notice]);
    expect(world.graph.textsTo("1001")).toEqual(["Chào bạn!", "Bạn thuộc nhóm nào?", "Đăng ký đã được xác nhận."]);
    const sent = world.graph.sent.items.filter((entry) => entry.recipientId === "1001");
    expect(sent.map((entry) => entry.body.messaging_type)).toEqual(["RESPONSE", "RESPONSE", "UPDATE"]);
    const rows = await world.outboxOf("messenger", "1001");
    expect(rows.map((row) => [row.status, row.platformMessageId, row.attempts])).toEqual(sent.map((entry) => ["sent", entry.messageId, 1]));
  });

  it("handing the same rows over twice makes one job and one send", async () => {
    const items = await world.addToOutbox("zalo", "2001", [{ text: "Xin chào" }]);
    await dispatcher.dispatch(items);
    await deliver(items);
    expect(world.zalo.textsTo("2001")).toEqual(["Xin chào"]);
  });

  it("outside the window: the row is marked outside_window on the recipient, not retried, and the next row is still tried", async () => {
    world.graph.fail("outsideWindow", { userId: "1002", times: 1 });
    const items = await world.addToOutbox("messenger", "1002", [{ text: "Nhắc lịch" }, { text: "Sau khi cửa sổ mở lại" }]);
    await deliver(items);
    const rows = await world.outboxOf("messenger", "1002");
    expect(rows.map((row) => row.status)).toEqual(["outside_window", "sent"]);
    expect(rows[0]?.lastError).toContain("outsideWindow 10/2018278");
    expect(world.graph.attempts.items.filter((attempt) => attempt.recipientId === "1002").map((attempt) => attempt.outcome)).toEqual(["outsideWindow", "sent"]);
    expect((await world.identityOf("messenger", "1002"))?.outsideWindowAt).toBeInstanceOf(Date);
  });

  it("Zalo -230 outside the window and -213 unfollowed are recorded on the recipient, not retried", async () => {
    world.zalo.fail("outsideWindow", { userId: "2002" });
    world.zalo.fail("blocked", { userId: "2003" });
    const windowItems = await world.addToOutbox("zalo", "2002", [{ text: "Nhắc lịch" }]);
    const blockedItems = await world.addToOutbox("zalo", "2003", [{ text: "Nhắc lịch" }]);
    await Promise.all([deliver(windowItems), deliver(blockedItems)]);
    world.zalo.recover();
    expect((await world.outboxOf("zalo", "2002")).map((row) => row.status)).toEqual(["outside_window"]);
    expect((await world.outboxOf("zalo", "2003")).map((row) => row.status)).toEqual(["unreachable"]);
    expect((await world.identityOf("zalo", "2002"))?.outsideWindowAt).toBeInstanceOf(Date);
    expect((await world.identityOf("zalo", "2003"))?.unreachableAt).toBeInstanceOf(Date);
    expect(world.zalo.attempts.items.filter((attempt) => attempt.userId === "2002" || attempt.userId === "2003")).toHaveLength(2);
  });

  it("Messenger 551 blocked marks the recipient unreachable", async () => {
    world.graph.fail("blocked", { userId: "1003", times: 1 });
    await deliver(await world.addToOutbox("messenger", "1003", [{ text: "Xin chào" }]));
    expect((await world.outboxOf("messenger", "1003")).map((row) => row.status)).toEqual(["unreachable"]);
    expect((await world.identityOf("messenger", "1003"))?.unreachableAt).toBeInstanceOf(Date);
  });

  it("rate limited (Messenger 613, Zalo -32) and temporary errors are retried with backoff, then delivered", async () => {
    world.graph.fail("rateLimited", { userId: "1004", times: 2 });
    world.graph.fail("temporary", { userId: "1004", times: 1 });
    world.zalo.fail("rateLimited", { userId: "2004", times: 2 });
    const messengerItems = await world.addToOutbox("messenger", "1004", [{ text: "một" }, { text: "hai" }]);
    const zaloItems = await world.addToOutbox("zalo", "2004", [{ text: "một" }, { text: "hai" }]);
    await Promise.all([deliver(messengerItems), deliver(zaloItems)]);
    expect(world.graph.textsTo("1004")).toEqual(["một", "hai"]);
    expect(world.zalo.textsTo("2004")).toEqual(["một", "hai"]);
    const rows = await world.outboxOf("messenger", "1004");
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 4],
      ["sent", 1],
    ]);
  });

  it("an expired Zalo token is refreshed once and the message sent with the new one", async () => {
    world.zalo.expireAccessTokens();
    const refreshesBefore = world.zalo.refreshes.items.length;
    await deliver(await world.addToOutbox("zalo", "2005", [{ text: "Sau khi làm mới token" }, { text: "Tiếp" }]));
    expect(world.zalo.refreshes.items.slice(refreshesBefore).map((refresh) => refresh.outcome)).toEqual(["issued"]);
    const sent = world.zalo.sent.items.filter((entry) => entry.userId === "2005");
    expect(sent.map((entry) => entry.body.message.text)).toEqual(["Sau khi làm mới token", "Tiếp"]);
    expect(new Set(sent.map((entry) => entry.accessToken))).toEqual(new Set(world.zalo.currentAccessTokens()));
    expect((await world.outboxOf("zalo", "2005")).map((row) => row.status)).toEqual(["sent", "sent"]);
  });

  it("a permanent error marks the row failed and goes on with the next", async () => {
    world.graph.fail("permanent", { userId: "1006", times: 1 });
    await deliver(await world.addToOutbox("messenger", "1006", [{ text: "hỏng" }, { text: "được" }]));
    expect((await world.outboxOf("messenger", "1006")).map((row) => row.status)).toEqual(["failed", "sent"]);
    expect(world.graph.attempts.items.filter((attempt) => attempt.recipientId === "1006")).toHaveLength(2);
  });

  it("a long message interrupted between its parts resumes after the part already sent", async () => {
    const long = Array.from({ length: 60 }, (_, index) => `Câu ${index + 1}: Hội Khuyến học xã ghi nhận đăng ký của bạn và sẽ liên hệ sớm.`).join(" ");
    world.graph.fail("outage", { userId: "1007", times: 1, skip: 1 });
    await deliver(await world.addToOutbox("messenger", "1007", [{ text: long }, { text: "Hết." }]));
    const texts = world.graph.textsTo("1007");
    expect(texts).toHaveLength(4);
    expect(new Set(texts).size).toBe(4);
    expect(texts.slice(0, 3).join(" ")).toBe(long);
    const rows = await world.outboxOf("messenger", "1007");
    expect(rows.map((row) => row.status)).toEqual(["sent", "sent"]);
    expect(rows[0]?.platformMessageId?.split(" ")).toHaveLength(3);
  });

  it("an outage spanning several retries: every queued message delivered after recovery, in order per person, none twice", async () => {
    world.graph.fail("outage");
    world.zalo.fail("outage");
    const people = ["1101", "1102", "1103"];
    const batches: OutboxItem[][] = [];
    for (const person of people) {
      batches.push(await world.addToOutbox("messenger", person, [{ text: `${person}: một` }, { text: `${person}: hai` }]));
      batches.push(await world.addToOutbox("zalo", `2${person.slice(1)}`, [{ text: `${person}: một` }, { text: `${person}: hai` }]));
    }
    for (const batch of batches) await dispatcher.dispatch(batch);
    // More replies arrive for the same people while the platform is down: a second job per person.
    for (const person of people) {
      const later = await world.addToOutbox("messenger", person, [{ text: `${person}: ba` }]);
      batches.push(later);
      await dispatcher.dispatch(later);
    }
    const outagesBefore = world.graph.attempts.items.filter((attempt) => attempt.outcome === "outage").length;
    await world.graph.attempts.waitFor(world.graph.attempts.items.length + 3 * people.length);
    await world.zalo.attempts.waitFor(world.zalo.attempts.items.length + 3 * people.length);
    world.graph.recover();
    world.zalo.recover();
    for (const batch of batches) await finished(batch);
    expect(world.graph.attempts.items.filter((attempt) => attempt.outcome === "outage").length - outagesBefore).toBeGreaterThanOrEqual(3 * people.length);
    for (const person of people) {
      expect(world.graph.textsTo(person)).toEqual([`${person}: một`, `${person}: hai`, `${person}: ba`]);
      expect(world.zalo.textsTo(`2${person.slice(1)}`)).toEqual([`${person}: một`, `${person}: hai`]);
      expect((await world.outboxOf("messenger", person)).every((row) => row.status === "sent")).toBe(true);
    }
  });

  it("a send waiting on a token refresh longer than the recipient lock lives keeps the person: a second job sends nothing twice", async () => {
    const prefix = `${world.redisPrefix}slowtoken:`;
    const slowDispatcher = createQueuedOutboundDispatcher({ redisUrl: testRedisUrl, redisPrefix: prefix, retryAttempts: 5, retryBaseMs: 20 });
    const shortLockWorkers = startOutboundWorkers({ redisUrl: testRedisUrl, redisPrefix: prefix, db: world.db, deliveries: world.deliveries, ratePerSecond: {}, log: silentLogger, lockTtlMs: 150, busyRetryMs: 30 });
    const options = { connection: redisConnection, prefix: bullPrefix(prefix) };
    const queue = new Queue(outboundQueueName("zalo"), options);
    const events = new QueueEvents(outboundQueueName("zalo"), options);
    try {
      await events.waitUntilReady();
      world.zalo.expireAccessTokens();
      world.zalo.setRefreshDelay(900);
      const refreshesBefore = world.zalo.refreshes.items.length;
      const first = await world.addToOutbox("zalo", "2401", [{ text: "Một" }]);
      await slowDispatcher.dispatch(first);
      // The first job met the expired token and is waiting on the refresh: a second job for the same person now.
      await expect.poll(() => world.zalo.attempts.items.some((attempt) => attempt.userId === "2401" && attempt.outcome === "rejected"), { timeout: 10_000 }).toBe(true);
      const second = await world.addToOutbox("zalo", "2401", [{ text: "Hai" }]);
      await slowDispatcher.dispatch(second);
      for (const item of [first[0]!, second[0]!]) {
        const settled = async () => (await world.outboxOf("zalo", "2401")).some((row) => row.id === item.id && row.status === "sent");
        await waitForJob(queue, events, deliveryJobId("zalo", "2401", item.id), settled);
      }
      expect(world.zalo.refreshes.items.length).toBeGreaterThan(refreshesBefore);
    } finally {
      world.zalo.setRefreshDelay(0);
      await shortLockWorkers.close();
      await slowDispatcher.close();
      await events.close();
      await queue.close();
    }
    expect(world.zalo.textsTo("2401")).toEqual(["Một", "Hai"]);
    expect((await world.outboxOf("zalo", "2401")).map((row) => row.status)).toEqual(["sent", "sent"]);
  });

  it("gives up after SEND_RETRY_ATTEMPTS: the rows the job covered end as failed, later rows are left to their own job", async () => {
    const prefix = `${world.redisPrefix}impatient:`;
    const impatient = createQueuedOutboundDispatcher({ redisUrl: testRedisUrl, redisPrefix: prefix, retryAttempts: 2, retryBaseMs: 10 });
    const impatientWorkers = startOutboundWorkers({ redisUrl: testRedisUrl, redisPrefix: prefix, db: world.db, deliveries: world.deliveries, ratePerSecond: {}, log: silentLogger });
    const options = { connection: redisConnection, prefix: bullPrefix(prefix) };
    const queue = new Queue(outboundQueueName("zalo"), options);
    const events = new QueueEvents(outboundQueueName("zalo"), options);
    try {
      await events.waitUntilReady();
      world.zalo.fail("outage", { userId: "2301" });
      const items = await world.addToOutbox("zalo", "2301", [{ text: "D1" }, { text: "D2" }]);
      await impatient.dispatch(items);
      const settled = async () => (await world.outboxOf("zalo", "2301")).every((row) => row.status === "failed");
      await waitForJob(queue, events, deliveryJobId("zalo", "2301", items[1]?.id ?? 0), settled);
    } finally {
      world.zalo.recover();
      await impatientWorkers.close();
      await impatient.close();
      await events.close();
      await queue.close();
    }
    const rows = await world.outboxOf("zalo", "2301");
    expect(rows.map((row) => [row.status, row.attempts])).toEqual([
      ["failed", 2],
      ["failed", 0],
    ]);
    expect(world.zalo.attempts.items.filter((attempt) => attempt.userId === "2301").map((attempt) => attempt.outcome)).toEqual(["outage", "outage"]);
  });
});
