import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakePlatformWorld, type FakePlatformWorld } from "../support/platformHelpers.js";

// A turn committed its replies to the outbox and the process died before handing them to delivery: the relay finds
// committed rows still pending after STALLED_AFTER_MS and sends them, once.
let world: FakePlatformWorld;

beforeAll(async () => {
  world = await startFakePlatformWorld({ SWEEP_EVERY_MS: "200", STALLED_AFTER_MS: "300" });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

describe("the outbox relay", () => {
  it("sends a committed reply nobody dispatched, exactly once", async () => {
    const psid = "7300000000000001";
    await world.database.query(`insert into channel_identities (channel, user_id, last_inbound_at) values ('messenger', $1, now())`, [psid]);
    const { rows } = await world.database.query<{ id: string }>(
      `insert into outbound_messages (channel, user_id, message, status, created_at) values ('messenger', $1, $2, 'pending', now() - interval '1 second') returning id`,
      [psid, JSON.stringify({ text: "Đã gửi! Điểm của bạn: 92/100." })],
    );
    await expect
      .poll(async () => (await world.database.query(`select status from outbound_messages where id = $1`, [rows[0]!.id])).rows[0]?.status, { timeout: 20_000 })
      .toBe("sent");
    const toPerson = world.graph.sent.items.filter((entry) => entry.recipientId === psid);
    expect(toPerson).toHaveLength(1);
    expect(JSON.stringify(toPerson[0]?.body)).toContain("92/100");
  });
});
