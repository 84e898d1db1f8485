import { and, eq } from "drizzle-orm";
import { channelIdentities, people, type BroadcastKind, type RecipientStatus } from "../../db/schema.js";
import { renderMessengerMessage } from "../channels/messenger/renderMessengerMessage.js";
import type { MessengerUtilityBody } from "../channels/messenger/messengerClient.js";
import type { PlatformSendResult, SendFailure } from "../channels/shared/sendFailure.js";
import { renderZaloMessage } from "../channels/zalo/renderZaloMessage.js";
import type { TemplateSource } from "../config.js";
import { locales, type ChannelIdentity, type ChannelName, type Locale } from "../conversation/types.js";
import type { Translate } from "../i18n.js";
import type { PlatformClients } from "../jobs/buildOutboundDelivery.js";
import { markChannelIdentity } from "../jobs/markChannelIdentity.js";
import { insertOutboxRow } from "../persistence/conversationStore.js";
import type { Executor } from "../persistence/people.js";
import { isMessagingWindowOpen } from "../persistence/people.js";

export type BroadcastTemplates = {
  messenger: { name: string; language: string; params: TemplateSource[] } | null;
  zalo: { templateId: string; data: Record<string, TemplateSource>; recipient: "phone" | "uid" } | null;
};

export type Campaign = { id: string; name: string; text: string; kind: BroadcastKind };
export type Recipient = { id: number; personId: string; channel: string; userId: string };

/** How one recipient ended, or the failure to try again later (the row goes back to queued). */
export type RecipientOutcome = { status: Exclude<RecipientStatus, "queued" | "sending" | "cancelled">; code: string | null } | { retry: SendFailure };

export type SenderDeps = { db: Executor; platforms: PlatformClients; templates: BroadcastTemplates; translate: Translate; year: number };

const codeOf = (failure: SendFailure) => (failure.code === null ? failure.kind : String(failure.code));

/** The text one person gets: staff's text with {{name}}, or the reminder's text in the person's language. */
export function campaignText(translate: Translate, campaign: Campaign, person: { name: string | null; locale: Locale }, year: number): string {
  const name = person.name ?? translate(person.locale, "reminders.nameFallback");
  // The renewal call invites people to next year's registration.
  if (campaign.kind !== "manual") return translate(person.locale, `reminders.${campaign.kind}`, { name, year: campaign.kind === "renewal" ? year + 1 : year });
  return campaign.text.replace(/\{\{\s*name\s*\}\}/g, name);
}

/**
 * Sends one campaign message to one person within the platform's rules, checked now: opted out → nothing;
 * blocked → nothing; web chat → shown on their next visit; inside the window → a normal message (Messenger
 * `UPDATE`, Zalo CS); outside → the approved template when one is configured, else outside_window. A platform
 * that answers "outside the window" moves to the template path; "blocked" records it on the person's identity.
 */
export async function sendToRecipient(deps: SenderDeps, campaign: Campaign, recipient: Recipient, now: Date): Promise<RecipientOutcome> {
  const { db, platforms } = deps;
  const [row] = await db
    .select({
      name: people.fullName,
      phone: people.phone,
      locale: people.locale,
      remindersOffAt: people.remindersOffAt,
      lastInboundAt: channelIdentities.lastInboundAt,
      outsideWindowAt: channelIdentities.outsideWindowAt,
      unreachableAt: channelIdentities.unreachableAt,
    })
    .from(people)
    .leftJoin(channelIdentities, and(eq(channelIdentities.channel, recipient.channel), eq(channelIdentities.userId, recipient.userId)))
    .where(eq(people.id, recipient.personId));
  if (!row) return { status: "failed", code: "deleted" };
  if (row.remindersOffAt) return { status: "opted_out", code: null };
  const identity: ChannelIdentity = { channel: recipient.channel as ChannelName, userId: recipient.userId };
  const channelRow = { channel: recipient.channel, userId: recipient.userId, lastInboundAt: row.lastInboundAt, outsideWindowAt: row.outsideWindowAt, unreachableAt: row.unreachableAt };
  if (row.unreachableAt && (!row.lastInboundAt || row.unreachableAt.getTime() >= row.lastInboundAt.getTime())) return { status: "blocked", code: "unreachable" };
  const locale: Locale = (locales as readonly string[]).includes(row.locale) ? (row.locale as Locale) : "vi";
  const text = campaignText(deps.translate, campaign, { name: row.name, locale }, deps.year);

  if (identity.channel === "web") {
    await insertOutboxRow(db, identity, { text }, null);
    return { status: "sent", code: null };
  }

  if (isMessagingWindowOpen(channelRow, now)) {
    const result = await sendFreeForm(platforms, identity, text);
    if (result.status === "sent") return { status: "sent", code: null };
    const failure = result.failure;
    if (failure.kind === "unreachable") {
      await markChannelIdentity(db, identity, "unreachable", now);
      return { status: "blocked", code: codeOf(failure) };
    }
    if (failure.kind !== "outsideWindow") return failure.kind === "permanent" ? { status: "failed", code: codeOf(failure) } : { retry: failure };
    await markChannelIdentity(db, identity, "outsideWindow", now);
  }

  const values: Record<TemplateSource, string> = {
    name: row.name ?? deps.translate(locale, "reminders.nameFallback"),
    text,
    campaign: campaign.name,
    year: String(deps.year),
  };
  const template = await sendTemplate(deps, identity, { phone: row.phone, values, trackingId: `${campaign.id.slice(0, 8)}-${recipient.id}` });
  if (template === null) return { status: "outside_window", code: null };
  if (template.status === "sent") return { status: "template_sent", code: null };
  const failure = template.failure;
  if (failure.kind === "unreachable") return { status: "blocked", code: codeOf(failure) };
  if (failure.kind === "outsideWindow") return { status: "outside_window", code: codeOf(failure) };
  return failure.kind === "permanent" ? { status: "failed", code: codeOf(failure) } : { retry: failure };
}

async function sendFreeForm(platforms: PlatformClients, identity: ChannelIdentity, text: string): Promise<PlatformSendResult> {
  let last: PlatformSendResult = { status: "failed", failure: { kind: "permanent", code: null, subcode: null, httpStatus: null, message: `${identity.channel} is not configured` } };
  if (identity.channel === "messenger" && platforms.messenger) {
    const messenger = platforms.messenger;
    for (const body of renderMessengerMessage(identity.userId, { text }, "UPDATE")) {
      last = await messenger.sendMessage(body);
      if (last.status === "failed") return last;
    }
  } else if (identity.channel === "zalo" && platforms.zalo) {
    const zalo = platforms.zalo;
    for (const body of renderZaloMessage(identity.userId, { text })) {
      last = await zalo.withToken((token) => zalo.client.sendCsMessage(token, body));
      if (last.status === "failed") return last;
    }
  }
  return last;
}

/** The approved template for someone outside the window; null when none is configured (or no phone to send it to). */
async function sendTemplate(
  deps: SenderDeps,
  identity: ChannelIdentity,
  input: { phone: string | null; values: Record<TemplateSource, string>; trackingId: string },
): Promise<PlatformSendResult | null> {
  const { platforms, templates } = deps;
  if (identity.channel === "messenger" && platforms.messenger && templates.messenger) {
    const body: MessengerUtilityBody = {
      recipient: { id: identity.userId },
      messaging_type: "UTILITY",
      message: {
        template: {
          name: templates.messenger.name,
          language: { code: templates.messenger.language },
          components: [{ type: "body", parameters: templates.messenger.params.map((source) => ({ type: "text", text: input.values[source] })) }],
        },
      },
    };
    return platforms.messenger.sendMessage(body);
  }
  if (identity.channel === "zalo" && platforms.zalo && templates.zalo) {
    const zalo = platforms.zalo;
    const config = templates.zalo;
    // Zalo takes phones as 84… without "+" (platforms.md §2.3).
    const target = config.recipient === "uid" ? { user_id: identity.userId } : input.phone ? { phone: input.phone.replace(/^\+/, "") } : null;
    if (!target) return null;
    const templateData = Object.fromEntries(Object.entries(config.data).map(([param, source]) => [param, input.values[source]]));
    return zalo.withToken((token) => zalo.client.sendTemplate(token, { ...target, template_id: config.templateId, template_data: templateData, tracking_id: input.trackingId }));
  }
  return null;
}
