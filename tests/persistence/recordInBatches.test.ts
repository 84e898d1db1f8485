import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelIdentities, inboundEvents } from "../../db/schema.js";
import type { RecordResult } from "../../src/conversation/ports.js";
import type { InboundEvent } from "../../src/conversation/types.js";
import { recordInboundEvents } from "../../src/persistence/conversationStore.js";
import { batchCalls } from "../../src/persistence/batchCalls.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Webhooks that arrive while one is being recorded are recorded together, in one statement: each still gets its own
// result (recorded with its id, or duplicate), ids follow the order of arrival, and a refused statement is retried
// event by event so one bad event never fails the others.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

let sequence = 0;
const textEvent = (userId: string, text: string, eventId = `batch-${++sequence}`): InboundEvent => ({ eventId, channel: "messenger", userId, at: Date.now(), kind: "text", text });

describe("recording webhooks in batches", () => {
  it("records many events in one statement: ids in order, repeats are duplicates, each person's last message noted once", async () => {
    const db = test.runtime.database.db;
    const first = textEvent("batch-a", "một");
    const results = await recordInboundEvents(db, [
      first,
      textEvent("batch-b", "hai"),
      { ...first }, // the same event twice in one call
      textEvent("batch-a", "ba"),
      { eventId: `batch-${++sequence}`, channel: "messenger", userId: "batch-c", at: Date.now(), kind: "unfollow" },
    ]);
    expect(results.map((result) => result.status)).toEqual(["recorded", "recorded", "duplicate", "recorded", "recorded"]);
    const ids = results.flatMap((result) => (result.status === "recorded" ? [result.id] : []));
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    expect(await recordInboundEvents(db, [first])).toEqual([{ status: "duplicate" }]);
    const identities = await db.select().from(channelIdentities).where(eq(channelIdentities.channel, "messenger"));
    expect(identities.map((row) => row.userId).sort()).toEqual(expect.arrayContaining(["batch-a", "batch-b"]));
    expect(identities.some((row) => row.userId === "batch-c")).toBe(false); // an unfollow is not an interaction
    const stored = await db.select().from(inboundEvents).where(and(eq(inboundEvents.channel, "messenger"), eq(inboundEvents.userId, "batch-a")));
    expect(stored.map((row) => (row.event as { text: string }).text)).toEqual(["một", "ba"]);
  });

  it("records alone at once, and together what arrives meanwhile", async () => {
    const calls: number[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const record = batchCalls<InboundEvent, RecordResult>(
      async (events) => {
        calls.push(events.length);
        if (calls.length === 1) await gate;
        return events.map((_, index): RecordResult => ({ status: "recorded", id: calls.length * 100 + index }));
      },
      { isDatabaseUnavailable: () => false },
    );
    const alone = record(textEvent("u", "1"));
    const together = [record(textEvent("u", "2")), record(textEvent("v", "3")), record(textEvent("w", "4"))];
    release();
    expect(await alone).toEqual({ status: "recorded", id: 100 });
    expect(await Promise.all(together)).toEqual([200, 201, 202].map((id) => ({ status: "recorded", id })));
    expect(calls).toEqual([1, 3]);
  });

  it("tries each event alone when a shared statement is refused, and fails only the one the database refuses", async () => {
    const calls: string[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const record = batchCalls<InboundEvent, RecordResult>(
      async (events) => {
        calls.push(events.map((event) => (event.kind === "text" ? event.text : "")));
        if (calls.length === 1) await gate;
        if (events.some((event) => event.kind === "text" && event.text === "bad")) throw new Error("refused");
        return events.map((): RecordResult => ({ status: "duplicate" }));
      },
      { isDatabaseUnavailable: () => false },
    );
    const first = record(textEvent("u", "first"));
    const rest = [record(textEvent("u", "ok")), record(textEvent("v", "bad")), record(textEvent("w", "fine"))].map((promise) =>
      promise.then(
        (result) => result.status,
        (error: Error) => error.message,
      ),
    );
    release();
    await first;
    expect(await Promise.all(rest)).toEqual(["duplicate", "refused", "duplicate"]);
    expect(calls).toEqual([["first"], ["ok", "bad", "fine"], ["ok"], ["bad"], ["fine"]]);
  });

  it("fails the whole batch at once when the database is away (the platforms deliver again)", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const record = batchCalls<InboundEvent, RecordResult>(
      async () => {
        calls++;
        if (calls === 1) {
          await gate;
          return [{ status: "duplicate" }];
        }
        throw new Error("away");
      },
      { isDatabaseUnavailable: () => true },
    );
    const first = record(textEvent("u", "first"));
    const rest = [record(textEvent("u", "a")), record(textEvent("v", "b"))].map((promise) => promise.catch((error: Error) => error.message));
    release();
    await first;
    expect(await Promise.all(rest)).toEqual(["away", "away"]);
    expect(calls).toBe(2);
  });
});
