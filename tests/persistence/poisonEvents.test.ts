import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents, outboundMessages } from "../../db/schema.js";
import { sweepStalledEvents } from "../../src/runtime.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// A poisonous event (here: a row an older version wrote without its text, so the turn throws) used to stay first in
// its person's inbox for ever, and the sweeper stopped at the first failing person. Now: tried TURN_MAX_ATTEMPTS
// times, dead-lettered with its error class, the person gets an apology, their next message and everyone else's
// are handled.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime({ TURN_MAX_ATTEMPTS: "3" });
});
afterAll(async () => {
  await test?.close();
});

async function poison(userId: string, eventId: string) {
  await test.runtime.database.db.insert(inboundEvents).values({
    channel: "web",
    eventId,
    userId,
    event: { eventId, channel: "web", userId, at: Date.now(), kind: "text" },
    receivedAt: new Date(Date.now() - 60_000),
  });
}

const repliesTo = async (userId: string) =>
  (await test.runtime.database.db.select().from(outboundMessages).where(eq(outboundMessages.userId, userId))).map((row) => (row.message as { text: string }).text);

describe("poison events", () => {
  it("are dead-lettered after the last attempt with an apology, and the person's next message is handled", async () => {
    const { inbox, database } = test.runtime;
    await poison("poisoned", "poison-1");
    await inbox.record({ eventId: "after-1", channel: "web", userId: "poisoned", at: Date.now(), kind: "text", text: "đăng ký" });
    await expect(inbox.drain({ channel: "web", userId: "poisoned" })).rejects.toThrow();
    await expect(inbox.drain({ channel: "web", userId: "poisoned" })).rejects.toThrow();
    expect(await repliesTo("poisoned")).toEqual([]);
    await inbox.drain({ channel: "web", userId: "poisoned" });
    const [dead] = await database.db.select().from(inboundEvents).where(and(eq(inboundEvents.userId, "poisoned"), eq(inboundEvents.eventId, "poison-1")));
    expect(dead).toMatchObject({ attempts: 3, errorClass: "TypeError" });
    expect(dead?.deadLetteredAt).toBeInstanceOf(Date);
    const replies = await repliesTo("poisoned");
    expect(replies[0]).toMatch(/Xin lỗi, tôi chưa xử lý được tin nhắn vừa rồi/);
    expect(replies.slice(1).join("\n")).toMatch(/đồng ý/i);
  });

  it("never keep the sweeper from the people after a failing one", async () => {
    const { inbox } = test.runtime;
    await poison("first-in-line", "poison-2");
    await inbox.record({ eventId: "other-1", channel: "web", userId: "behind", at: Date.now() - 60_000, kind: "text", text: "đăng ký" });
    await test.runtime.database.db.update(inboundEvents).set({ receivedAt: new Date(Date.now() - 60_000) }).where(eq(inboundEvents.eventId, "other-1"));
    const sweep = await sweepStalledEvents(test.runtime, new Date(Date.now() - 10_000));
    expect(sweep).toEqual({ people: 2, failed: 1 });
    expect((await repliesTo("behind")).join("\n")).toMatch(/đồng ý/i);
    await sweepStalledEvents(test.runtime, new Date());
    await sweepStalledEvents(test.runtime, new Date());
    expect(await repliesTo("first-in-line")).toEqual([expect.stringMatching(/Xin lỗi/)]);
  });
});
