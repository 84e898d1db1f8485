import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGraphApi, type FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook } from "../fakes/signWebhooks.js";
import { connectToSchema, startServerProcess, type ServerProcess } from "../support/serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment, postgresUrl } from "../support/testRuntime.js";

// Two server processes behind one Page, sharing PostgreSQL and Redis; the Graph API is a fake on loopback.
const page = { pageId: "106000000000002", pageAccessToken: "EAAB-page-token-2", appSecret: "messenger-app-secret-2" };
let graph: FakeGraphApi;
let servers: ServerProcess[] = [];
let database: pg.Client;
let environment: Record<string, string | undefined>;

beforeAll(async () => {
  graph = await startFakeGraphApi({ pageAccessToken: page.pageAccessToken, pageId: page.pageId });
  environment = isolatedEnvironment({
    DATABASE_URL: postgresUrl,
    MESSENGER_APP_SECRET: page.appSecret,
    MESSENGER_VERIFY_TOKEN: "verify",
    MESSENGER_PAGE_ACCESS_TOKEN: page.pageAccessToken,
    MESSENGER_PAGE_ID: page.pageId,
    MESSENGER_GRAPH_URL: graph.graphUrl,
  });
  servers = await Promise.all([startServerProcess(environment), startServerProcess(environment)]);
  database = await connectToSchema(environment);
}, 120_000);

afterAll(async () => {
  await database?.end();
  await Promise.all(servers.map((server) => server.stop()));
  await graph?.close();
  if (environment) await cleanUpIsolated(environment);
});

async function settled(userIds: string[]) {
  await expect
    .poll(async () => {
      const { rows } = await database.query(
        `select (select count(*) from inbound_events where user_id = any($1) and processed_at is null)
              + (select count(*) from outbound_messages where user_id = any($1) and status in ('pending', 'sending')) as n`,
        [userIds],
      );
      return Number(rows[0].n);
    }, { timeout: 20_000, interval: 20 })
    .toBe(0);
}

describe("Messenger webhooks across two processes", () => {
  it("turns the same webhook delivered 3 times, concurrently to both processes, into one effect and one reply", async () => {
    const psid = "5550001";
    const webhook = signedMessengerWebhook(page.appSecret, messengerEvents.batch(page.pageId, [messengerEvents.text(psid, page.pageId, "đăng ký", "m_dup_1")]));
    const answers = await Promise.all([
      postWebhook(`${servers[0]!.url}/webhooks/messenger`, webhook),
      postWebhook(`${servers[1]!.url}/webhooks/messenger`, webhook),
      postWebhook(`${servers[0]!.url}/webhooks/messenger`, webhook),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await settled([psid]);
    const { rows } = await database.query("select count(*)::int as n from inbound_events where user_id = $1", [psid]);
    expect(rows[0].n).toBe(1);
    const texts = graph.textsTo(psid);
    expect(texts.filter((text) => /Xin chào! Tôi là Trợ lý/.test(text))).toHaveLength(1);
  });

  it("handles a batch with events from 3 people, two from one person, all of them, the one person's in order", async () => {
    const [a, b, c] = ["5550011", "5550012", "5550013"];
    const batch = messengerEvents.batch(
      page.pageId,
      [messengerEvents.text(a!, page.pageId, "đăng ký", "m_b1"), messengerEvents.text(b!, page.pageId, "đăng ký", "m_b2")],
      [messengerEvents.text(a!, page.pageId, "đồng ý", "m_b3"), messengerEvents.text(c!, page.pageId, "xin chào", "m_b4")],
    );
    expect((await postWebhook(`${servers[1]!.url}/webhooks/messenger`, signedMessengerWebhook(page.appSecret, batch))).status).toBe(200);
    await settled([a!, b!, c!]);
    // a: welcome and consent first, then the province question after "đồng ý".
    expect(graph.textsTo(a!).join("\n")).toMatch(/Xin chào[\s\S]*đồng ý[\s\S]*tỉnh, thành phố nào/);
    expect(graph.textsTo(b!).join("\n")).toMatch(/đồng ý/);
    expect(graph.textsTo(c!).join("\n")).toMatch(/đồng ý/);
    const { rows } = await database.query("select count(*)::int as n from inbound_events where user_id = any($1) and processed_at is not null", [[a, b, c]]);
    expect(rows[0].n).toBe(4);
  });
});
