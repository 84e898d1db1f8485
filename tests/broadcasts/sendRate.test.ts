import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSendRate } from "../../src/broadcasts/sendRate.js";
import { deleteKeys } from "../../bench/deleteKeys.js";
import { redisUrl } from "../support/testRuntime.js";

// The per-channel send budget shared by every process: counts asked for at the same time share one Redis round
// trip, and each caller gets what it would have got had the increments gone one after another.
const prefix = `test:sendRate:${randomBytes(4).toString("hex")}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(redisUrl);
});
afterAll(async () => {
  await deleteKeys(redis, prefix);
  await redis.quit();
});

describe("send budget", () => {
  it("grants exactly the second's budget to callers asking at once, first asked first served, across processes", async () => {
    const second = Date.parse("2026-11-25T03:00:00.250Z");
    const here = createSendRate(redis, prefix, () => second);
    const otherConnection = redis.duplicate();
    const elsewhere = createSendRate(otherConnection, prefix, () => second);
    const asked = Array.from({ length: 25 }, (_, index) => (index % 5 === 4 ? elsewhere : here).tryTake("messenger", 10, 1));
    const granted = await Promise.all(asked);
    await otherConnection.quit();
    expect(granted.filter(Boolean)).toHaveLength(10);
    // Within this process the order of asking is kept (the other process's calls share its own round trips).
    const ownGrants = granted.filter((_, index) => index % 5 !== 4);
    expect(ownGrants.indexOf(false) === -1 || ownGrants.slice(ownGrants.indexOf(false)).every((value) => !value)).toBe(true);
    // Several slots at once: granted only when all fit.
    expect(await here.tryTake("zalo", 3, 2)).toBe(true);
    expect(await here.tryTake("zalo", 3, 2)).toBe(false);
    // The next second has its own budget.
    const later = createSendRate(redis, prefix, () => second + 1000);
    expect(await later.tryTake("messenger", 10, 10)).toBe(true);
    expect(Number(await redis.get(`${prefix}rate:messenger:${Math.floor(second / 1000)}`))).toBe(25);
  });
});
