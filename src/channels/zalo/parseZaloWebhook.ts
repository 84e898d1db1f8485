import { z } from "zod";
import type { InboundEvent, MediaType } from "../../conversation/types.js";
import { WebhookPayloadError } from "../shared/errors.js";
import { isEnginePayload } from "../shared/isEnginePayload.js";
import { textMark } from "../shared/outboundEcho.js";
import type { WebhookParseObserver } from "../shared/webhookParseObserver.js";

/** Ids and timestamps are strings (18–19 digit ids); a bare number is accepted only if it arrived intact. */
const zaloId = z.union([z.string().min(1), z.number().int()]).transform(String);
/** A Zalo user id is a string of digits; anything else is not from Zalo and is not recorded. */
const zaloUserId = zaloId.pipe(z.string().regex(/^\d{1,32}$/, "a Zalo user id is a string of digits"));

const submittedInfo = z.object({
  name: z.string().optional(),
  phone: zaloId.optional(),
  address: z.string().optional(),
  ward: z.string().optional(),
  district: z.string().optional(),
  city: z.string().optional(),
  full_address: z
    .object({ user_address: z.string().optional(), user_ward: z.string().optional(), user_city: z.string().optional() })
    .optional(),
});

/** One Zalo OA webhook event (platforms.md §1.4): one per request, no batching envelope. */
export const zaloWebhookSchema = z.object({
  app_id: zaloId.optional(),
  event_name: z.string().min(1),
  timestamp: zaloId,
  user_id_by_app: zaloId.optional(),
  sender: z.object({ id: zaloUserId }).optional(),
  recipient: z.object({ id: zaloId }).optional(),
  follower: z.object({ id: zaloUserId }).optional(),
  oa_id: zaloId.optional(),
  source: z.string().optional(),
  message: z
    .object({
      msg_id: zaloId.optional(),
      text: z.string().optional(),
      attachments: z.array(z.object({ type: z.string() })).optional(),
    })
    .optional(),
  info: submittedInfo.optional(),
});
export type ZaloWebhook = z.infer<typeof zaloWebhookSchema>;

const mediaByEvent: Record<string, MediaType> = {
  image: "image",
  gif: "image",
  sticker: "sticker",
  audio: "audio",
  video: "video",
  file: "file",
  location: "location",
  link: "other",
  business_card: "other",
};

/**
 * Turns a Zalo OA webhook body into at most one channel-neutral event. A `user_send_text` whose text is one of
 * the engine's button payloads is a query-button tap (kind "payload"); receipts are dropped, and `oa_send_*` echoes
 * with a text go to `observer.echo` (they confirm outbox rows, never start a turn).
 * Throws WebhookPayloadError when the body is not a Zalo event at all.
 */
export function parseZaloWebhook(body: unknown, observer: WebhookParseObserver = {}): InboundEvent[] {
  const parsed = zaloWebhookSchema.safeParse(body);
  if (!parsed.success) throw new WebhookPayloadError("zalo", parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  const webhook = parsed.data;
  const name = webhook.event_name;
  if (name.startsWith("oa_send_")) {
    const userId = webhook.recipient?.id;
    const text = webhook.message?.text;
    if (userId && zaloUserId.safeParse(userId).success && text?.trim()) {
      observer.echo?.({ channel: "zalo", userId, mark: textMark(text), platformMessageId: webhook.message?.msg_id ?? null });
    } else {
      observer.ignored?.({ reason: name });
    }
    return [];
  }
  if (name === "user_received_message" || name === "user_seen_message") {
    observer.ignored?.({ reason: name });
    return [];
  }
  const userId = name === "follow" || name === "unfollow" ? (webhook.follower?.id ?? webhook.sender?.id) : webhook.sender?.id;
  if (!userId) {
    observer.ignored?.({ reason: `${name} without a user id` });
    return [];
  }
  const at = Number(webhook.timestamp);
  const eventId = webhook.message?.msg_id ?? `${name}:${webhook.timestamp}:${userId}`;
  const base = { eventId, channel: "zalo" as const, userId, at: Number.isFinite(at) ? at : Date.now() };

  if (name === "follow") return [{ ...base, kind: "start" }];
  if (name === "unfollow") return [{ ...base, kind: "unfollow" }];
  if (name === "user_submit_info") {
    const info = webhook.info ?? {};
    observer.variant?.("zalo.user_submit_info.layout", info.full_address ? "nested" : "flat");
    const fullName = info.name?.trim();
    const phone = info.phone === undefined ? undefined : normalizeVietnamesePhone(info.phone);
    return [{ ...base, kind: "sharedInfo", ...(fullName ? { name: fullName } : {}), ...(phone ? { phone } : {}) }];
  }
  const sendMatch = /^(?:user|anonymous)_send_(.+)$/.exec(name);
  if (sendMatch?.[1] === "text") {
    const text = webhook.message?.text ?? "";
    if (isEnginePayload(text)) return [{ ...base, kind: "payload", payload: text.trim() }];
    if (!text.trim()) {
      observer.ignored?.({ reason: "empty text", eventId, userId });
      return [];
    }
    return [{ ...base, kind: "text", text }];
  }
  const mediaType = sendMatch?.[1] ? mediaByEvent[sendMatch[1]] : undefined;
  if (mediaType) return [{ ...base, kind: "media", mediaType }];
  observer.ignored?.({ reason: `event ${name} not handled`, eventId, userId });
  return [];
}

/** Zalo shares phones as "84912345678"; E.164 ("+84912345678") is what the rest of the system stores. */
export function normalizeVietnamesePhone(phone: string): string | undefined {
  const digits = phone.replace(/[^\d+]/g, "");
  if (/^\+\d{8,15}$/.test(digits)) return digits;
  if (/^84\d{8,10}$/.test(digits)) return `+${digits}`;
  if (/^0\d{9,10}$/.test(digits)) return `+84${digits.slice(1)}`;
  return digits ? digits : undefined;
}
