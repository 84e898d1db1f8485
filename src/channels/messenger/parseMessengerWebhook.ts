import { z } from "zod";
import type { InboundEvent, MediaType } from "../../conversation/types.js";
import { WebhookPayloadError } from "../shared/errors.js";
import { partMark, readMessengerEchoMetadata } from "../shared/outboundEcho.js";
import type { WebhookParseObserver } from "../shared/webhookParseObserver.js";

/** The Get Started button's payload, as set in the Page's Messenger profile. */
export const messengerGetStartedPayload = "GET_STARTED";

const platformId = z.union([z.string().min(1), z.number()]).transform(String);
/** A page-scoped user id is a string of digits; anything else is not from Meta and is not recorded. */
const personId = platformId.pipe(z.string().regex(/^\d{1,32}$/, "a PSID is a string of digits"));
const referral = z.object({ ref: z.string().optional(), source: z.string().optional(), type: z.string().optional() });

/** One item of `entry[].messaging[]` or `entry[].standby[]` (platforms.md §5.3); unknown fields are dropped. */
export const messengerMessagingSchema = z.object({
  sender: z.object({ id: personId }),
  recipient: z.object({ id: platformId }).optional(),
  timestamp: z.number(),
  message: z
    .object({
      mid: z.string().optional(),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      metadata: z.string().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(z.object({ type: z.string() })).optional(),
      sticker_id: platformId.optional(),
    })
    .optional(),
  postback: z
    .object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional(), referral: referral.optional() })
    .optional(),
  referral: referral.optional(),
  delivery: z.unknown().optional(),
  read: z.unknown().optional(),
});
export type MessengerMessaging = z.infer<typeof messengerMessagingSchema>;

/** The webhook envelope (platforms.md §5.2); items are checked one by one so one odd item cannot sink a batch. */
export const messengerWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: platformId.optional(),
      time: z.number().optional(),
      messaging: z.array(z.unknown()).optional(),
      standby: z.array(z.unknown()).optional(),
    }),
  ),
});

/**
 * Turns a Messenger webhook body into channel-neutral events, in order: every entry, its `messaging[]` then its
 * `standby[]`. Delivery and read receipts are dropped; echoes of our own outbox calls go to `observer.echo`, other
 * echoes (a person answering from the Page inbox) are dropped. Throws WebhookPayloadError on a bad envelope.
 */
export function parseMessengerWebhook(body: unknown, observer: WebhookParseObserver = {}): InboundEvent[] {
  const envelope = messengerWebhookSchema.safeParse(body);
  if (!envelope.success) throw new WebhookPayloadError("messenger", envelope.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  const events: InboundEvent[] = [];
  for (const entry of envelope.data.entry) {
    for (const [list, items] of [["messaging", entry.messaging ?? []], ["standby", entry.standby ?? []]] as const) {
      if (list === "standby" && items.length > 0) observer.variant?.("messenger.list", "standby");
      for (const item of items) {
        const parsed = messengerMessagingSchema.safeParse(item);
        if (!parsed.success) {
          observer.ignored?.({ reason: `${list} item without the documented shape: ${parsed.error.issues[0]?.message ?? "invalid"}` });
          continue;
        }
        if (parsed.data.message?.is_echo) {
          reportEcho(parsed.data, observer);
          continue;
        }
        const event = toInboundEvent(parsed.data);
        if ("ignored" in event) observer.ignored?.({ reason: event.ignored, userId: parsed.data.sender.id });
        else events.push(event);
      }
    }
  }
  return events;
}

/** An echo: sender is the Page, recipient the person; only our outbox calls carry metadata naming a row. */
function reportEcho(item: MessengerMessaging, observer: WebhookParseObserver): void {
  const named = readMessengerEchoMetadata(item.message?.metadata);
  const userId = item.recipient?.id;
  if (named && userId && personId.safeParse(userId).success) {
    observer.echo?.({ channel: "messenger", userId, outboxId: named.outboxId, mark: partMark(named.part) });
  } else {
    observer.ignored?.({ reason: "echo" });
  }
}

function toInboundEvent(item: MessengerMessaging): InboundEvent | { ignored: string } {
  const userId = item.sender.id;
  // Postbacks have been seen with second timestamps; everything else is milliseconds.
  const at = item.timestamp < 1e12 ? item.timestamp * 1000 : item.timestamp;
  const base = { channel: "messenger" as const, userId, at };
  const fallbackId = (kind: string) => `${kind}:${userId}:${item.timestamp}`;
  const { message, postback } = item;
  if (postback) {
    const eventId = postback.mid ?? fallbackId("postback");
    if (postback.referral?.ref !== undefined) return { ...base, eventId, kind: "start", ref: postback.referral.ref };
    if (postback.payload === messengerGetStartedPayload) return { ...base, eventId, kind: "start" };
    if (postback.payload === undefined) return { ignored: "postback without a payload (sent by another app)" };
    return { ...base, eventId, kind: "payload", payload: postback.payload, ...(postback.title ? { text: postback.title } : {}) };
  }
  if (message) {
    const eventId = message.mid ?? fallbackId("message");
    if (message.quick_reply) {
      return { ...base, eventId, kind: "payload", payload: message.quick_reply.payload, ...(message.text ? { text: message.text } : {}) };
    }
    if (message.text !== undefined && message.text.trim() !== "") return { ...base, eventId, kind: "text", text: message.text };
    if (message.sticker_id !== undefined) return { ...base, eventId, kind: "media", mediaType: "sticker" };
    const first = message.attachments?.[0];
    if (first) return { ...base, eventId, kind: "media", mediaType: mediaTypeOf(first.type) };
    return { ignored: "message without text or attachment" };
  }
  if (item.referral) return { ...base, eventId: fallbackId("referral"), kind: "start", ...(item.referral.ref !== undefined ? { ref: item.referral.ref } : {}) };
  if (item.delivery !== undefined) return { ignored: "delivery" };
  if (item.read !== undefined) return { ignored: "read" };
  return { ignored: "event type not handled" };
}

function mediaTypeOf(type: string): MediaType {
  switch (type) {
    case "image":
    case "video":
    case "audio":
    case "file":
    case "sticker":
    case "location":
      return type;
    default:
      return "other";
  }
}
