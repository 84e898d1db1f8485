import { and, eq, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { channelIdentities, people, registrations, registrationStatuses } from "../../db/schema.js";
import { registrationFilterConditions } from "../admin/registrationQueries.js";
import type { AdminScope } from "../admin/scope.js";
import { channelNames, type ChannelName } from "../conversation/types.js";
import { messagingWindowMs } from "../jobs/messagingWindow.js";
import type { Executor } from "../persistence/people.js";

const optionalCode = z
  .string()
  .trim()
  .max(40)
  .optional()
  .transform((value) => (value === "" ? undefined : value));

/** Who a campaign is for: registrations matching every given field, always cut to the creator's scope. */
export const audienceSchema = z
  .object({
    province: optionalCode,
    commune: optionalCode,
    /** A branch id, or "none" for registrations not placed in a branch. */
    branch: z.union([z.literal("none"), z.uuid()]).optional(),
    status: z.enum(registrationStatuses).optional(),
    group: optionalCode,
    year: z.coerce.number().int().min(2020).max(2100).optional(),
    channel: z.enum(channelNames).optional(),
  })
  .strict();
export type Audience = z.infer<typeof audienceSchema>;
export type AudienceInput = z.input<typeof audienceSchema>;

/** Which registrations: the admin filter in the scope, cancelled ones only when asked for, and the channel. */
function audienceConditions(scope: AdminScope, audience: Audience): SQL | undefined {
  return and(
    registrationFilterConditions(scope, audience),
    audience.status ? undefined : ne(registrations.status, "cancelled"),
    audience.channel ? eq(channelIdentities.channel, audience.channel) : undefined,
  );
}

/**
 * Whether a free-form message may go to this channel identity now, in SQL (the rule of isMessagingWindowOpen):
 * web always; Messenger 24 h, Zalo 7 days after the last message, unless the platform refused since.
 */
export function windowOpenSql(now: Date): SQL {
  const since = (channel: ChannelName) => new Date(now.getTime() - (messagingWindowMs[channel] ?? 0)).toISOString();
  return sql`(case ${channelIdentities.channel}
      when 'web' then true
      when 'messenger' then ${channelIdentities.lastInboundAt} > ${since("messenger")}::timestamptz
      when 'zalo' then ${channelIdentities.lastInboundAt} > ${since("zalo")}::timestamptz
      else false end
    and not coalesce(${channelIdentities.outsideWindowAt} >= ${channelIdentities.lastInboundAt}, false)
    and not coalesce(${channelIdentities.unreachableAt} >= ${channelIdentities.lastInboundAt}, false))`;
}

/** The platform said the person blocked or unfollowed, and they have not written since. */
const blockedSql = sql`coalesce(${channelIdentities.unreachableAt} >= ${channelIdentities.lastInboundAt}, ${channelIdentities.unreachableAt} is not null)`;

/**
 * One row per person of the audience with the channel identity to reach them by: the one whose window is open,
 * else the one they wrote from last (as reachPerson chooses for notifications).
 */
export function audienceRecipients(db: Executor, scope: AdminScope, audience: Audience, now: Date, onlyPeople?: SQL) {
  const open = windowOpenSql(now);
  return db
    .selectDistinctOn([registrations.personId], {
      personId: sql<string>`${registrations.personId}`.as("person_id"),
      channel: sql<string>`${channelIdentities.channel}`.as("channel"),
      userId: sql<string>`${channelIdentities.userId}`.as("user_id"),
      optedOut: sql<boolean>`${people.remindersOffAt} is not null`.as("opted_out"),
      windowOpen: sql<boolean>`${open}`.as("window_open"),
      blocked: sql<boolean>`${blockedSql}`.as("blocked"),
      hasPhone: sql<boolean>`${people.phone} is not null`.as("has_phone"),
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .innerJoin(channelIdentities, eq(channelIdentities.personId, registrations.personId))
    .where(and(audienceConditions(scope, audience), onlyPeople))
    .orderBy(registrations.personId, sql`${open} desc`, sql`${channelIdentities.lastInboundAt} desc nulls last`);
}

export type ChannelPreview = { inWindow: number; template: number; unreachable: number };
export type AudiencePreview = { total: number; byChannel: Record<ChannelName, ChannelPreview>; optedOut: number };

/** Which channels can reach someone outside the window through an approved template. */
export type TemplateAvailability = { messenger: boolean; zalo: "phone" | "uid" | null };

/**
 * How a campaign would go if it started now: per channel, who gets a free message, who only a template, who
 * cannot be reached (blocked, or outside the window with no template); opted-out people apart. One query.
 */
export async function previewAudience(db: Executor, scope: AdminScope, audience: Audience, templates: TemplateAvailability, now: Date): Promise<AudiencePreview> {
  const recipients = audienceRecipients(db, scope, audience, now).as("recipients");
  const zaloTemplate = templates.zalo === "uid" ? sql`true` : templates.zalo === "phone" ? sql`${recipients.hasPhone}` : sql`false`;
  const templateOk = sql`(case ${recipients.channel} when 'messenger' then ${sql.raw(String(templates.messenger))} when 'zalo' then ${zaloTemplate} else false end)`;
  const rows = await db
    .select({
      channel: recipients.channel,
      optedOut: sql<number>`count(*) filter (where ${recipients.optedOut})`.mapWith(Number),
      inWindow: sql<number>`count(*) filter (where not ${recipients.optedOut} and not ${recipients.blocked} and ${recipients.windowOpen})`.mapWith(Number),
      template: sql<number>`count(*) filter (where not ${recipients.optedOut} and not ${recipients.blocked} and not ${recipients.windowOpen} and ${templateOk})`.mapWith(Number),
      total: sql<number>`count(*)`.mapWith(Number),
    })
    .from(recipients)
    .groupBy(recipients.channel);
  const byChannel = Object.fromEntries(channelNames.map((channel) => [channel, { inWindow: 0, template: 0, unreachable: 0 }])) as Record<ChannelName, ChannelPreview>;
  let total = 0;
  let optedOut = 0;
  for (const row of rows) {
    total += row.total;
    optedOut += row.optedOut;
    const entry = byChannel[row.channel as ChannelName];
    if (!entry) continue;
    entry.inWindow = row.inWindow;
    entry.template = row.template;
    entry.unreachable = row.total - row.optedOut - row.inWindow - row.template;
  }
  return { total, byChannel, optedOut };
}

/** Freezes the audience into one recipient row per person (opted-out people recorded as such); returns how many. */
export async function freezeAudience(db: Executor, broadcastId: string, scope: AdminScope, audience: Audience, now: Date, onlyPeople?: SQL): Promise<number> {
  const recipients = audienceRecipients(db, scope, audience, now, onlyPeople).as("recipients");
  const result = await db.execute(sql`
    insert into broadcast_recipients (broadcast_id, person_id, channel, user_id, status)
    select ${broadcastId}::uuid, ${recipients.personId}, ${recipients.channel}, ${recipients.userId},
           case when ${recipients.optedOut} then 'opted_out' else 'queued' end
    from ${recipients}
    on conflict do nothing`);
  return affectedRows(result);
}

/** Rows changed by a raw statement, on pg (rowCount) and PGlite (affectedRows). */
export function affectedRows(result: unknown): number {
  const value = result as { rowCount?: number | null; affectedRows?: number };
  return value.rowCount ?? value.affectedRows ?? 0;
}
