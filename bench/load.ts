/**
 * The load benchmark (part of `npm run bench`): the server as `npm start` runs it, against PostgreSQL and Redis
 * from BENCH_DATABASE_URL / BENCH_REDIS_URL (its own schema and key prefix, removed at the end), a fake Send API on
 * loopback (a worker thread) and, in the same run, a bare Express signature-check server as the ceiling.
 *
 * Reports closed-loop turns/s (and the ratio to the ceiling), open-loop latencies at fixed rates measured from each
 * message's intended send time (no coordinated omission), backlog and drain time, Redis bytes per person, server RSS
 * over a long steady run, and PostgreSQL statements and Redis commands per turn — once with one server process and
 * once with two servers (RUN_WORKERS=false) plus `npm run worker`. BENCH_LOAD=quick shortens every phase;
 * BENCH_PHASES=closed runs only the closed loops (profiling), BENCH_PHASES=closed-one only the one-server one; BENCH_NODE_OPTIONS adds Node options to the servers
 * (to try a V8 flag, say).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { Redis } from "ioredis";
import pg from "pg";
import { messengerEvents, signedMessengerWebhook } from "../tests/fakes/signWebhooks.js";
import { startServerProcess, startWorkerProcess, type ServerProcess } from "../tests/support/serverProcess.js";
import { deleteKeys } from "./deleteKeys.js";

const root = fileURLToPath(new URL("../", import.meta.url));
const quick = process.env.BENCH_LOAD === "quick";
const onlyClosed = process.env.BENCH_PHASES === "closed" || process.env.BENCH_PHASES === "closed-one";
const onlyOneServer = process.env.BENCH_PHASES === "closed-one";
const databaseUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const redisUrl = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const page = { id: "100200300", token: "bench-page-token", secret: "bench-app-secret", version: "v25.0" };

/** A registration as people type it (no diacritics, short answers), repeated by every simulated person. */
const script = ["đăng ký", "đồng ý", "phu tho", "vinh phu", "khong co o day", "thon dong", "nguyễn văn an", "1975", "nam", "bo qua", "nong dan", "hang ngay", "co, da ghi ro", "2 tieng", "thuong xuyen", "tra cuu", "khong can", "thuong xuyen", "thinh thoang", "hoa thuan", "thuong xuyen", "hoc tin hoc", "gui"];

const now = () => performance.timeOrigin + performance.now();
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 10) / 10;
};
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// HTTP load generation

const agent = new Agent({ keepAlive: true, maxSockets: 512 });

function post(url: string, body: string, headers: Record<string, string>, retried = false): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", agent, headers: { ...headers, "content-length": Buffer.byteLength(body) } }, (response) => {
      response.on("error", reject);
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      // A kept-alive socket the server closed just as it was reused: send again on a new one, as Node's docs advise.
      if (outgoing.reusedSocket && !retried && (error.code === "ECONNRESET" || error.code === "EPIPE")) resolve(post(url, body, headers, true));
      else reject(error);
    });
    outgoing.end(body);
  });
}

/** A simulated person on Messenger: a PSID and where they are in the script. */
class Person {
  step = 0;
  /** Messages sent so far: every message id is new, even when the person goes through the script again. */
  sent = 0;
  constructor(readonly psid: string) {}
  nextWebhook(): { body: string; headers: Record<string, string> } {
    const text = script[this.step % script.length]!;
    const mid = `m_${this.psid}_${this.sent++}`;
    this.step++;
    return signedMessengerWebhook(page.secret, messengerEvents.batch(page.id, [messengerEvents.text(this.psid, page.id, text, mid)]));
  }
}

let psidSequence = 0;
const runTag = randomBytes(2).readUInt16BE(0);
const newPerson = () => new Person(String(8_000_000_000_000 + runTag * 10_000_000 + psidSequence++));

// ---------------------------------------------------------------------------------------------------------------
// The fake Send API (worker thread): every accepted send arrives here with its time.

type SendListener = (psid: string, at: number) => void;

async function startFakeSendApi(): Promise<{ url: string; onSend: (listener: SendListener) => void; stats: () => Promise<{ sent: number; rejected: number }>; close: () => Promise<void> }> {
  // A worker thread does not inherit tsx's loader: register it there, then load the TypeScript module.
  const module = new URL("./load/fakeSendApi.ts", import.meta.url).href;
  const worker = new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); })`, {
    eval: true,
    workerData: { pageAccessToken: page.token, pageId: page.id, version: page.version },
  });
  let listener: SendListener = () => undefined;
  let statsWaiter: ((stats: { sent: number; rejected: number }) => void) | null = null;
  const port = await new Promise<number>((resolve, reject) => {
    worker.on("error", reject);
    worker.on("message", (message: { port?: number; sends?: Array<[string, number]>; stats?: { sent: number; rejected: number } }) => {
      if (message.port) resolve(message.port);
      if (message.sends) for (const [psid, at] of message.sends) listener(psid, at);
      if (message.stats && statsWaiter) statsWaiter(message.stats);
    });
  });
  return {
    url: `http://127.0.0.1:${port}/${page.version}`,
    onSend: (next) => void (listener = next),
    stats: () =>
      new Promise((resolve) => {
        statsWaiter = resolve;
        worker.postMessage({ type: "stats" });
      }),
    close: async () => {
      worker.postMessage({ type: "close" });
      await once(worker, "exit");
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The ceiling: a bare Express signature check, closed loop with as many connections as the server gets.

async function measureCeiling(seconds: number, connections: number): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/load/ceilingServer.ts"], { cwd: root, env: { ...process.env, MESSENGER_APP_SECRET: page.secret }, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const match = /^listening (\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  const url = `http://127.0.0.1:${port}/webhooks/messenger`;
  const people = Array.from({ length: connections }, newPerson);
  let done = 0;
  let counting = false;
  const warmUntil = now() + 1000;
  const endAt = warmUntil + seconds * 1000;
  let countedFrom = 0;
  await Promise.all(
    people.map(async (person) => {
      while (now() < endAt) {
        const webhook = person.nextWebhook();
        const status = await post(url, webhook.body, webhook.headers);
        if (status !== 200) throw new Error(`ceiling server answered ${status}`);
        if (now() >= warmUntil) {
          if (!counting) {
            counting = true;
            countedFrom = now();
          }
          done++;
        }
      }
    }),
  );
  const rate = done / ((now() - countedFrom) / 1000);
  child.kill("SIGTERM");
  await once(child, "exit");
  return Math.round(rate);
}

// ---------------------------------------------------------------------------------------------------------------
// The deployment under test

type Deployment = {
  label: string;
  servers: ServerProcess[];
  worker: ChildProcess | null;
  database: pg.Client;
  redis: Redis;
  prefix: string;
  countsFiles: string[];
  /** Stops server `index` and starts a fresh process in its place (same database, Redis and configuration). */
  restartServer: (index: number) => Promise<void>;
  close: () => Promise<void>;
};

async function deploy(label: string, shape: { servers: number; separateWorker: boolean }, sendApiUrl: string): Promise<Deployment> {
  const schema = `bench_${randomBytes(4).toString("hex")}`;
  const prefix = `bench:${schema}:`;
  const countsFiles: string[] = [];
  const environment = (role: string) => {
    const countsFile = join(tmpdir(), `${schema}-${role}.json`);
    countsFiles.push(countsFile);
    return {
      NODE_ENV: "production",
      // BENCH_CPU_PROF=<dir>: each process writes a V8 CPU profile there when it stops (see countStatements.mjs).
      NODE_OPTIONS: `--import ${join(root, "bench/load/countStatements.mjs")} ${process.env.BENCH_NODE_OPTIONS ?? ""}`,
      ...(process.env.BENCH_CPU_PROF ? { BENCH_CPU_PROF: process.env.BENCH_CPU_PROF } : {}),
      BENCH_COUNTS_FILE: countsFile,
      LOG_LEVEL: "info",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redisUrl,
      REDIS_PREFIX: prefix,
      REGISTRATION_YEAR: "2026",
      MESSENGER_APP_SECRET: page.secret,
      MESSENGER_VERIFY_TOKEN: "bench-verify",
      MESSENGER_PAGE_ACCESS_TOKEN: page.token,
      MESSENGER_PAGE_ID: page.id,
      MESSENGER_GRAPH_URL: sendApiUrl,
      // The benchmark measures our pipeline, not the platform's quota: the per-channel send rate is lifted.
      MESSENGER_RATE_PER_SECOND: "100000",
      REMINDERS_ENABLED: "false",
      RUN_WORKERS: shape.separateWorker ? "false" : "true",
    };
  };
  const servers: ServerProcess[] = [];
  const earlierLogs: string[] = [];
  // The first process migrates and seeds; the others start after it.
  servers.push(await startServerProcess(environment("server0")));
  for (let index = 1; index < shape.servers; index++) servers.push(await startServerProcess(environment(`server${index}`)));
  const worker = shape.separateWorker ? (await startWorkerProcess({ ...environment("worker"), RUN_WORKERS: "true" })).child : null;
  const database = new pg.Client({ connectionString: databaseUrl });
  // A connection reset while the servers stop must not end the benchmark: the next query reconnects or fails loudly.
  database.on("error", (error) => console.log(`${label}: benchmark database connection: ${error.message}`));
  await database.connect();
  await database.query(`set search_path to "${schema}"`);
  const redis = new Redis(redisUrl);
  redis.on("error", (error) => console.log(`${label}: benchmark Redis connection: ${error.message}`));
  return {
    label,
    servers,
    worker,
    database,
    redis,
    prefix,
    countsFiles,
    restartServer: async (index) => {
      await servers[index]!.stop();
      earlierLogs.push(...servers[index]!.logs);
      servers[index] = await startServerProcess(environment(`server${index}-restarted`));
    },
    close: async () => {
      const warnings = [...earlierLogs, ...servers.flatMap((server) => server.logs)].filter((line) => /"level":(40|50|60)/.test(line));
      if (warnings.length > 0) console.log(`${label}: ${warnings.length} warning or error log lines, e.g.\n${warnings.slice(0, 3).join("\n")}`);
      for (const server of servers) await server.stop();
      if (worker && worker.exitCode === null) {
        const exited = once(worker, "exit");
        worker.kill("SIGTERM");
        await exited;
      }
      await database.query(`drop schema if exists "${schema}" cascade`);
      await database.end();
      await deleteKeys(redis, prefix);
      await redis.quit();
      for (const file of countsFiles) rmSync(file, { force: true });
    },
  };
}

const webhookUrl = (deployment: Deployment, index: number) => `${deployment.servers[index % deployment.servers.length]!.url}/webhooks/messenger`;

async function backlog(deployment: Deployment): Promise<{ events: number; outbox: number }> {
  const { rows } = await deployment.database.query<{ events: string; outbox: string }>(
    `select (select count(*) from inbound_events where processed_at is null) as events,
            (select count(*) from outbound_messages where status in ('pending', 'sending')) as outbox`,
  );
  return { events: Number(rows[0]!.events), outbox: Number(rows[0]!.outbox) };
}

async function processedTurns(deployment: Deployment): Promise<number> {
  const { rows } = await deployment.database.query<{ n: string }>("select count(*) as n from inbound_events where processed_at is not null");
  return Number(rows[0]!.n);
}

/** Waits until nothing is left to handle or send; the time it took, or null after `limitMs`. */
async function drain(deployment: Deployment, limitMs: number): Promise<number | null> {
  const started = now();
  while (now() - started < limitMs) {
    const left = await backlog(deployment);
    if (left.events === 0 && left.outbox === 0) return Math.round(now() - started);
    await wait(50);
  }
  return null;
}

function statementsSoFar(deployment: Deployment): number {
  let total = 0;
  for (const file of deployment.countsFiles) {
    try {
      total += (JSON.parse(readFileSync(file, "utf8")) as { statements: number }).statements;
    } catch {
      // not written yet
    }
  }
  return total;
}

async function redisCommandsSoFar(redis: Redis): Promise<{ calls: number; scripts: number }> {
  const info = await redis.info("commandstats");
  let calls = 0;
  let scripts = 0;
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) {
    const name = match[1]!;
    if (name === "info") continue;
    calls += Number(match[2]);
    if (name === "evalsha" || name === "eval" || name === "fcall" || name === "evalsha_ro") scripts += Number(match[2]);
  }
  return { calls, scripts };
}

/** CPU seconds used so far (user + system) by processes named `name`, or by one pid. */
function cpuSeconds(select: { name?: string; pid?: number }): number {
  const ticks = 100; // USER_HZ on Linux
  let total = 0;
  const pids = select.pid ? [String(select.pid)] : readdirSync("/proc").filter((entry) => /^\d+$/.test(entry));
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const close = stat.lastIndexOf(")");
      const name = stat.slice(stat.indexOf("(") + 1, close);
      if (select.name && name !== select.name) continue;
      const fields = stat.slice(close + 2).split(" ");
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Where the machine's CPU goes: the servers, PostgreSQL, Redis, and this process (load generator and fake API). */
function cpuByPart(deployment: Deployment): Record<string, number> {
  const servers = deployment.servers.reduce((sum, server) => sum + cpuSeconds({ pid: server.child.pid! }), 0) + (deployment.worker ? cpuSeconds({ pid: deployment.worker.pid! }) : 0);
  const own = process.cpuUsage();
  return { servers, postgres: cpuSeconds({ name: "postgres" }), redis: cpuSeconds({ name: "redis-server" }), benchmark: (own.user + own.system) / 1e6 };
}

function rssOf(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024;
}

async function redisBytes(deployment: Deployment): Promise<{ total: number; keys: number; byKind: Record<string, number> }> {
  let cursor = "0";
  let total = 0;
  let keys = 0;
  const byKind: Record<string, number> = {};
  do {
    const [next, found] = await deployment.redis.scan(cursor, "MATCH", `${deployment.prefix}*`, "COUNT", 1000);
    cursor = next;
    const pipeline = deployment.redis.pipeline();
    for (const key of found) pipeline.call("MEMORY", "USAGE", key, "SAMPLES", "0");
    const results = (await pipeline.exec()) ?? [];
    found.forEach((key, index) => {
      const bytes = Number(results[index]?.[1] ?? 0);
      const kind = key.slice(deployment.prefix.length).split(":").slice(0, 2).join(":");
      byKind[kind] = (byKind[kind] ?? 0) + bytes;
      total += bytes;
      keys++;
    });
  } while (cursor !== "0");
  return { total, keys, byKind };
}

async function peopleWhoWrote(deployment: Deployment): Promise<number> {
  const { rows } = await deployment.database.query<{ n: string }>("select count(distinct user_id) as n from inbound_events");
  return Number(rows[0]!.n);
}

// ---------------------------------------------------------------------------------------------------------------
// Closed loop: each person sends their next answer once the platform got the reply to the previous one.

/**
 * How many messages the server sends for each step of the script: one person goes through it alone, answering once
 * no send came for a while. The flow is deterministic, so every simulated person can then wait for exactly that many.
 */
async function repliesPerStep(deployment: Deployment, api: Awaited<ReturnType<typeof startFakeSendApi>>): Promise<number[]> {
  const person = newPerson();
  const counts: number[] = [];
  let count = 0;
  let lastSendAt = 0;
  api.onSend((psid) => {
    if (psid !== person.psid) return;
    count++;
    lastSendAt = now();
  });
  for (let step = 0; step < script.length; step++) {
    count = 0;
    const webhook = person.nextWebhook();
    const posted = now();
    await post(webhookUrl(deployment, step), webhook.body, webhook.headers);
    while (count === 0 || now() - Math.max(lastSendAt, posted) < 300) await wait(20);
    counts.push(count);
  }
  api.onSend(() => undefined);
  return counts;
}

async function closedLoop(deployment: Deployment, api: Awaited<ReturnType<typeof startFakeSendApi>>, options: { people: number; warmSeconds: number; seconds: number }) {
  // A person answers once all the replies to their last answer came (as many as the calibration run saw).
  const expected = await repliesPerStep(deployment, api);
  const waiting = new Map<string, { left: number; resolve: () => void }>();
  api.onSend((psid) => {
    const waiter = waiting.get(psid);
    if (!waiter) return;
    waiter.left--;
    if (waiter.left <= 0) {
      waiting.delete(psid);
      waiter.resolve();
    }
  });
  const warmUntil = now() + options.warmSeconds * 1000;
  const endAt = warmUntil + options.seconds * 1000;
  let failures = 0;
  let stalls = 0;
  const window: { start?: { turns: number; statements: number; redis: { calls: number; scripts: number }; at: number; cpu: Record<string, number> } } = {};
  const startWindow = setTimeout(async () => {
    window.start = {
      cpu: cpuByPart(deployment), turns: await processedTurns(deployment), statements: statementsSoFar(deployment), redis: await redisCommandsSoFar(deployment.redis), at: now() };
  }, options.warmSeconds * 1000);
  let index = 0;
  await Promise.all(
    Array.from({ length: options.people }, async () => {
      let person = newPerson();
      while (now() < endAt) {
        if (person.step >= script.length) person = newPerson();
        const left = expected[person.step]!;
        const webhook = person.nextWebhook();
        const replied = new Promise<void>((resolve) => waiting.set(person.psid, { left, resolve }));
        const status = await post(webhookUrl(deployment, index++), webhook.body, webhook.headers).catch(() => 0);
        if (status !== 200) {
          failures++;
          waiting.delete(person.psid);
          continue;
        }
        // A reply that never comes would stop this person: after 10 s they go on, and it is counted.
        if ((await Promise.race([replied.then(() => true), wait(10_000).then(() => false)])) === false) {
          waiting.delete(person.psid);
          stalls++;
        }
      }
    }),
  );
  clearTimeout(startWindow);
  await wait(600); // the counts files are written twice a second
  const end = { turns: await processedTurns(deployment), statements: statementsSoFar(deployment), redis: await redisCommandsSoFar(deployment.redis), at: now(), cpu: cpuByPart(deployment) };
  const start = window.start!;
  if (process.env.BENCH_STATEMENTS) {
    // BENCH_STATEMENTS=1: which statements the servers sent most (whole run so far), to see where round trips go.
    const byText = new Map<string, number>();
    for (const file of deployment.countsFiles) {
      try {
        const counts = JSON.parse(readFileSync(file, "utf8")) as { byText?: Record<string, number> };
        for (const [text, n] of Object.entries(counts.byText ?? {})) byText.set(text, (byText.get(text) ?? 0) + n);
      } catch {
        // not written
      }
    }
    for (const [text, n] of [...byText].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(n).padStart(7), text);
  }
  const turns = end.turns - start.turns;
  api.onSend(() => undefined);
  await drain(deployment, 60_000);
  return {
    people: options.people,
    seconds: Math.round((end.at - start.at) / 100) / 10,
    turns,
    turnsPerSecond: Math.round(turns / ((end.at - start.at) / 1000)),
    webhookFailures: failures,
    repliesNotSeenWithin10s: stalls,
    repliesPerStep: expected.join(" "),
    postgresStatementsPerTurn: Math.round(((end.statements - start.statements) / turns) * 10) / 10,
    redisCommandsPerTurn: Math.round(((end.redis.calls - start.redis.calls) / turns) * 10) / 10,
    redisScriptCallsPerTurn: Math.round(((end.redis.scripts - start.redis.scripts) / turns) * 10) / 10,
    cpuMsPerTurn: Object.fromEntries(Object.entries(end.cpu).map(([part, seconds]) => [part, Math.round(((seconds - start.cpu[part]!) / turns) * 1e4) / 10])),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Open loop: messages at a fixed rate whatever the server does; latencies from each message's intended time.

async function openLoop(
  deployment: Deployment,
  api: Awaited<ReturnType<typeof startFakeSendApi>>,
  options: { rate: number; seconds: number; sample?: (elapsedMs: number) => void },
) {
  // Each person writes about every 4 s, so the server sees many conversations at once, as on a campaign day.
  const people = Array.from({ length: Math.max(1, options.rate * 4) }, newPerson);
  const outstanding = new Map<string, number[]>();
  const webhookLatency: number[] = [];
  const firstSendLatency: number[] = [];
  api.onSend((psid, at) => {
    const intended = outstanding.get(psid);
    if (intended && intended.length > 0) firstSendLatency.push(at - intended.shift()!);
  });
  const total = options.rate * options.seconds;
  const started = now() + 50;
  let failures = 0;
  let inFlight: Promise<void>[] = [];
  let nextSample = 0;
  for (let index = 0; index < total; index++) {
    const intended = started + (index * 1000) / options.rate;
    const lag = intended - now();
    if (lag > 1) await wait(lag);
    if (options.sample && intended - started >= nextSample) {
      options.sample(intended - started);
      nextSample += 5000;
    }
    const person = people[index % people.length]!;
    const webhook = person.nextWebhook();
    if (person.step >= script.length) person.step = 2; // back to the place question, a conversation that goes on
    const queue = outstanding.get(person.psid) ?? [];
    queue.push(intended);
    outstanding.set(person.psid, queue);
    inFlight.push(
      post(webhookUrl(deployment, index), webhook.body, webhook.headers).then(
        (status) => {
          webhookLatency.push(now() - intended);
          if (status !== 200) failures++;
        },
        () => void failures++,
      ),
    );
    if (inFlight.length > 5000) {
      await Promise.all(inFlight);
      inFlight = [];
    }
  }
  await Promise.all(inFlight);
  const stoppedAt = now();
  const left = await backlog(deployment);
  const drainMs = await drain(deployment, 120_000);
  // Replies still on their way after the drain check (the last sends) are counted as they come.
  await wait(200);
  api.onSend(() => undefined);
  let unanswered = 0;
  for (const queue of outstanding.values()) unanswered += queue.length;
  return {
    rate: options.rate,
    seconds: options.seconds,
    messages: total,
    achievedRate: Math.round(total / ((stoppedAt - started) / 1000)),
    webhookFailures: failures,
    webhookMs: { p50: percentile(webhookLatency, 50), p99: percentile(webhookLatency, 99), max: percentile(webhookLatency, 100) },
    firstSendMs: { p50: percentile(firstSendLatency, 50), p99: percentile(firstSendLatency, 99), max: percentile(firstSendLatency, 100) },
    backlogAtEnd: left,
    drainMs,
    unanswered,
  };
}

// ---------------------------------------------------------------------------------------------------------------

export type LoadBenchResult = Awaited<ReturnType<typeof runLoadBench>>;

export async function runLoadBench() {
  const durations = quick
    ? { ceiling: 3, closedWarm: 2, closed: 5, open: { 100: 5, 300: 10, 1000: 5 }, rss: 30, twoOpen: 10 }
    : { ceiling: 5, closedWarm: 5, closed: 20, open: { 100: 30, 300: 60, 1000: 20 }, rss: 300, twoOpen: 60 };
  const closedPeople = 300;
  const api = await startFakeSendApi();
  // The ceiling is what the machine can do: a busy moment on a shared host only ever lowers a reading (seen here:
  // 2,400 to 4,200 requests/s within an hour), so it is read three times and the highest counts — the strict choice
  // for the ratio.
  const ceilingRuns: number[] = [];
  for (let run = 0; run < 3; run++) ceilingRuns.push(await measureCeiling(durations.ceiling, closedPeople));
  const ceiling = Math.max(...ceilingRuns);
  console.log(`ceiling (bare Express, signature check): ${ceiling} requests/s (highest of ${ceilingRuns.join(", ")})`);

  const results: Record<string, unknown> = { ceilingRequestsPerSecond: ceiling, ceilingRuns };
  const report = (name: string, value: unknown) => {
    results[name] = value;
    console.log(`${name}: ${JSON.stringify(value)}`);
  };

  const one = await deploy("one server (workers inside)", { servers: 1, separateWorker: false }, api.url);
  try {
    const closed = await closedLoop(one, api, { people: closedPeople, warmSeconds: durations.closedWarm, seconds: durations.closed });
    report("oneServer.closedLoop", { ...closed, ratioToCeiling: Math.round((closed.turnsPerSecond / ceiling) * 1000) / 10 + "%" });
    for (const rate of onlyClosed ? [] : ([100, 300, 1000] as const)) {
      report(`oneServer.openLoop${rate}`, await openLoop(one, api, { rate, seconds: durations.open[rate] }));
    }
    if (!onlyClosed) await steadyPhases(one);
  } finally {
    await one.close();
  }

  if (onlyOneServer) {
    await api.close();
    agent.destroy();
    return results;
  }
  const two = await deploy("two servers + npm run worker", { servers: 2, separateWorker: true }, api.url);
  try {
    const closed = await closedLoop(two, api, { people: closedPeople, warmSeconds: durations.closedWarm, seconds: durations.closed });
    report("twoServers.closedLoop", { ...closed, ratioToCeiling: Math.round((closed.turnsPerSecond / ceiling) * 1000) / 10 + "%" });
    if (!onlyClosed) report("twoServers.openLoop300", await openLoop(two, api, { rate: 300, seconds: durations.twoOpen }));
  } finally {
    await two.close();
  }
  report("fakeSendApi", await api.stats());
  await api.close();
  agent.destroy();
  return results;

  /** Redis after the open loops, then a long steady run at 200/s (RSS, Redis per live conversation). */
  async function steadyPhases(one: Deployment): Promise<void> {
    const afterOpen = await redisBytes(one);
    const wrote = await peopleWhoWrote(one);
    report("oneServer.redis", { bytes: afterOpen.total, keys: afterOpen.keys, people: wrote, bytesPerPerson: Math.round(afterOpen.total / wrote), byKind: afterOpen.byKind });

    // A long steady run at 200/s: RSS sampled every 5 s, Redis sampled mid-run against the conversations alive then.
    // It runs on a fresh server process: the heap the 1,000/s overload phase grew is not this run's memory.
    await one.restartServer(0);
    const rss: Array<{ atSeconds: number; bytes: number }> = [];
    let midRedis: { total: number; live: number } | null = null;
    const before = await peopleWhoWrote(one);
    const steady = await openLoop(one, api, {
      rate: 200,
      seconds: durations.rss,
      sample: (elapsed) => {
        rss.push({ atSeconds: Math.round(elapsed / 1000), bytes: rssOf(one.servers[0]!.child) });
        if (!midRedis && elapsed >= (durations.rss * 1000) / 2) {
          midRedis = { total: 0, live: 0 };
          void Promise.all([redisBytes(one), peopleWhoWrote(one)]).then(([bytes, people]) => {
            midRedis = { total: bytes.total, live: people - before };
          });
        }
      },
    });
    // RSS is a garbage-collection sawtooth: two single samples differ by the luck of where each falls. The change is
    // read between the medians of the first and the last window after the warm-up (a minute each in the full run).
    const warmUp = Math.min(60, durations.rss / 5);
    const windowSeconds = Math.min(60, (durations.rss - warmUp) / 3);
    const inWindow = (from: number, to: number) => rss.filter((sample) => sample.atSeconds >= from && sample.atSeconds < to).map((sample) => sample.bytes);
    const median = (values: number[]) => (values.length === 0 ? 0 : [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!);
    const first = inWindow(warmUp, warmUp + windowSeconds);
    const last = inWindow(durations.rss - windowSeconds, durations.rss + 1);
    const megabytes = (bytes: number) => Math.round(bytes / 1048576);
    const mid = midRedis as { total: number; live: number } | null;
    report("oneServer.steady200", {
      ...steady,
      rssMb: rss.map((sample) => megabytes(sample.bytes)),
      rssWindows: {
        seconds: windowSeconds,
        first: { from: warmUp, medianMb: megabytes(median(first)), minMb: megabytes(Math.min(...first)), maxMb: megabytes(Math.max(...first)) },
        last: { from: durations.rss - windowSeconds, medianMb: megabytes(median(last)), minMb: megabytes(Math.min(...last)), maxMb: megabytes(Math.max(...last)) },
      },
      rssChangeAfterWarmUp: median(first) ? `${Math.round(((median(last) - median(first)) / median(first)) * 1000) / 10}%` : null,
      redisBytesPerLiveConversation: mid && mid.live > 0 ? Math.round(mid.total / mid.live) : null,
    });
    const end = await redisBytes(one);
    const everyone = await peopleWhoWrote(one);
    report("oneServer.redisAtEnd", { bytes: end.total, people: everyone, bytesPerPerson: Math.round(end.total / everyone), byKind: end.byKind });
  }
}

/** Writes the results as JSON under bench/results/ (with the date and the commit measured) and returns the path. */
export async function writeLoadResults(results: Record<string, unknown>): Promise<string> {
  const { execFileSync } = await import("node:child_process");
  const { writeFileSync } = await import("node:fs");
  let commit: string | null = null;
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  const day = new Date().toISOString().slice(0, 10);
  // The commit in the name: two runs of one day on different commits (or hosts) both stay.
  const file = join(root, "bench/results", `load-${day}${commit ? `-${commit}` : ""}${quick ? "-quick" : ""}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), commit, quick, ...results }, null, 2) + "\n");
  return file;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const results = await runLoadBench();
  console.log(`written ${await writeLoadResults(results)}`);
}
