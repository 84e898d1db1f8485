import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Issue 9 (housekeeping): every query the pipeline issues on its two big tables uses an index, checked with EXPLAIN
// on a million rows each. The statements mirror the code's (src/persistence/conversationStore.ts,
// src/jobs/deliverRecipientOutbox.ts); a new query on these tables belongs here too.
let test: TestRuntime;
const rows = 1_000_000;

beforeAll(async () => {
  test = await startTestRuntime({ RUN_WORKERS: "false" });
  const db = test.runtime.database.db;
  await db.execute(sql`
    insert into inbound_events (channel, event_id, user_id, event, received_at, processed_at)
    select (array['messenger', 'zalo', 'web'])[1 + g % 3], 'e' || g, (g % 50000)::text, '{"kind":"text","text":"x"}'::jsonb,
           now() - ((g % 90) || ' days')::interval,
           case when g % 5000 = 0 then null else now() - ((g % 90) || ' days')::interval end
    from generate_series(1, ${rows}) g`);
  await db.execute(sql`
    insert into outbound_messages (channel, user_id, message, status, created_at, claimed_at)
    select (array['messenger', 'zalo', 'web'])[1 + g % 3], (g % 50000)::text, '{"text":"x"}'::jsonb,
           case when g % 5000 = 0 then 'pending' when g % 7919 = 0 then 'sending' else 'sent' end,
           now() - ((g % 90) || ' days')::interval, now() - ((g % 90) || ' days')::interval
    from generate_series(1, ${rows}) g`);
  await db.execute(sql`analyze inbound_events`);
  await db.execute(sql`analyze outbound_messages`);
}, 240_000);

afterAll(async () => {
  await test?.close();
});

type PlanNode = { "Node Type": string; "Relation Name"?: string; Plans?: PlanNode[] };

async function scans(statement: ReturnType<typeof sql>): Promise<string[]> {
  const result = await test.runtime.database.db.execute(sql`explain (format json) ${statement}`);
  const plan = ((result as unknown as { rows: Array<{ "QUERY PLAN": Array<{ Plan: PlanNode }> }> }).rows[0]?.["QUERY PLAN"][0]?.Plan) as PlanNode;
  const found: string[] = [];
  const walk = (node: PlanNode) => {
    if (node["Relation Name"]) found.push(`${node["Node Type"]} on ${node["Relation Name"]}`);
    node.Plans?.forEach(walk);
  };
  walk(plan);
  return found;
}

const queries: Record<string, ReturnType<typeof sql>> = {
  "people's next events, counted (takeNextTurns)": sql`with wanted as (select distinct channel, user_id from jsonb_to_recordset('[{"channel":"messenger","user_id":"42"},{"channel":"zalo","user_id":"43"}]'::jsonb) as w(channel text, user_id text)),
    oldest as (select (select p.id from inbound_events p where p.channel = w.channel and p.user_id = w.user_id and p.processed_at is null order by p.id limit 1) as id from wanted w)
    update inbound_events e set attempts = e.attempts + 1 from oldest where e.id = oldest.id and e.processed_at is null returning e.id, e.event, e.attempts, e.channel, e.user_id`,
  "whether the person wrote more (commitTurn)": sql`select exists (select 1 from inbound_events later where later.channel = 'messenger' and later.user_id = '42' and later.processed_at is null and later.id <> 5)`,
  "stalled people (stalledIdentities)": sql`select distinct channel, user_id from inbound_events where processed_at is null and received_at < now() - interval '10 seconds' limit 500`,
  "a web visitor's history (webTranscript)": sql`select id, event, received_at from inbound_events where channel = 'web' and user_id = '42'`,
  "a web visitor's replies after the last one (webTranscript)": sql`select id, message from outbound_messages where channel = 'web' and user_id = '42' and id > 1000 order by id`,
  "a redelivery (the dedupe key)": sql`select id from inbound_events where channel = 'messenger' and event_id = 'e4242'`,
  // In steady state only about a day of rows is older than the retention (the rest was purged before): selective.
  "old texts to strip (purgeHandledEvents)": sql`select id from inbound_events where received_at < now() - interval '89 days' and processed_at is not null`,
  "a person's messages to delete (xóa dữ liệu)": sql`select id from outbound_messages where channel = 'zalo' and user_id = '42'`,
  "recipients' next rows, claimed, the rows sent before settled (claimNextRows)": sql`with input as (select * from jsonb_to_recordset('[{"n":0,"channel":"messenger","user_id":"42","sent_id":5000,"sent_ids":"m1","at":"2026-01-01T00:00:00Z"},{"n":1,"channel":"zalo","user_id":"43","sent_id":null,"sent_ids":null,"at":"2026-01-01T00:00:00Z"}]'::jsonb) as i(n int, channel text, user_id text, sent_id bigint, sent_ids text, at timestamptz)),
    settled as (update outbound_messages o set status = 'sent', attempts = o.attempts + 1, sent_at = i.at, platform_message_id = i.sent_ids from input i where o.id = i.sent_id and o.status in ('pending', 'sending')),
    oldest as (select i.n, i.channel, i.user_id, i.sent_id, i.at, (select p.id from outbound_messages p where p.channel = i.channel and p.user_id = i.user_id and p.status = 'pending' order by p.id limit 1) as id from input i)
    update outbound_messages o set status = 'sending', claimed_at = oldest.at from oldest where o.id = oldest.id and o.status = 'pending'
      and not exists (select 1 from outbound_messages cut where cut.channel = oldest.channel and cut.user_id = oldest.user_id and cut.status = 'sending' and cut.id <> coalesce(oldest.sent_id, 0))
    returning oldest.n, o.id, o.message, o.platform_message_id, o.inbound_event_id`,
  "a Messenger echo (recordOutboundEchoes)": sql`update outbound_messages set echoes = array_append(echoes, 'part:0') where id = 42 and channel = 'messenger' and user_id = '42' and status = 'sending' and not ('part:0' = any(echoes))`,
  "a Zalo echo (recordOutboundEchoes)": sql`update outbound_messages set echoes = array_append(echoes, 'text:x') where id = (select id from outbound_messages where channel = 'zalo' and user_id = '42' and status = 'sending' order by id limit 1) and status = 'sending' and not ('text:x' = any(echoes)) and not exists (select 1 from outbound_messages known where known.channel = 'zalo' and known.user_id = '42' and 'zmsg'::text = any(string_to_array(known.platform_message_id, ' ')))`,
  "pending rows to relay (pendingOutboxOlderThan)": sql`select distinct on (channel, user_id) id, channel, user_id, message from outbound_messages where status = 'pending' and created_at < now() - interval '10 seconds' and channel in ('messenger', 'zalo') order by channel, user_id, id desc limit 1000`,
  "claims left by a dead worker (recoverInterruptedOutbox)": sql`select id, channel, user_id, message, inbound_event_id, platform_message_id, echoes from outbound_messages where status = 'sending' and claimed_at < now() - interval '2 minutes' order by id limit 500`,
};

describe("query plans on a million rows", () => {
  it.each(Object.entries(queries))("%s uses an index", async (_name, statement) => {
    const used = await scans(statement);
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((scan) => scan.startsWith("Seq Scan"))).toEqual([]);
  });
});
