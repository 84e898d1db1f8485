import { once } from "node:events";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGraphApi, textOf, type FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook } from "../fakes/signWebhooks.js";
import { testPage } from "../support/platformHelpers.js";
import { connectToSchema, startServerProcess, type ServerProcess } from "../support/serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment, postgresUrl } from "../support/testRuntime.js";

// Issue 9, acceptance 1: kill -9 of one of two server processes while 150 people answer in sequence, then a
// restart → every acknowledged event handled once, every reply sent once, no conversation stuck. The Page is
// subscribed to `message_echoes`: a reply cut mid-send is settled from its echo (sent or not) and resent only if
// the platform never got it, and only once the killed sender's hold on that person has run out (a live sender that is
// merely slow keeps its rows: it once was taken for a dead one and its reply went twice).
const people = 150;
/** People writing at the same time. */
const lanes = 25;
const answers = ["đăng ký", "đồng ý", "Phú Thọ", "Vĩnh Yên", "Thôn Đông"];
let graph: FakeGraphApi;
let environment: Record<string, string | undefined>;
let servers: ServerProcess[] = [];
let database: pg.Client;

beforeAll(async () => {
  graph = await startFakeGraphApi({ pageAccessToken: testPage.pageAccessToken, pageId: testPage.pageId });
  environment = isolatedEnvironment({
    DATABASE_URL: postgresUrl,
    MESSENGER_APP_SECRET: testPage.appSecret,
    MESSENGER_VERIFY_TOKEN: "verify-me",
    MESSENGER_PAGE_ACCESS_TOKEN: testPage.pageAccessToken,
    MESSENGER_PAGE_ID: testPage.pageId,
    MESSENGER_GRAPH_URL: graph.graphUrl,
    MESSENGER_RATE_PER_SECOND: "1000",
    SWEEP_EVERY_MS: "500",
    STALLED_AFTER_MS: "1000",
    OUTBOX_INTERRUPTED_AFTER_MS: "3000",
    REMINDERS_ENABLED: "false",
  });
  servers = [await startServerProcess(environment), await startServerProcess(environment)];
  graph.sendEchoes({ appSecret: testPage.appSecret, urls: () => servers.map((server) => `${server.url}/webhooks/messenger`) });
  database = await connectToSchema(environment);
}, 120_000);

afterAll(async () => {
  await database?.end();
  for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  await graph?.close();
  await cleanUpIsolated(environment);
});

describe("kill -9 of one of two servers under load", () => {
  it("handles every acknowledged event once, sends every reply once and leaves nobody stuck", async () => {
    const psid = (person: number) => String(7_300_000_000 + person);
    let delivered = 0;
    let killed = false;
    /** A webhook to a live server; a refused connection is what the platform would retry, so retry on the other. */
    const deliver = async (person: number, step: number) => {
      const webhook = signedMessengerWebhook(testPage.appSecret, messengerEvents.batch(testPage.pageId, [messengerEvents.text(psid(person), testPage.pageId, answers[step]!, `m_${person}_${step}`)]));
      for (let attempt = 0; ; attempt++) {
        const server = servers[(person + step + attempt) % servers.length]!;
        try {
          const response = await postWebhook(`${server.url}/webhooks/messenger`, webhook);
          if (response.status === 200) return;
        } catch {
          // the process is gone: the platform tries again
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const victim = servers[0]!;
    const runPerson = async (person: number) => {
      for (let step = 0; step < answers.length; step++) {
        await deliver(person, step);
        delivered++;
        if (!killed && delivered >= (people * answers.length) / 3) {
          killed = true;
          const exited = once(victim.child, "exit");
          victim.child.kill("SIGKILL");
          await exited;
          servers[0] = await startServerProcess(environment);
        }
      }
    };
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        for (let person = lane; person < people; person += lanes) await runPerson(person);
      }),
    );
    expect(killed).toBe(true);

    // Everything settles: every event handled, no outbox row waiting or claimed. A row the killed server was sending
    // is settled once its hold on the person runs out (recipientLockTtlMs, 30 s): never while a live sender has it.
    await expect
      .poll(
        async () => {
          const { rows } = await database.query(
            `select (select count(*) from inbound_events where processed_at is null)
                  + (select count(*) from outbound_messages where status in ('pending', 'sending')) as n`,
          );
          return Number(rows[0].n);
        },
        { timeout: 90_000, interval: 200 },
      )
      .toBe(0);
    const events = await database.query("select count(*)::int as n, count(*) filter (where dead_lettered_at is not null)::int as dead from inbound_events");
    expect(events.rows[0]).toEqual({ n: people * answers.length, dead: 0 });

    // Nobody is stuck: every conversation reached the name question.
    const stages = await database.query("select state->>'stage' as stage, count(*)::int as n from conversation_sessions group by 1");
    expect(stages.rows).toEqual([{ stage: "fullName", n: people }]);

    // Every reply once: per person, the platform got exactly the committed replies, in order, none twice, none
    // missing — the one cut by the kill (if any) was settled from its echo: marked sent, or sent again.
    await graph.echoes.settled();
    expect(graph.echoes.undelivered).toBe(0);
    const outbox = await database.query<{ user_id: string; texts: string[]; statuses: string[] }>(
      `select user_id, array_agg(coalesce(message->>'text', '') order by id) as texts, array_agg(status order by id) as statuses
       from outbound_messages group by user_id`,
    );
    expect(outbox.rows.length).toBe(people);
    for (const row of outbox.rows) {
      expect(new Set(row.statuses), row.user_id).toEqual(new Set(["sent"]));
      const received = graph.sent.items.filter((entry) => entry.recipientId === row.user_id);
      // One call per reply here (no reply in this script is longer than a Messenger message).
      expect(received.map((entry) => textOf(entry.body)), `${row.user_id} did not get each reply once, in order`).toEqual(row.texts.map((text) => expect.stringContaining(text.slice(0, 40))));
    }
    expect(graph.sent.items.filter((entry) => textOf(entry.body) === "").length).toBe(0);
  }, 240_000);
});
