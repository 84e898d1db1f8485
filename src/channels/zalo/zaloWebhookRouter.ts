import { Router } from "express";
import type { Logger } from "pino";
import type { Config } from "../../config.js";
import type { ConversationInbox } from "../../conversation/ports.js";
import { ChannelNotConfiguredError } from "../shared/errors.js";
import { parseJsonPreservingBigIntegers } from "../shared/parseJsonPreservingBigIntegers.js";
import { rawBodyOf, rawWebhookBody, webhookBodyErrors } from "../shared/rawWebhookBody.js";
import { recordThenAcknowledge, type EchoRecorder } from "../shared/recordThenAcknowledge.js";
import { parseZaloWebhook } from "./parseZaloWebhook.js";
import { verifyZaloSignature } from "./verifyZaloSignature.js";

export type ZaloWebhookConfig = Pick<Config, "ZALO_APP_ID" | "ZALO_OA_ID" | "ZALO_OA_SECRET_KEY" | "ZALO_APP_SECRET" | "WEBHOOK_BODY_LIMIT">;

/**
 * `POST /webhooks/zalo`: raw body → `X-ZEvent-Signature` (401 and no effect when wrong) → the event recorded
 * (500 if recording fails, so Zalo delivers again) → 200 → the person's inbox drained, not awaited.
 * Any GET on the path answers 200 (no handshake is documented; a console check may probe it).
 */
export function createZaloWebhookRouter(deps: { config: ZaloWebhookConfig; inbox: ConversationInbox; log: Logger; recordEchoes?: EchoRecorder }): Router {
  const { config, inbox } = deps;
  const appId = config.ZALO_APP_ID;
  const oaSecretKey = config.ZALO_OA_SECRET_KEY;
  if (!appId || !oaSecretKey) throw new ChannelNotConfiguredError("Zalo", ["ZALO_APP_ID", "ZALO_OA_SECRET_KEY"]);
  const log = deps.log.child({ channel: "zalo" });
  const variantsSeen = new Set<string>();
  const router = Router();

  router.get("/webhooks/zalo", (_request, response) => {
    response.status(200).send("ok");
  });

  router.post("/webhooks/zalo", rawWebhookBody(config.WEBHOOK_BODY_LIMIT), async (request, response) => {
    const rawBody = rawBodyOf(request);
    let body: unknown = undefined;
    try {
      body = parseJsonPreservingBigIntegers(rawBody.toString("utf8"));
    } catch {
      // Verified below with the header timestamp only; an unsigned non-JSON body ends as 401.
    }
    const bodyTimestamp = timestampOf(body);
    const signature = verifyZaloSignature({
      rawBody,
      signature: request.get("x-zevent-signature"),
      bodyTimestamp,
      headerTimestamp: request.get("timestamp"),
      appId,
      oaId: config.ZALO_OA_ID,
      oaSecretKey,
      appSecret: config.ZALO_APP_SECRET,
    });
    if (!signature.valid) {
      log.warn({ reason: signature.reason, ip: request.ip }, "webhook signature rejected: answered 401");
      response.sendStatus(401);
      return;
    }
    const variant = `${signature.variant.firstTerm}+${signature.variant.secret}+${signature.variant.timestampFrom}`;
    if (!variantsSeen.has(variant)) {
      variantsSeen.add(variant);
      log.info({ signatureVariant: signature.variant }, "Zalo webhook signature variant seen (first time in this process)");
    }
    await recordThenAcknowledge({
      response,
      inbox,
      log,
      acknowledgement: "ok",
      recordEchoes: deps.recordEchoes,
      parse: (echo) =>
        parseZaloWebhook(body, {
          ignored: (item) => log.debug(item, "webhook event ignored"),
          variant: (name, value) => log.info({ variant: name, value }, "webhook variant seen"),
          echo,
        }),
    });
  });

  router.use("/webhooks/zalo", webhookBodyErrors("zalo", log));
  return router;
}

function timestampOf(body: unknown): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const timestamp = (body as { timestamp?: unknown }).timestamp;
  return typeof timestamp === "string" || typeof timestamp === "number" ? String(timestamp) : undefined;
}
