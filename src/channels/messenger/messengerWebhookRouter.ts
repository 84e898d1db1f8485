import { timingSafeEqual } from "node:crypto";
import { Router } from "express";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { ConversationInbox } from "../../conversation/ports.js";
import { ChannelNotConfiguredError } from "../shared/errors.js";
import { rawBodyOf, rawWebhookBody, webhookBodyErrors } from "../shared/rawWebhookBody.js";
import { recordThenAcknowledge, type EchoRecorder } from "../shared/recordThenAcknowledge.js";
import { parseMessengerWebhook } from "./parseMessengerWebhook.js";
import { verifyMessengerSignature } from "./verifyMessengerSignature.js";

export type MessengerWebhookConfig = Pick<Config, "MESSENGER_APP_SECRET" | "MESSENGER_VERIFY_TOKEN" | "WEBHOOK_BODY_LIMIT">;

/**
 * `GET /webhooks/messenger` (subscription handshake) and `POST /webhooks/messenger`: raw body → signature (401
 * and no effect when wrong) → events recorded in order (500 if recording fails, so Meta delivers again) → 200 →
 * each person's inbox drained, not awaited by the response.
 */
export function createMessengerWebhookRouter(deps: { config: MessengerWebhookConfig; inbox: ConversationInbox; log: Logger; recordEchoes?: EchoRecorder }): Router {
  const { config, inbox } = deps;
  const appSecret = config.MESSENGER_APP_SECRET;
  const verifyToken = config.MESSENGER_VERIFY_TOKEN;
  if (!appSecret || !verifyToken) throw new ChannelNotConfiguredError("Messenger", ["MESSENGER_APP_SECRET", "MESSENGER_VERIFY_TOKEN"]);
  const log = deps.log.child({ channel: "messenger" });
  const router = Router();

  router.get("/webhooks/messenger", (request, response) => {
    const mode = request.query["hub.mode"];
    const token = request.query["hub.verify_token"];
    const challenge = request.query["hub.challenge"];
    if (mode === "subscribe" && typeof token === "string" && sameText(token, verifyToken) && typeof challenge === "string") {
      log.info("webhook subscription verified");
      response.status(200).type("text/plain").send(challenge);
      return;
    }
    log.warn({ mode }, "webhook verification refused");
    response.sendStatus(403);
  });

  router.post("/webhooks/messenger", rawWebhookBody(config.WEBHOOK_BODY_LIMIT), async (request, response) => {
    const rawBody = rawBodyOf(request);
    const signature = verifyMessengerSignature(rawBody, request.get("x-hub-signature-256"), appSecret);
    if (!signature.valid) {
      log.warn({ reason: signature.reason, ip: request.ip }, "webhook signature rejected: answered 401");
      response.sendStatus(401);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(rawBody.toString("utf8"));
    } catch {
      log.warn("signed webhook body is not JSON: answered 400");
      response.sendStatus(400);
      return;
    }
    if (typeof body !== "object" || body === null || (body as { object?: unknown }).object !== "page") {
      log.warn({ object: (body as { object?: unknown } | null)?.object }, "webhook for an object other than page: answered 404");
      response.sendStatus(404);
      return;
    }
    await recordThenAcknowledge({
      response,
      inbox,
      log,
      acknowledgement: "EVENT_RECEIVED",
      recordEchoes: deps.recordEchoes,
      parse: (echo) =>
        parseMessengerWebhook(body, {
          ignored: (item) => log.debug(item, "webhook item ignored"),
          variant: (name, value) => log.info({ variant: name, value }, "webhook variant seen"),
          echo,
        }),
    });
  });

  router.use("/webhooks/messenger", webhookBodyErrors("messenger", log));
  return router;
}

function sameText(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
