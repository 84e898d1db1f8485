/**
 * The durable data of the Learning Citizen Assistant. Tables are unqualified so that the same schema can live in
 * any PostgreSQL schema (each test file gets its own) or in embedded PGlite.
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
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
    createdAt: createdAt(),
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
    score: integer("score"),
    meets: boolean("meets"),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    decidedByPersonId: uuid("decided_by_person_id").references(() => people.id, { onDelete: "set null" }),
    decisionReason: text("decision_reason"),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("registrations_person_year_idx").on(t.personId, t.year),
    index("registrations_branch_status_idx").on(t.branchId, t.status),
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
  },
  (t) => [
    uniqueIndex("inbound_events_channel_event_idx").on(t.channel, t.eventId),
    index("inbound_events_pending_idx").on(t.channel, t.userId, t.id).where(sql`processed_at is null`),
  ],
);

export const outboundStatuses = ["pending", "sent", "failed", "outside_window", "unreachable"] as const;
export type OutboundStatus = (typeof outboundStatuses)[number];

/** The outbox: written in the same transaction as the turn that produced it, then delivered by the channel. */
export const outboundMessages = pgTable(
  "outbound_messages",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    channel: text("channel").notNull(),
    userId: text("user_id").notNull(),
    inboundEventId: integer("inbound_event_id"),
    message: jsonb("message").notNull(),
    status: text("status").$type<OutboundStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    platformMessageId: text("platform_message_id"),
    createdAt: createdAt(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [index("outbound_messages_recipient_idx").on(t.channel, t.userId, t.id)],
);

/** OAuth tokens of a platform account (the Zalo OA): kept here so every process uses the newest pair. */
export const platformTokens = pgTable("platform_tokens", {
  name: text("name").primaryKey(),
  accessToken: text("access_token").notNull(),
  refreshToken: text("refresh_token"),
  expiresAt: timestamp("expires_at", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
