import { createHash, createHmac } from "node:crypto";

/** `X-Hub-Signature-256` for a Messenger webhook body: `sha256=` + HMAC-SHA256(app secret, raw body). */
export function messengerSignature(appSecret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(rawBody).digest("hex")}`;
}

/** `X-ZEvent-Signature` for a Zalo webhook body: `mac=` + sha256(firstTerm + raw body + timestamp + secret). */
export function zaloSignature(input: { firstTerm: string; rawBody: string | Buffer; timestamp: string; secret: string }): string {
  return `mac=${createHash("sha256").update(input.firstTerm).update(input.rawBody).update(input.timestamp).update(input.secret).digest("hex")}`;
}

export type SignedWebhook = { body: string; headers: Record<string, string> };

/** A signed `POST /webhooks/messenger` request: the JSON text and its headers. */
export function signedMessengerWebhook(appSecret: string, payload: unknown): SignedWebhook {
  const body = JSON.stringify(payload);
  return { body, headers: { "content-type": "application/json", "x-hub-signature-256": messengerSignature(appSecret, body) } };
}

/** A signed `POST /webhooks/zalo` request, by default as the official SDK signs (App ID, OA secret key, body timestamp). */
export function signedZaloWebhook(
  keys: { appId: string; oaSecretKey: string },
  payload: { timestamp: string } & Record<string, unknown>,
  variant: { firstTerm?: string; secret?: string; timestampHeader?: boolean } = {},
): SignedWebhook {
  const body = JSON.stringify(payload);
  const mac = zaloSignature({ firstTerm: variant.firstTerm ?? keys.appId, rawBody: body, timestamp: payload.timestamp, secret: variant.secret ?? keys.oaSecretKey });
  return {
    body,
    headers: { "content-type": "application/json", "x-zevent-signature": mac, ...(variant.timestampHeader ? { timestamp: payload.timestamp } : {}) },
  };
}

/** Sends a signed webhook with fetch; returns the HTTP status and body text. */
export async function postWebhook(url: string, webhook: SignedWebhook): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { method: "POST", headers: webhook.headers, body: webhook.body });
  return { status: response.status, text: await response.text() };
}

/** Messenger webhook bodies as the platform sends them (platforms.md §5.2, §5.3). */
export const messengerEvents = {
  batch: (pageId: string, ...messaging: unknown[][]) => ({
    object: "page",
    entry: messaging.map((items, index) => ({ id: pageId, time: 1_700_000_000_000 + index, messaging: items })),
  }),
  text: (psid: string, pageId: string, text: string, mid: string, timestamp = Date.now()) => ({
    sender: { id: psid },
    recipient: { id: pageId },
    timestamp,
    message: { mid, text },
  }),
  quickReply: (psid: string, pageId: string, title: string, payload: string, mid: string, timestamp = Date.now()) => ({
    sender: { id: psid },
    recipient: { id: pageId },
    timestamp,
    message: { mid, text: title, quick_reply: { payload } },
  }),
  postback: (psid: string, pageId: string, title: string, payload: string, mid: string, timestamp = Date.now()) => ({
    sender: { id: psid },
    recipient: { id: pageId },
    timestamp,
    postback: { mid, title, payload },
  }),
};

/** Zalo webhook bodies as the platform sends them (platforms.md §1.4). */
export const zaloEvents = {
  text: (appId: string, userId: string, oaId: string, text: string, msgId: string, timestamp = String(Date.now())) => ({
    app_id: appId,
    user_id_by_app: `9${userId.slice(1)}`,
    event_name: "user_send_text",
    timestamp,
    sender: { id: userId },
    recipient: { id: oaId },
    message: { msg_id: msgId, text },
  }),
  follow: (appId: string, userId: string, oaId: string, timestamp = String(Date.now())) => ({
    app_id: appId,
    event_name: "follow",
    timestamp,
    oa_id: oaId,
    follower: { id: userId },
  }),
};
