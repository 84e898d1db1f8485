import { once } from "node:events";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGraphApi, textOf, type FakeGraphApi } from "../fakes/fakeGraphApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook } from "../fakes/signWebhooks.js";
import { testPage } from "../support/platformHelpers.js";
import { connectToSchema, startServerProcess, type ServerProcess } from "../support/serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment, postgresUrl } from "../support/testRuntime.js";

// Issue 9, acceptance 1: kill -9 of one of two server processes while 150 people answer in sequence, then a
// restart → every acknowledged event handled once, no reply sent twice, no conversation stuck.
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
  database = await connectToSchema(environment);
}, 120_000);

afterAll(async () => {
  await database?.end();
  for (const server of servers) if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  await graph?.close();
  await cleanUpIsolated(environment);
});

describe("kill -9 of one of two servers under load", () => {
  it("handles every acknowledged event once, sends no reply twice and leaves nobody stuck", async () => {
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

    // Everything settles: every event handled, no outbox row waiting or claimed.
    await expect
      .poll(
        async () => {
          const { rows } = await database.query(
            `select (select count(*) from inbound_events where processed_at is null)
                  + (select count(*) from outbound_messages where status in ('pending', 'sending')) as n`,
          );
          return Number(rows[0].n);
        },
        { timeout: 60_000, interval: 200 },
      )
      .toBe(0);
    const events = await database.query("select count(*)::int as n, count(*) filter (where dead_lettered_at is not null)::int as dead from inbound_events");
    expect(events.rows[0]).toEqual({ n: people * answers.length, dead: 0 });

    // Nobody is stuck: every conversation reached the name question.
    const stages = await database.query("select state->>'stage' as stage, count(*)::int as n from conversation_sessions group by 1");
    expect(stages.rows).toEqual([{ stage: "fullName", n: people }]);

    // No reply twice: per person, the platform got each committed reply at most once; only a row cut by the kill
    // (claimed, never settled, given up) may be missing — at most one per person, the one that was on the wire to
    // them (one sender per recipient, one row claimed at a time), so never more than the people writing at once.
    const outbox = await database.query<{ user_id: string; sent: number; interrupted: number }>(
      `select user_id, count(*) filter (where status = 'sent')::int as sent,
              count(*) filter (where status = 'failed' and last_error like 'interrupted%')::int as interrupted
       from outbound_messages group by user_id`,
    );
    let interruptedRows = 0;
    for (const row of outbox.rows) {
      const texts = graph.textsTo(row.user_id);
      expect(new Set(texts).size, `${row.user_id} got a reply twice`).toBe(texts.length);
      expect(texts.length).toBeGreaterThanOrEqual(row.sent);
      expect(texts.length).toBeLessThanOrEqual(row.sent + row.interrupted);
      expect(row.interrupted, `${row.user_id}: more than the one reply in flight was cut`).toBeLessThanOrEqual(1);
      interruptedRows += row.interrupted;
    }
    expect(interruptedRows).toBeLessThanOrEqual(lanes);
    expect(graph.sent.items.filter((entry) => textOf(entry.body) === "").length).toBe(0);
  }, 180_000);
});
