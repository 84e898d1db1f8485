import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inboundEvents } from "../../db/schema.js";
import { purgeHandledEvents } from "../../src/persistence/conversationStore.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// The inbox is not kept for ever: what a person typed leaves handled events after the retention, the rows (kept a
// while longer to recognise late redeliveries) after twice that. Pending events are never touched.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

describe("purging handled events", () => {
  it("strips old texts first, deletes older rows, and leaves pending events alone", async () => {
    const db = test.runtime.database.db;
    const day = 24 * 3600_000;
    const now = Date.now();
    const row = (eventId: string, ageDays: number, handled: boolean) => ({
      channel: "web",
      eventId,
      userId: "purge-visitor",
      event: { eventId, channel: "web", userId: "purge-visitor", at: now, kind: "text", text: `Nguyễn Văn An ${eventId}` },
      receivedAt: new Date(now - ageDays * day),
      processedAt: handled ? new Date(now - ageDays * day) : null,
    });
    await db.insert(inboundEvents).values([row("fresh", 1, true), row("old", 40, true), row("ancient", 70, true), row("stuck", 70, false)]);
    const purged = await purgeHandledEvents(db, { textsBefore: new Date(now - 30 * day), rowsBefore: new Date(now - 60 * day) });
    expect(purged).toEqual({ stripped: 2, deleted: 1 });
    const left = Object.fromEntries((await db.select().from(inboundEvents).where(eq(inboundEvents.userId, "purge-visitor"))).map((event) => [event.eventId, event.event]));
    expect(Object.keys(left).sort()).toEqual(["fresh", "old", "stuck"]);
    expect(left.old).toEqual({ kind: "text", purged: true });
    expect(JSON.stringify(left.fresh)).toContain("Nguyễn Văn An");
    expect(JSON.stringify(left.stuck)).toContain("Nguyễn Văn An");
    expect(await purgeHandledEvents(db, { textsBefore: new Date(now - 30 * day), rowsBefore: new Date(now - 60 * day) })).toEqual({ stripped: 0, deleted: 0 });
  });
});
