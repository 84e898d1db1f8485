import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cleanUpIsolated, isolatedEnvironment, postgresUrl } from "../support/testRuntime.js";
import { connectToSchema, startServerProcess, WebchatClient, type ServerProcess } from "../support/serverProcess.js";

// Two server processes share Redis and PostgreSQL, as a scaled-out deployment does.
const environment = isolatedEnvironment({ DATABASE_URL: postgresUrl });
let servers: ServerProcess[] = [];
let database: pg.Client;

beforeAll(async () => {
  servers = await Promise.all([startServerProcess(environment), startServerProcess(environment)]);
  database = await connectToSchema(environment);
}, 120_000);

afterAll(async () => {
  await database?.end();
  await Promise.all(servers.map((server) => server.stop()));
  await cleanUpIsolated(environment);
});

async function eventsOf(cookie: string) {
  const userId = cookie.split("=")[1];
  const inbound = await database.query<{ id: string; processed_at: Date | null }>(
    "select id, processed_at from inbound_events where channel = 'web' and user_id = $1 order by id",
    [userId],
  );
  const outbound = await database.query<{ id: string; inbound_event_id: number }>(
    "select id, inbound_event_id from outbound_messages where channel = 'web' and user_id = $1 order by id",
    [userId],
  );
  return { inbound: inbound.rows, outbound: outbound.rows };
}

describe("two server processes, one person", () => {
  it("handles 20 messages fired at once across both one at a time, each exactly once, none dropped", async () => {
    const visitor = new WebchatClient(servers[0]!.url);
    await visitor.says("xin chào");
    const burst = Array.from({ length: 20 }, (_, i) => visitor.post({ text: `tin nhắn ${i + 1}` }, servers[i % 2]!.url));
    const results = await Promise.all(burst);
    expect(results).toHaveLength(20);
    const { inbound, outbound } = await eventsOf(visitor.cookie);
    expect(inbound).toHaveLength(21);
    expect(inbound.every((row) => row.processed_at !== null)).toBe(true);
    // Every turn answered, and each turn's replies are contiguous in the outbox: turns never interleaved.
    const turnsInOutboxOrder = outbound.map((row) => Number(row.inbound_event_id)).filter((id, i, all) => i === 0 || all[i - 1] !== id);
    expect(new Set(turnsInOutboxOrder).size).toBe(turnsInOutboxOrder.length);
    expect(new Set(turnsInOutboxOrder)).toEqual(new Set(inbound.map((row) => Number(row.id))));
  });

  it("keeps the order of messages sent one after another, alternating between the processes", async () => {
    const visitor = new WebchatClient(servers[0]!.url);
    expect(await visitor.says("đăng ký", servers[0]!.url)).toMatch(/đồng ý/i);
    expect(await visitor.says("đồng ý", servers[1]!.url)).toMatch(/tỉnh, thành phố nào/);
    expect(await visitor.says("Phú Thọ", servers[0]!.url)).toMatch(/xã, phường nào/);
    expect(await visitor.says("Vĩnh Phú", servers[1]!.url)).toMatch(/chi hội/);
    expect(await visitor.says("Không có ở đây", servers[0]!.url)).toMatch(/thôn, bản/);
  });

  it("turns the same event delivered twice, to both processes at once, into one effect", async () => {
    const visitor = new WebchatClient(servers[0]!.url);
    await visitor.says("đăng ký");
    const clientId = "same-event-0001";
    await Promise.all([visitor.post({ text: "đồng ý", clientId }, servers[0]!.url), visitor.post({ text: "đồng ý", clientId }, servers[1]!.url)]);
    const { inbound, outbound } = await eventsOf(visitor.cookie);
    expect(inbound).toHaveLength(2);
    const repliesToConsent = outbound.filter((row) => Number(row.inbound_event_id) === Number(inbound[1]!.id));
    expect(repliesToConsent.length).toBeGreaterThan(0);
    const consents = await database.query("select count(*)::int as n from consent_records where user_id = $1", [visitor.cookie.split("=")[1]]);
    expect(consents.rows[0].n).toBe(1);
  });
});
