import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messengerEvents, postWebhook, signedMessengerWebhook } from "../fakes/signWebhooks.js";
import { startOwnPostgres } from "../support/ownPostgres.js";
import { startFakePlatformWorld, testPage, type FakePlatformWorld } from "../support/platformHelpers.js";
import { connectToSchema, WebchatClient } from "../support/serverProcess.js";

// PostgreSQL restarting under a running server (its own cluster on a free port, never the shared one): the process
// stays up, readiness, the web chat and webhooks answer 5xx meanwhile (so the platform delivers again), and once the
// database is back it works by itself and the redelivered webhook is handled exactly once.
let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;
let world: FakePlatformWorld;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  world = await startFakePlatformWorld({ DATABASE_URL: postgres.url });
  // The test's own connection dies with the database too; it is replaced after the outage.
  world.database.on("error", () => undefined);
}, 120_000);

afterAll(async () => {
  await world?.close();
  postgres?.remove();
});

const readiness = async () => (await fetch(`${world.server.url}/readyz`)).status;

describe("a database outage", () => {
  it("keeps the server up, answers 5xx while PostgreSQL is away for 20 s, and handles the platform's redelivery exactly once", async () => {
    const { server, graph } = world;
    const citizen = new WebchatClient(server.url);
    expect(await citizen.says("đăng ký")).toMatch(/đồng ý/i);
    expect(await readiness()).toBe(200);

    postgres.stop();
    const stoppedAt = Date.now();
    // The pool's idle connections are terminated now: without a handler that is an unhandled 'error' and Node exits.
    await expect.poll(readiness, { timeout: 20_000 }).toBe(503);
    const during = await fetch(`${server.url}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: citizen.cookie },
      body: JSON.stringify({ text: "Đồng ý" }),
    });
    expect(during.status).toBe(503);
    const psid = "7400000000000001";
    const webhook = signedMessengerWebhook(testPage.appSecret, messengerEvents.batch(testPage.pageId, [messengerEvents.text(psid, testPage.pageId, "đăng ký", "m_outage_1")]));
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBeGreaterThanOrEqual(500);
    expect(server.child.exitCode).toBeNull();
    // Twenty seconds away, as a restart or failover can take: the platform keeps retrying, and keeps getting 5xx.
    while (Date.now() - stoppedAt < 20_000) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBeGreaterThanOrEqual(500);
      expect(await readiness()).toBe(503);
      expect(server.child.exitCode).toBeNull();
    }

    postgres.start();
    await expect.poll(readiness, { timeout: 30_000 }).toBe(200);
    expect(await citizen.says("Đồng ý")).toMatch(/tỉnh/i);
    // Meta delivers the webhook again, twice at once: one turn, one welcome.
    const again = await Promise.all([postWebhook(`${server.url}/webhooks/messenger`, webhook), postWebhook(`${server.url}/webhooks/messenger`, webhook)]);
    expect(again.map((answer) => answer.status)).toEqual([200, 200]);
    await expect.poll(() => graph.sent.items.filter((entry) => entry.recipientId === psid).length, { timeout: 20_000 }).toBeGreaterThan(0);
    const database = await connectToSchema(world.environment);
    try {
      const { rows } = await database.query("select count(*)::int as n, count(processed_at)::int as handled from inbound_events where user_id = $1", [psid]);
      expect(rows[0]).toEqual({ n: 1, handled: 1 });
    } finally {
      await database.end();
    }
    const welcomes = graph.sent.items.filter((entry) => entry.recipientId === psid && JSON.stringify(entry.body).includes("Xin chào"));
    expect(welcomes).toHaveLength(1);
    expect(server.child.exitCode).toBeNull();
    expect(server.logs.join("\n")).toMatch(/a database connection was lost/);
  });
});
