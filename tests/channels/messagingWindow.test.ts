import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelIdentities } from "../../db/schema.js";
import { messagingWindow } from "../../src/jobs/messagingWindow.js";
import { openTestDatabase } from "./support/testDatabase.js";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
const now = new Date("2026-05-10T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3600_000);

beforeAll(async () => {
  database = await openTestDatabase("window");
  await database.handle.db.insert(channelIdentities).values([
    { channel: "messenger", userId: "m-recent", lastInboundAt: hoursAgo(23) },
    { channel: "messenger", userId: "m-old", lastInboundAt: hoursAgo(25) },
    { channel: "zalo", userId: "z-6days", lastInboundAt: hoursAgo(6 * 24) },
    { channel: "zalo", userId: "z-8days", lastInboundAt: hoursAgo(8 * 24) },
    { channel: "zalo", userId: "z-refused", lastInboundAt: hoursAgo(2), outsideWindowAt: hoursAgo(1) },
    { channel: "zalo", userId: "z-wrote-again", lastInboundAt: hoursAgo(1), unreachableAt: hoursAgo(30) },
  ]);
});
afterAll(async () => {
  await database?.drop();
});

describe("messagingWindow", () => {
  const db = () => database.handle.db;

  it("Messenger: open for 24 hours after the person's last message", async () => {
    expect(await messagingWindow(db(), { channel: "messenger", userId: "m-recent" }, now)).toEqual({ open: true, lastInboundAt: hoursAgo(23), closesAt: hoursAgo(-1) });
    expect(await messagingWindow(db(), { channel: "messenger", userId: "m-old" }, now)).toEqual({ open: false, lastInboundAt: hoursAgo(25), closesAt: hoursAgo(1) });
  });

  it("Zalo: open for 7 days", async () => {
    expect((await messagingWindow(db(), { channel: "zalo", userId: "z-6days" }, now)).open).toBe(true);
    expect(await messagingWindow(db(), { channel: "zalo", userId: "z-8days" }, now)).toEqual({ open: false, lastInboundAt: hoursAgo(192), closesAt: hoursAgo(24) });
  });

  it("closed after the platform refused since the last message, open again once the person writes", async () => {
    expect((await messagingWindow(db(), { channel: "zalo", userId: "z-refused" }, now)).open).toBe(false);
    expect((await messagingWindow(db(), { channel: "zalo", userId: "z-wrote-again" }, now)).open).toBe(true);
  });

  it("closed for someone who never wrote; the web chat has no window", async () => {
    expect(await messagingWindow(db(), { channel: "zalo", userId: "nobody" }, now)).toEqual({ open: false, lastInboundAt: null, closesAt: null });
    expect(await messagingWindow(db(), { channel: "web", userId: "cookie" }, now)).toEqual({ open: true, lastInboundAt: null, closesAt: null });
  });
});
