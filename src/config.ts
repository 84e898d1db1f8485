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
  RUN_WORKERS: booleanFlag.default(true),
  SESSION_TTL_DAYS: positiveInt(30),
  TURN_LOCK_MS: positiveInt(15_000),
  /** A turn that fails this many times on one event dead-letters it (with an apology) so the conversation goes on. */
  TURN_MAX_ATTEMPTS: positiveInt(3),
  /** How often the sweeper runs, and how old an unhandled event or an unsent outbox row must be for it to act. */
  SWEEP_EVERY_MS: positiveInt(15_000),
  /** Handled messages keep what was typed this many days (for the web chat history), then only their ids for dedupe; gone after twice that. */
  INBOUND_RETENTION_DAYS: positiveInt(30),
  STALLED_AFTER_MS: positiveInt(10_000),
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
