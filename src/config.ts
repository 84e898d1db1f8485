import { z } from "zod";

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === "" ? undefined : value))
  .optional();

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const booleanFlag = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((value) => ["1", "true", "yes", "on"].includes(value));

export const templateSources = ["name", "text", "campaign", "year"] as const;
export type TemplateSource = (typeof templateSources)[number];
const templateMappingSchema = z.record(z.string().min(1), z.enum(templateSources));

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Every environment variable the server reads; `.env.example` documents each one. */
export const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  PUBLIC_URL: z.url().optional().or(z.literal("").transform(() => undefined)),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  DATABASE_URL: optionalText,
  DATA_DIR: z.string().default("./data"),
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default("public"),
  REDIS_URL: optionalText,
  REDIS_PREFIX: z.string().default("lca:"),
  ADMIN_TOKEN: optionalText,
  WEBCHAT_ENABLED: booleanFlag.optional(),
  /** Web chat messages per minute allowed per visitor and per IP address before 429. */
  WEBCHAT_MAX_PER_MINUTE: positiveInt(60),
  WEBCHAT_MAX_PER_MINUTE_PER_IP: positiveInt(600),
  /** A web chat message waits this long for its reply; longer (another process holds the visitor) → 202, the page polls. */
  WEBCHAT_REPLY_WAIT_MS: positiveInt(4_000),
  RUN_WORKERS: booleanFlag.default(true),
  /** With Redis: a turn's replies are sent by the process that committed them, the queue takes what cannot go at once. */
  SEND_INLINE: booleanFlag.default(true),
  SESSION_TTL_DAYS: positiveInt(30),
  TURN_LOCK_MS: positiveInt(15_000),
  /** A turn that fails this many times on one event dead-letters it (with an apology) so the conversation goes on. */
  TURN_MAX_ATTEMPTS: positiveInt(3),
  /** How often the sweeper runs, and how old an unhandled event or an unsent outbox row must be for it to act. */
  SWEEP_EVERY_MS: positiveInt(15_000),
  /** Handled messages keep what was typed this many days (for the web chat history), then only their ids for dedupe; gone after twice that. */
  INBOUND_RETENTION_DAYS: positiveInt(30),
  STALLED_AFTER_MS: positiveInt(10_000),
  /**
   * An outbox row claimed this long ago and not settled was being sent by a worker that died. Above the longest send
   * (token refresh wait included): the platform's echo of a call that got through has arrived by then.
   */
  OUTBOX_INTERRUPTED_AFTER_MS: positiveInt(120_000),
  /**
   * The webhooks receive echoes of the bot's own messages (Messenger `message_echoes`, Zalo `oa_send_text`): a row
   * cut mid-send is resent from the first part no echo confirmed, so every reply reaches the person once. Off: such a
   * row is given up (never twice, possibly never).
   */
  OUTBOX_CONFIRM_BY_ECHO: booleanFlag.default(true),
  ESCALATE_AFTER_DAYS: positiveInt(7),
  INVITE_TTL_DAYS: positiveInt(14),
  /** Console sessions end after this long without a request. */
  ADMIN_SESSION_IDLE_MINUTES: positiveInt(60),
  /** Failed sign-ins allowed per account and per IP address in ADMIN_LOGIN_WINDOW_MINUTES before 429. */
  ADMIN_LOGIN_MAX_PER_ACCOUNT: positiveInt(5),
  ADMIN_LOGIN_MAX_PER_IP: positiveInt(20),
  ADMIN_LOGIN_WINDOW_MINUTES: positiveInt(15),
  /** Evaluation year is the calendar year in Asia/Ho_Chi_Minh unless pinned (tests, year-end grace). */
  REGISTRATION_YEAR: z.coerce.number().int().min(2020).max(2100).optional(),

  MESSENGER_APP_SECRET: optionalText,
  MESSENGER_VERIFY_TOKEN: optionalText,
  MESSENGER_PAGE_ACCESS_TOKEN: optionalText,
  MESSENGER_PAGE_ID: optionalText,
  MESSENGER_APP_ID: optionalText,
  MESSENGER_GRAPH_URL: z.url().default("https://graph.facebook.com/v25.0"),
  MESSENGER_RATE_PER_SECOND: positiveInt(50),

  ZALO_APP_ID: optionalText,
  ZALO_APP_SECRET: optionalText,
  ZALO_OA_SECRET_KEY: optionalText,
  ZALO_OA_ID: optionalText,
  ZALO_ACCESS_TOKEN: optionalText,
  ZALO_REFRESH_TOKEN: optionalText,
  ZALO_API_URL: z.url().default("https://openapi.zalo.me"),
  ZALO_OAUTH_URL: z.url().default("https://oauth.zaloapp.com"),
  ZALO_RATE_PER_SECOND: positiveInt(10),

  ZALO_BUSINESS_API_URL: z.url().default("https://business.openapi.zalo.me"),
  /** An approved ZNS/ZBS template for broadcasts outside the 7-day window; unset → those recipients are counted outside_window. */
  ZALO_TEMPLATE_ID: optionalText,
  /** The template's parameters: JSON {"param": "name" | "text" | "campaign" | "year"} (what fills each one). */
  ZALO_TEMPLATE_DATA: z
    .string()
    .default('{"customer_name":"name","content":"text"}')
    .transform((value, context) => {
      const parsed = templateMappingSchema.safeParse(safeJson(value));
      if (parsed.success) return parsed.data;
      context.addIssue({ code: "custom", message: 'a JSON object such as {"customer_name":"name","content":"text"} (sources: name, text, campaign, year)' });
      return z.NEVER;
    }),
  /** Send the template by the person's phone (documented) or by Zalo user id (⚠️ unconfirmed endpoint shape). */
  ZALO_TEMPLATE_RECIPIENT: z.enum(["phone", "uid"]).default("phone"),
  /** An approved Messenger utility template for broadcasts outside the 24 h window; unset → outside_window. */
  MESSENGER_UTILITY_TEMPLATE: optionalText,
  MESSENGER_UTILITY_TEMPLATE_LANGUAGE: z.string().default("vi"),
  /** The template's body parameters in order: comma-separated sources (name, text, campaign, year). */
  MESSENGER_UTILITY_TEMPLATE_PARAMS: z
    .string()
    .default("name,text")
    .transform((value) => value.split(",").map((part) => part.trim()).filter(Boolean))
    .pipe(z.array(z.enum(templateSources))),
  /** Broadcasts wait (never fail) in these hours, Asia/Ho_Chi_Minh: "21:00-08:00", or "off". */
  BROADCAST_QUIET_HOURS: z
    .string()
    .default("21:00-08:00")
    .refine((value) => value === "off" || /^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/.test(value), "HH:MM-HH:MM or off"),
  /** Broadcast sends per second, per channel and across every process. */
  BROADCAST_RATE_MESSENGER: positiveInt(40),
  BROADCAST_RATE_ZALO: positiveInt(8),
  BROADCAST_RATE_WEB: positiveInt(500),
  /** How often each worker process starts due campaigns and checks running ones. */
  BROADCAST_TICK_MS: positiveInt(5_000),
  /** A recipient claimed this long ago and still "sending" was being sent by a worker that died: counted failed, never resent. Keep above the 10 s send timeout. */
  BROADCAST_INTERRUPTED_AFTER_MS: positiveInt(30_000),
  /** Recipients per broadcast job. */
  BROADCAST_BATCH_SIZE: positiveInt(200),
  /** A campaign pauses by itself after this many errors in a row (the reason is shown). */
  BROADCAST_PAUSE_AFTER_ERRORS: positiveInt(20),
  /** The nudge to someone who stopped mid-registration: after this many hours without a message (inside the free window). */
  REMINDER_NUDGE_AFTER_HOURS: positiveInt(23),
  /** The year-end call to register for next year: day and month ("12-01"), 09:00 Asia/Ho_Chi_Minh. */
  REMINDER_RENEWAL_DATE: z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "MM-DD").default("12-01"),
  /** Scheduled reminders on or off (nudge and renewal). */
  REMINDERS_ENABLED: booleanFlag.default(true),

  SEND_RETRY_ATTEMPTS: positiveInt(8),
  SEND_RETRY_BASE_MS: positiveInt(2_000),
  WEBHOOK_BODY_LIMIT: z.string().default("256kb"),
});

export type Environment = z.infer<typeof environmentSchema>;

export type Config = Environment & {
  webchatEnabled: boolean;
  messengerEnabled: boolean;
  zaloEnabled: boolean;
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** Parses the environment once; throws a ConfigError naming every bad variable and what it should be. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid environment (see .env.example):\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  const messengerKeys = [value.MESSENGER_APP_SECRET, value.MESSENGER_VERIFY_TOKEN, value.MESSENGER_PAGE_ACCESS_TOKEN];
  const zaloKeys = [value.ZALO_APP_ID, value.ZALO_APP_SECRET, value.ZALO_OA_SECRET_KEY];
  for (const [name, keys, names] of [
    ["Messenger", messengerKeys, "MESSENGER_APP_SECRET, MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN"],
    ["Zalo", zaloKeys, "ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY"],
  ] as const) {
    const set = keys.filter(Boolean).length;
    if (set > 0 && set < keys.length) throw new ConfigError(`${name} is half configured: set all of ${names}, or none to turn the channel off`);
  }
  return {
    ...value,
    webchatEnabled: value.WEBCHAT_ENABLED ?? value.NODE_ENV !== "production",
    messengerEnabled: messengerKeys.every(Boolean),
    zaloEnabled: zaloKeys.every(Boolean),
  };
}
