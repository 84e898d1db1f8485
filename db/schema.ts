/**
 * The durable data of the Learning Citizen Assistant. Tables are unqualified so that the same schema can live in
 * any PostgreSQL schema (each test file gets its own) or in embedded PGlite.
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const provinces = pgTable("provinces", {
  code: text("code").primaryKey(),
  name: text("name").notNull(),
  fullName: text("full_name").notNull(),
  slug: text("slug").notNull(),
  type: text("type").notNull(),
  isCentral: boolean("is_central").notNull().default(false),
});

export const communes = pgTable(
  "communes",
  {
    code: text("code").primaryKey(),
    name: text("name").notNull(),
    fullName: text("full_name").notNull(),
    slug: text("slug").notNull(),
    type: text("type").notNull(),
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces.code),
  },
  (t) => [index("communes_province_idx").on(t.provinceCode)],
);

/**
 * The communes, wards and towns of before 1 July 2025 and the commune each became part of (names as people still
 * say them). One old commune split between two new ones has two rows.
 */
export const formerCommunes = pgTable(
  "former_communes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code, { onDelete: "cascade" }),
    provinceCode: text("province_code")
      .notNull()
      .references(() => provinces.code),
    /** "Xã Mai Lâm" */
    formerName: text("former_name").notNull(),
    /** "Huyện Đông Anh" */
    formerDistrict: text("former_district").notNull(),
    formerProvince: text("former_province").notNull(),
  },
  (t) => [index("former_communes_province_idx").on(t.provinceCode)],
);

export const branches = pgTable(
  "branches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The short code citizens type ("dk <code>") and that posters and QR codes carry. */
    code: text("code").notNull(),
    name: text("name").notNull(),
    communeCode: text("commune_code")
      .notNull()
      .references(() => communes.code),
    /** A deactivated branch is no longer offered to citizens; its registrations and history stay. */
    active: boolean("active").notNull().default(true),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("branches_code_idx").on(t.code), index("branches_commune_idx").on(t.communeCode)],
);

export const people = pgTable("people", {
  id: uuid("id").primaryKey().defaultRandom(),
  fullName: text("full_name"),
  birthYear: integer("birth_year"),
  gender: text("gender"),
  /** E.164, only when the person chose to give it. */
  phone: text("phone"),
  locale: text("locale").notNull().default("vi"),
  /** Set when the person typed "dừng nhắc" / "stop": no broadcast or reminder goes to them until "nhận nhắc nhở". */
  remindersOffAt: timestamp("reminders_off_at", { withTimezone: true }),
  createdAt: createdAt(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

export const channelIdentities = pgTable(
  "channel_identities",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id").references(() => people.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    /** The last time the person wrote or tapped: the platform's messaging window starts here. */
    lastInboundAt: timestamp("last_inbound_at", { withTimezone: true }),
    /** Set when the platform says the person blocked or unfollowed the page/OA. */
    unreachableAt: timestamp("unreachable_at", { withTimezone: true }),
    /** Set when a send failed because the messaging window had closed. */
    outsideWindowAt: timestamp("outside_window_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("channel_identities_channel_user_idx").on(t.channel, t.userId), index("channel_identities_person_idx").on(t.personId)],
);

/** Proof of consent (Law 91/2025, Decree 356/2025): when, which notice, through which channel identity. */
export const consentRecords = pgTable(
  "consent_records",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    noticeVersion: text("notice_version").notNull(),
    granted: boolean("granted").notNull(),
    guardianConsent: boolean("guardian_consent"),
    at: timestamp("at", { withTimezone: true }).notNull(),
  },
  (t) => [index("consent_records_person_idx").on(t.personId)],
);

export const registrationStatuses = ["draft", "submitted", "confirmed", "rejected", "needs_info", "cancelled"] as const;
export type RegistrationStatus = (typeof registrationStatuses)[number];

export const registrations = pgTable(
  "registrations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    year: integer("year").notNull(),
    status: text("status").$type<RegistrationStatus>().notNull().default("draft"),
    flowId: text("flow_id").notNull(),
    flowVersion: integer("flow_version").notNull(),
    criteriaSetId: text("criteria_set_id"),
    criteriaVersion: integer("criteria_version"),
    branchId: uuid("branch_id").references(() => branches.id),
    groupCode: text("group_code"),
    /** Where the citizen said they live (kept in step with the province and commune answers): the admin scopes read these. */
    provinceCode: text("province_code"),
    communeCode: text("commune_code"),
    score: integer("score"),
    meets: boolean("meets"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedByPersonId: uuid("decided_by_person_id").references(() => people.id, { onDelete: "set null" }),
    decisionReason: text("decision_reason"),
    /** Counts submissions: decision tokens and decisions belong to one round, so a card from before a resubmission decides nothing. */
    submissionRound: integer("submission_round").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("registrations_person_year_idx").on(t.personId, t.year),
    index("registrations_branch_status_idx").on(t.branchId, t.status),
    index("registrations_year_commune_idx").on(t.year, t.communeCode),
    index("registrations_year_province_idx").on(t.year, t.provinceCode),
  ],
);

/** Every answer as typed (raw) beside what it was understood as (value) and the points it earned. */
export const registrationAnswers = pgTable(
  "registration_answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    field: text("field").notNull(),
    rawText: text("raw_text").notNull(),
    value: jsonb("value"),
    points: integer("points"),
    answeredAt: timestamp("answered_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("registration_answers_field_idx").on(t.registrationId, t.field)],
);

/**
 * Every inbound event, recorded before the platform gets its 200: the unique key makes redeliveries no-ops
 * across processes, and unprocessed rows are the per-person inbox the turn processor drains in order.
 */
export const inboundEvents = pgTable(
  "inbound_events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    eventId: text("event_id").notNull(),
    userId: text("user_id").notNull(),
    event: jsonb("event").notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp("processed_at", { withTimezone: true }),
    /** Turns tried on this event; after TURN_MAX_ATTEMPTS failures it is dead-lettered so the person's next message is handled. */
    attempts: integer("attempts").notNull().default(0),
    deadLetteredAt: timestamp("dead_lettered_at", { withTimezone: true }),
    /** The failing error's class and code (safeError), never its message. */
    errorClass: text("error_class"),
  },
  (t) => [
    uniqueIndex("inbound_events_channel_event_idx").on(t.channel, t.eventId),
    index("inbound_events_pending_idx").on(t.channel, t.userId, t.id).where(sql`processed_at is null`),
    // A person's whole history (web chat transcript, "xóa dữ liệu") and the purge of old handled events.
    index("inbound_events_person_idx").on(t.channel, t.userId, t.id),
    index("inbound_events_received_idx").on(t.receivedAt),
  ],
);

/**
 * Where each person's conversation stands, with a version: a turn commits its effects only if the version it read is
 * still the stored one, so a turn that lost its lock (or raced another process) commits nothing and is retried.
 */
export const conversationSessions = pgTable(
  "conversation_sessions",
  {
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    state: jsonb("state").notNull(),
    version: integer("version").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channel, t.userId] }), index("conversation_sessions_updated_idx").on(t.updatedAt)],
);

/** sending: claimed by a worker for its platform call (a crash there leaves it, and the relay gives it up: never sent twice). */
export const outboundStatuses = ["pending", "sending", "sent", "failed", "outside_window", "unreachable"] as const;
export type OutboundStatus = (typeof outboundStatuses)[number];

/** The outbox: written in the same transaction as the turn that produced it, then delivered by the channel. */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    inboundEventId: bigint("inbound_event_id", { mode: "number" }),
    message: jsonb("message").notNull(),
    status: text("status").$type<OutboundStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    platformMessageId: text("platform_message_id"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    /** When a worker claimed it for sending (status "sending"). */
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    /**
     * What the platform's echoes of this row's parts said while it was being sent (Messenger `part:<n>` from the
     * metadata, Zalo `text:<hash>`): after a crash mid-send they tell which parts reached the person.
     */
    echoes: text("echoes").array().notNull().default(sql`'{}'::text[]`),
  },
  (t) => [
    index("outbound_messages_recipient_idx").on(t.channel, t.userId, t.id),
    index("outbound_messages_pending_idx").on(t.createdAt).where(sql`status = 'pending'`),
    index("outbound_messages_sending_idx").on(t.claimedAt).where(sql`status = 'sending'`),
  ],
);

/** OAuth tokens of a platform account (the Zalo OA): kept here so every process uses the newest pair. */
export const platformTokens = pgTable("platform_tokens", {
  name: text("name").primaryKey(),
  accessToken: text("access_token").notNull(),
  refreshToken: text("refresh_token"),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** People bound to a branch as its head or deputy (chi hội trưởng, head of a ban khuyến học); several per branch. */
export const branchHeads = pgTable(
  "branch_heads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("branch_heads_branch_person_idx").on(t.branchId, t.personId), index("branch_heads_person_idx").on(t.personId)],
);

/** One-time codes an admin hands to a future head ("chihoi <code>" or the deep link ref "chihoi_<code>"). */
export const branchInvites = pgTable(
  "branch_invites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    branchId: uuid("branch_id")
      .notNull()
      .references(() => branches.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    usedByPersonId: uuid("used_by_person_id").references(() => people.id, { onDelete: "set null" }),
  },
  (t) => [uniqueIndex("branch_invites_code_idx").on(t.code), index("branch_invites_branch_idx").on(t.branchId)],
);

export const decisionActions = ["confirm", "reject", "more"] as const;
export type DecisionAction = (typeof decisionActions)[number];

export const cardStatuses = ["sent", "held", "listed"] as const;
/** sent: the card went to the head's outbox; held: outside the head's messaging window; listed: made for "danh sách". */
export type CardStatus = (typeof cardStatuses)[number];

/**
 * The opaque token a decision button carries (`dec:<token>:<action>`): 128 random bits, bound to one registration,
 * one head and one submission round.
 */
export const decisionTokens = pgTable(
  "decision_tokens",
  {
    token: text("token").primaryKey(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    headPersonId: uuid("head_person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    cardStatus: text("card_status").$type<CardStatus>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("decision_tokens_card_idx").on(t.registrationId, t.headPersonId, t.round),
    index("decision_tokens_head_idx").on(t.headPersonId),
  ],
);

/** Every decision a head took, one per submission round (the unique index is the last line against two winners). */
export const registrationDecisions = pgTable(
  "registration_decisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    action: text("action").$type<DecisionAction>().notNull(),
    reason: text("reason"),
    /** The answers reopened by "Cần bổ sung" (fields such as "criteria.reading"). */
    reopenedFields: jsonb("reopened_fields").$type<string[]>(),
    decidedByPersonId: uuid("decided_by_person_id").references(() => people.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("registration_decisions_round_idx").on(t.registrationId, t.round)],
);

export const digestStatuses = ["sent", "outside_window", "unreachable"] as const;
export type DigestStatus = (typeof digestStatuses)[number];

/** One daily digest per head and day (Asia/Ho_Chi_Minh): running the job twice sends once. */
export const headDigests = pgTable(
  "head_digests",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    day: text("day").notNull(),
    status: text("status").$type<DigestStatus>().notNull(),
    pendingCount: integer("pending_count").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("head_digests_person_day_idx").on(t.personId, t.day)],
);

/** A submission left pending too long, for the commune's admins (shown to them once admin accounts exist). */
export const escalations = pgTable(
  "escalations",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    registrationId: uuid("registration_id")
      .notNull()
      .references(() => registrations.id, { onDelete: "cascade" }),
    round: integer("round").notNull(),
    communeCode: text("commune_code"),
    branchId: uuid("branch_id").references(() => branches.id, { onDelete: "set null" }),
    pendingSince: timestamp("pending_since", { withTimezone: true }).notNull(),
    createdAt: createdAt(),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("escalations_registration_round_idx").on(t.registrationId, t.round), index("escalations_commune_idx").on(t.communeCode)],
);

export const adminRoles = ["national", "province", "commune"] as const;
/** The role is the scope: the whole country, one province or one commune. */
export type AdminRole = (typeof adminRoles)[number];

/** Association staff who run the campaign; the password is an argon2id hash. */
export const adminAccounts = pgTable(
  "admin_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Lower-cased. */
    email: text("email").notNull(),
    passwordHash: text("password_hash").notNull(),
    role: text("role").$type<AdminRole>().notNull(),
    provinceCode: text("province_code").references(() => provinces.code),
    communeCode: text("commune_code").references(() => communes.code),
    createdAt: createdAt(),
    createdBy: text("created_by"),
    disabledAt: timestamp("disabled_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("admin_accounts_email_idx").on(t.email)],
);

/** Console sessions, here so they survive a restart and every process sees them; the id is a SHA-256 of the cookie. */
export const adminSessions = pgTable(
  "admin_sessions",
  {
    id: text("id").primaryKey(),
    accountId: uuid("account_id")
      .notNull()
      .references(() => adminAccounts.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("admin_sessions_account_idx").on(t.accountId)],
);

/** Who changed what and when: every admin action that changes data. Details carry ids and counts, never personal data. */
export const adminAuditLog = pgTable(
  "admin_audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    accountId: uuid("account_id").references(() => adminAccounts.id, { onDelete: "set null" }),
    /** The account's e-mail at the time, or "ADMIN_TOKEN". */
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    details: jsonb("details"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("admin_audit_log_at_idx").on(t.at)],
);

/** Secrets the processes must share and keep across restarts (the CSRF key), made once on first start. */
export const appSecrets = pgTable("app_secrets", {
  name: text("name").primaryKey(),
  value: text("value").notNull(),
  createdAt: createdAt(),
});

export const broadcastStatuses = ["draft", "scheduled", "running", "paused", "finished", "cancelled"] as const;
/** draft → scheduled → running ⇄ paused → finished; cancelled from scheduled, running or paused (as Listmonk). */
export type BroadcastStatus = (typeof broadcastStatuses)[number];

export const broadcastKinds = ["manual", "nudge", "renewal"] as const;
/** manual: written by staff; nudge and renewal: made by the scheduled reminders. */
export type BroadcastKind = (typeof broadcastKinds)[number];

/** A campaign: one text to an audience cut to its creator's scope, frozen into recipients when it starts. */
export const broadcasts = pgTable(
  "broadcasts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** May hold {{name}}: the citizen's name, or nothing when it is not known. */
    text: text("text").notNull(),
    /** The filter as given (province, commune, branch, status, group, year, channel). */
    audience: jsonb("audience").notNull(),
    /** The creator's scope at creation: the audience is always cut to it. */
    scope: jsonb("scope").notNull(),
    kind: text("kind").$type<BroadcastKind>().notNull().default("manual"),
    status: text("status").$type<BroadcastStatus>().notNull().default("draft"),
    sendAt: timestamp("send_at", { withTimezone: true }),
    createdByAccountId: uuid("created_by_account_id").references(() => adminAccounts.id, { onDelete: "set null" }),
    createdBy: text("created_by").notNull(),
    /** Recipients frozen when it started (null before). */
    total: integer("total"),
    /** Why it paused by itself ("errors", "quota", "token"), shown in the console; null when paused by hand. */
    pausedReason: text("paused_reason"),
    /** The platform error code behind an automatic pause. */
    pausedCode: text("paused_code"),
    /** Bumped at each start and resume: the job ids of one run. */
    round: integer("round").notNull().default(0),
    createdAt: createdAt(),
    startedAt: timestamp("started_at", { withTimezone: true }),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("broadcasts_status_idx").on(t.status, t.sendAt)],
);

export const recipientStatuses = ["queued", "sending", "sent", "template_sent", "outside_window", "opted_out", "blocked", "failed", "cancelled"] as const;
/** sending: claimed by a worker (transient; a worker that died while sending leaves it failed, never sent twice). */
export type RecipientStatus = (typeof recipientStatuses)[number];

/** One row per campaign and person, frozen at start: the counts the console shows are these rows. */
export const broadcastRecipients = pgTable(
  "broadcast_recipients",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    broadcastId: uuid("broadcast_id")
      .notNull()
      .references(() => broadcasts.id, { onDelete: "cascade" }),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    status: text("status").$type<RecipientStatus>().notNull().default("queued"),
    /** The platform's error code (or our reason) for failed, blocked and outside_window. */
    errorCode: text("error_code"),
    claimedAt: timestamp("claimed_at", { withTimezone: true }),
    doneAt: timestamp("done_at", { withTimezone: true }),
  },
  (t) => [uniqueIndex("broadcast_recipients_person_idx").on(t.broadcastId, t.personId), index("broadcast_recipients_status_idx").on(t.broadcastId, t.status, t.id)],
);

/** The scheduled reminders already made: one per (kind, person, period), however often the schedule runs. */
export const reminderLog = pgTable(
  "reminder_log",
  {
    kind: text("kind").notNull(),
    personId: uuid("person_id")
      .notNull()
      .references(() => people.id, { onDelete: "cascade" }),
    period: text("period").notNull(),
    broadcastId: uuid("broadcast_id").references(() => broadcasts.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.personId, t.period] })],
);
