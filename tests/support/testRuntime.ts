import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { loadConfig, type Config } from "../../src/config.js";
import type { Button, InboundEvent } from "../../src/conversation/types.js";
import { createLogger } from "../../src/logger.js";
import { createRuntime, type Runtime } from "../../src/runtime.js";
import { webTranscript } from "../../src/persistence/conversationStore.js";

export const postgresUrl = process.env.TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const redisUrl = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
/** "pglite" runs the same suites on the embedded database; anything else uses the PostgreSQL server. */
export const testDatabase = process.env.TEST_DB === "pglite" ? "pglite" : "postgres";

export const uniqueName = (prefix: string) => `${prefix}_${randomBytes(5).toString("hex")}`;

/** The environment of one isolated test: its own PostgreSQL schema and Redis key prefix. */
export function isolatedEnvironment(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const schema = uniqueName("t");
  return {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL: testDatabase === "postgres" ? postgresUrl : undefined,
    DATA_DIR: "memory://",
    DATABASE_SCHEMA: schema,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `test:${schema}:`,
    REGISTRATION_YEAR: "2026",
    ...overrides,
  };
}

/** Drops what an isolated test left: its schema and its Redis keys. */
export async function cleanUpIsolated(environment: Record<string, string | undefined>): Promise<void> {
  if (environment.DATABASE_URL && environment.DATABASE_SCHEMA && environment.DATABASE_SCHEMA !== "public") {
    const client = new pg.Client({ connectionString: environment.DATABASE_URL });
    await client.connect();
    await client.query(`drop schema if exists "${environment.DATABASE_SCHEMA}" cascade`);
    await client.end();
  }
  if (environment.REDIS_URL && environment.REDIS_PREFIX) {
    const redis = new Redis(environment.REDIS_URL);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${environment.REDIS_PREFIX}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
    await redis.quit();
  }
}

export type TestRuntime = { runtime: Runtime; config: Config; environment: Record<string, string | undefined>; close: () => Promise<void> };

export async function startTestRuntime(overrides: Record<string, string | undefined> = {}): Promise<TestRuntime> {
  const environment = isolatedEnvironment(overrides);
  const config = loadConfig(environment);
  const runtime = await createRuntime(config, createLogger("silent"));
  return {
    runtime,
    config,
    environment,
    close: async () => {
      await runtime.close();
      await cleanUpIsolated(environment);
    },
  };
}

let eventCounter = 0;

type EventBody = InboundEvent extends infer E ? (E extends InboundEvent ? Omit<E, "eventId" | "channel" | "userId" | "at"> : never) : never;

/**
 * A person on the web chat channel, driven through the same inbox as real webhooks. Reads like the conversation:
 * `await citizen.says("dang ky"); citizen.expectReply(/đồng ý/i); await citizen.taps("Đồng ý")`.
 */
/**
 * The frame every conversation suite shares: one runtime for the test file (started before its tests, closed after
 * them) and a new web chat citizen, with an id of its own, each time `citizen()` is called.
 */
export function conversationSuite(label: string): { readonly test: TestRuntime; citizen: () => TestCitizen } {
  let started: TestRuntime | undefined;
  let counter = 0;
  beforeAll(async () => {
    started = await startTestRuntime();
  });
  afterAll(async () => {
    await started?.close();
  });
  const suite = {
    get test(): TestRuntime {
      if (!started) throw new Error("the suite's runtime is used before beforeAll started it");
      return started;
    },
    citizen: () => new TestCitizen(suite.test.runtime, `${label}-${++counter}-${Date.now()}`),
  };
  return suite;
}

export class TestCitizen {
  private lastOutboxId = 0;
  replies: { text: string; buttons?: Button[] }[] = [];

  constructor(
    private readonly runtime: Runtime,
    readonly userId: string,
  ) {}

  private async send(event: EventBody): Promise<this> {
    const full = { eventId: `e${++eventCounter}-${randomBytes(3).toString("hex")}`, channel: "web", userId: this.userId, at: Date.now(), ...event } as InboundEvent;
    await this.runtime.inbox.record(full);
    await this.runtime.inbox.drain({ channel: "web", userId: this.userId });
    const transcript = await webTranscript(this.runtime.database.db, this.userId, this.lastOutboxId);
    this.lastOutboxId = transcript.lastOutboxId;
    this.replies = transcript.entries.filter((entry) => entry.from === "bot").map(({ text, buttons }) => ({ text, buttons }));
    return this;
  }

  says(text: string): Promise<this> {
    return this.send({ kind: "text", text });
  }

  /** Taps the button with this title (or matching this pattern) among the last replies' buttons. */
  taps(title: string | RegExp): Promise<this> {
    const buttons = this.replies.flatMap((reply) => reply.buttons ?? []);
    const button = buttons.find((candidate) => (typeof title === "string" ? candidate.title === title : title.test(candidate.title)));
    if (!button) throw new Error(`No button "${String(title)}" in the last replies; buttons were: ${buttons.map((b) => b.title).join(" | ") || "(none)"}`);
    return this.send({ kind: "payload", payload: button.payload, text: button.title });
  }

  opens(ref?: string): Promise<this> {
    return this.send({ kind: "start", ref });
  }

  sendsSticker(): Promise<this> {
    return this.send({ kind: "media", mediaType: "sticker" });
  }

  /** Everything the bot answered to the last message, as one text. */
  get lastText(): string {
    return this.replies.map((reply) => reply.text).join("\n");
  }

  get buttonTitles(): string[] {
    return this.replies.flatMap((reply) => reply.buttons ?? []).map((button) => button.title);
  }

  expectReply(pattern: RegExp): this {
    expect(this.lastText).toMatch(pattern);
    return this;
  }

  expectButtons(...titles: string[]): this {
    expect(this.buttonTitles).toEqual(expect.arrayContaining(titles));
    return this;
  }
}
