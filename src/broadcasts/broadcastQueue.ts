import { DelayedError, Queue, Worker, type Job } from "bullmq";
import { and, asc, eq, sql } from "drizzle-orm";
import { Redis } from "ioredis";
import { broadcastRecipients } from "../../db/schema.js";
import { channelNames, type ChannelName } from "../conversation/types.js";
import { bullPrefix } from "../jobs/outboundQueue.js";
import type { Database } from "../persistence/openDatabase.js";
import { broadcastJobSchema, runBroadcastBatch, type BroadcastJob, type RunnerDeps } from "./runBroadcastBatch.js";

/** Hands a campaign's queued recipients to the workers, in jobs of many recipients each. */
export type BroadcastQueue = {
  enqueue(broadcastId: string, round: number): Promise<number>;
  close(): Promise<void>;
};

export const broadcastQueueName = (channel: ChannelName) => `broadcast-${channel}`;

/** The queued recipients of a campaign cut into jobs: per channel, `batchSize` consecutive ids each. */
export async function planBroadcastJobs(db: Database, broadcastId: string, round: number, batchSize: number): Promise<BroadcastJob[]> {
  const rows = await db
    .select({ id: broadcastRecipients.id, channel: broadcastRecipients.channel })
    .from(broadcastRecipients)
    .where(and(eq(broadcastRecipients.broadcastId, broadcastId), eq(broadcastRecipients.status, "queued")))
    .orderBy(asc(broadcastRecipients.channel), asc(broadcastRecipients.id));
  const jobs: BroadcastJob[] = [];
  let current: BroadcastJob | null = null;
  let size = 0;
  for (const row of rows) {
    const channel = row.channel as ChannelName;
    if (!current || current.channel !== channel || size >= batchSize) {
      current = { broadcastId, round, channel, fromId: row.id, toId: row.id };
      jobs.push(current);
      size = 0;
    }
    current.toId = row.id;
    size++;
  }
  return jobs;
}

/** A job's id: the same range of the same run handed over twice is one job (BullMQ ids may not hold ":"). */
const jobIdOf = (job: BroadcastJob) => `${job.broadcastId}-${job.round}-${job.channel}-${job.fromId}`;

/** The BullMQ side: one queue per channel, so a slow channel never holds the others back. */
export function createBullBroadcastQueue(options: { db: Database; redisUrl: string; redisPrefix: string; batchSize: number }): BroadcastQueue {
  // Made on first use: a process that never starts a campaign opens no connection (and closing it races nothing).
  let connection: Redis | null = null;
  const queues = new Map<ChannelName, Queue<BroadcastJob>>();
  const queueFor = (channel: ChannelName) => {
    connection ??= new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    let queue = queues.get(channel);
    if (!queue) {
      queue = new Queue<BroadcastJob>(broadcastQueueName(channel), { connection, prefix: bullPrefix(options.redisPrefix) });
      queues.set(channel, queue);
    }
    return queue;
  };
  return {
    async enqueue(broadcastId, round) {
      const jobs = await planBroadcastJobs(options.db, broadcastId, round, options.batchSize);
      for (const channel of channelNames) {
        const ofChannel = jobs.filter((job) => job.channel === channel);
        if (ofChannel.length === 0) continue;
        const queue = queueFor(channel);
        for (let start = 0; start < ofChannel.length; start += 500) {
          await queue.addBulk(
            ofChannel.slice(start, start + 500).map((job) => ({
              name: "send",
              data: job,
              opts: {
                jobId: jobIdOf(job),
                attempts: 10,
                backoff: { type: "exponential", delay: 2_000 },
                removeOnComplete: true,
                removeOnFail: true,
              },
            })),
          );
        }
      }
      return jobs.length;
    },
    async close() {
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await connection?.quit().catch(() => undefined);
    },
  };
}

export class BroadcastRetryError extends Error {
  override name = "BroadcastRetryError";
}

/** BullMQ workers for the broadcast queues: a quiet-hours wait moves the job to delayed, a passing failure retries it. */
export function startBroadcastWorkers(options: { deps: RunnerDeps; redisUrl: string; redisPrefix: string; concurrency?: number }): { close(): Promise<void> } {
  const connection = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  const prefix = bullPrefix(options.redisPrefix);
  const log = options.deps.log.child({ component: "broadcast-workers" });
  const workers = channelNames.map((channel) => {
    const worker = new Worker<BroadcastJob>(
      broadcastQueueName(channel),
      async (job: Job<BroadcastJob>, token?: string) => {
        const data = broadcastJobSchema.parse(job.data);
        const result = await runBroadcastBatch(options.deps, data);
        if (result.kind === "wait") {
          await job.moveToDelayed(result.until.getTime(), token);
          throw new DelayedError();
        }
        if (result.kind === "retry") throw new BroadcastRetryError(`recipients left queued after ${result.failure.kind} ${result.failure.code ?? ""}`);
        return result;
      },
      // A worker killed mid-job gives its job back within about 20 s (lock 15 s, checked every 5 s); a job run twice
      // sends nothing twice (recipients are claimed), so a shorter lock costs nothing but a little Redis traffic.
      { connection, prefix, concurrency: options.concurrency ?? 2, lockDuration: 15_000, stalledInterval: 5_000 },
    );
    worker.on("failed", (job, error) => log.warn({ channel, jobId: job?.id, attemptsMade: job?.attemptsMade, err: error }, "broadcast job will be retried or re-planned"));
    worker.on("error", (error) => log.error({ channel, err: error }, "broadcast worker error"));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((worker) => worker.close()));
      await connection.quit().catch(() => undefined);
    },
  };
}

/**
 * Without Redis (one process, embedded database): the same jobs run here one after another per channel; a wait
 * or a retry is a timer. `idle()` resolves when nothing is left to run (tests).
 */
export function createLocalBroadcastQueue(options: { deps: RunnerDeps; batchSize: number; retryBaseMs?: number }): BroadcastQueue & { idle(): Promise<void> } {
  const { deps } = options;
  const pending = new Map<ChannelName, BroadcastJob[]>(channelNames.map((channel) => [channel, []]));
  const running = new Set<ChannelName>();
  const timers = new Set<NodeJS.Timeout>();
  const attempts = new Map<string, number>();
  let idleWaiters: Array<() => void> = [];
  let closed = false;

  const checkIdle = () => {
    if (running.size > 0 || timers.size > 0 || [...pending.values()].some((list) => list.length > 0)) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };
  const later = (job: BroadcastJob, at: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      push(job);
    }, Math.max(0, at - Date.now()));
    timers.add(timer);
  };
  const push = (job: BroadcastJob) => {
    if (closed) return;
    pending.get(job.channel)?.push(job);
    void drain(job.channel);
  };
  async function drain(channel: ChannelName): Promise<void> {
    if (running.has(channel)) return;
    running.add(channel);
    try {
      for (let job = pending.get(channel)?.shift(); job && !closed; job = pending.get(channel)?.shift()) {
        try {
          const result = await runBroadcastBatch(deps, job);
          if (result.kind === "wait") later(job, result.until.getTime());
          if (result.kind === "retry") {
            const attempt = (attempts.get(jobIdOf(job)) ?? 0) + 1;
            attempts.set(jobIdOf(job), attempt);
            if (attempt < 10) later(job, Date.now() + (options.retryBaseMs ?? 2_000) * 2 ** (attempt - 1));
          }
        } catch (error) {
          deps.log.error({ err: error, broadcastId: job.broadcastId }, "broadcast job failed; the campaign is re-planned by the maintenance tick");
        }
      }
    } finally {
      running.delete(channel);
      checkIdle();
    }
  }
  return {
    async enqueue(broadcastId, round) {
      const jobs = await planBroadcastJobs(deps.db, broadcastId, round, options.batchSize);
      for (const job of jobs) push(job);
      return jobs.length;
    },
    idle() {
      return new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        checkIdle();
      });
    },
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      checkIdle();
    },
  };
}

/** Recipients of running campaigns: how many are still queued, and when the last one was done (for re-planning). */
export async function runningProgress(db: Database): Promise<Array<{ broadcastId: string; round: number; queued: number; lastDoneAt: Date | null; startedAt: Date | null }>> {
  const result = await db.execute(sql`
    select b.id as broadcast_id, b.round, b.started_at,
           (select count(*) from broadcast_recipients r where r.broadcast_id = b.id and r.status = 'queued')::int as queued,
           (select max(r.done_at) from broadcast_recipients r where r.broadcast_id = b.id) as last_done_at
    from broadcasts b where b.status = 'running'`);
  const rows = ((result as { rows?: unknown[] }).rows ?? (result as unknown[])) as Array<Record<string, unknown>>;
  return rows.map((row) => ({
    broadcastId: String(row["broadcast_id"]),
    round: Number(row["round"]),
    queued: Number(row["queued"]),
    lastDoneAt: row["last_done_at"] ? new Date(row["last_done_at"] as string) : null,
    startedAt: row["started_at"] ? new Date(row["started_at"] as string) : null,
  }));
}
