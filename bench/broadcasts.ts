/**
 * Broadcasts at a province's scale: 100,000 recipients in PostgreSQL (BENCH_DATABASE_URL, own schema) and Redis
 * (BENCH_REDIS_URL, own prefix), both removed at the end. Times freezing the audience and enqueueing its jobs,
 * measures the send rate against a fake Graph API on loopback over a fixed window, and samples Redis memory.
 * Results as a table and as JSON under bench/results/.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { tokenActor } from "../src/admin/scope.js";
import { applyCampaignAction, createBroadcast, getBroadcast } from "../src/broadcasts/campaignStore.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { createRuntime } from "../src/runtime.js";
import { startFakeGraphApi } from "../tests/fakes/fakeGraphApi.js";
import { deleteKeys } from "./deleteKeys.js";

const recipientsWanted = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 100_000);
const rate = Number(process.env.BENCH_BROADCAST_RATE ?? 200);
const sendWindowSeconds = Number(process.env.BENCH_BROADCAST_SECONDS ?? 15);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runBroadcastBench(): Promise<void> {
  const schema = `bench_bc_${randomBytes(4).toString("hex")}`;
  const prefix = `bench:${schema}:`;
  const page = { pageId: "106000000000001", pageAccessToken: "bench-token" };
  const graph = await startFakeGraphApi(page);
  const config = loadConfig({
    DATABASE_URL: databaseUrl,
    DATABASE_SCHEMA: schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "silent",
    RUN_WORKERS: "false",
    REGISTRATION_YEAR: "2026",
    MESSENGER_APP_SECRET: "bench",
    MESSENGER_VERIFY_TOKEN: "bench",
    MESSENGER_PAGE_ACCESS_TOKEN: page.pageAccessToken,
    MESSENGER_PAGE_ID: page.pageId,
    MESSENGER_GRAPH_URL: graph.graphUrl,
    BROADCAST_QUIET_HOURS: "off",
    BROADCAST_RATE_MESSENGER: String(rate),
    REMINDERS_ENABLED: "false",
  });
  const runtime = await createRuntime(config, createLogger("silent"));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`set search_path to "${schema}"`);
  const redis = new Redis(redisUrl);
  const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1] ?? 0);
  try {
    const [commune] = (await client.query<{ code: string; province_code: string }>("select code, province_code from communes order by code limit 1")).rows;
    await client.query("create temp table seed as select g, gen_random_uuid() as person_id from generate_series(1, $1::int) g", [recipientsWanted]);
    await client.query("insert into people (id, full_name) select person_id, 'Người nhận số ' || g from seed");
    await client.query(
      `insert into registrations (person_id, year, status, flow_id, flow_version, province_code, commune_code)
       select person_id, 2026, 'submitted', 'registration', 1, $1, $2 from seed`,
      [commune!.province_code, commune!.code],
    );
    await client.query(`insert into channel_identities (person_id, channel, user_id, last_inbound_at) select person_id, 'messenger', (7000000000 + g)::text, now() - interval '1 hour' from seed`);
    await client.query("analyze");
    for (let g = 1; g <= recipientsWanted; g++) graph.userWrote(String(7_000_000_000 + g), Date.now());
    const memoryBefore = await usedMemory();

    const db = runtime.database.db;
    const started = performance.now();
    const { id } = await createBroadcast(db, tokenActor, { name: "Bench", text: "Chào {{name}}, đây là tin nhắc nhở.", audience: { year: 2026 } });
    const sent = await applyCampaignAction(db, tokenActor, id, "send", new Date());
    const freezeMs = performance.now() - started;
    if (sent.status !== "ok") throw new Error(`could not start the campaign: ${sent.status}`);
    const jobs = await runtime.broadcasting.queue.enqueue(id, 1);
    const freezeAndEnqueueMs = performance.now() - started;
    const memoryAfterEnqueue = await usedMemory();

    const stopWorkers = runtime.broadcasting.startWorkers();
    await sleep(2_000); // warm-up: connections, JIT, the first jobs
    const windowStart = graph.sent.items.length;
    let peakMemory = memoryAfterEnqueue;
    const windowStarted = performance.now();
    while (performance.now() - windowStarted < sendWindowSeconds * 1000) {
      await sleep(500);
      peakMemory = Math.max(peakMemory, await usedMemory());
    }
    const measuredSeconds = (performance.now() - windowStarted) / 1000;
    const sendRate = (graph.sent.items.length - windowStart) / measuredSeconds;
    await applyCampaignAction(db, tokenActor, id, "cancel", new Date());
    await stopWorkers();
    const view = await getBroadcast(db, tokenActor, id);

    const result = {
      date: new Date().toISOString(),
      recipients: sent.view.total,
      jobs,
      freezeMs: Math.round(freezeMs),
      freezeAndEnqueueMs: Math.round(freezeAndEnqueueMs),
      configuredRate: rate,
      sendRate: Math.round(sendRate * 10) / 10,
      rateRatio: Math.round((sendRate / rate) * 1000) / 1000,
      redisBytesForJobs: memoryAfterEnqueue - memoryBefore,
      redisPeakAboveBaselineBytes: peakMemory - memoryBefore,
      sentBeforeCancel: view?.counts.sent ?? null,
    };
    console.table({
      "recipients frozen + jobs enqueued": `${result.recipients} in ${(result.freezeAndEnqueueMs / 1000).toFixed(2)} s (freeze ${(result.freezeMs / 1000).toFixed(2)} s, ${jobs} jobs)`,
      "send rate (Messenger fake)": `${result.sendRate}/s of ${rate}/s configured (${(result.rateRatio * 100).toFixed(1)}%)`,
      "Redis for the queued jobs": `${(result.redisBytesForJobs / 1024 / 1024).toFixed(1)} MB`,
      "Redis peak while sending": `${(result.redisPeakAboveBaselineBytes / 1024 / 1024).toFixed(1)} MB above baseline`,
    });
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    writeFileSync(new URL(`./results/broadcasts-${result.date.slice(0, 10)}.json`, import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await runtime.close();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
    await deleteKeys(redis, prefix);
    await redis.quit();
    await graph.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runBroadcastBench();
