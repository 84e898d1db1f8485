import { randomBytes } from "node:crypto";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { FailurePlan, type FailureOptions, type FakeFailureName } from "./failurePlan.js";
import { EchoSender } from "./echoWebhooks.js";
import { signedZaloWebhook } from "./signWebhooks.js";
import { listenOnLoopback } from "./listenOnLoopback.js";
import { Recorder } from "./recorder.js";
import { chars } from "./textLimits.js";

/** CS message bodies as documented (platforms.md §2.3), written apart from the app's renderer so they check it. */
const queryButton = z
  .object({ title: chars(1, 20), type: z.enum(["oa.query.hide", "oa.query.show"]), payload: z.string().min(1).max(1000), image_icon: z.string().optional() })
  .strict();
const urlButton = z.object({ title: chars(1, 20), type: z.literal("oa.open.url"), payload: z.object({ url: z.url() }).strict() }).strict();
const phoneButton = z.object({ title: chars(1, 20), type: z.literal("oa.open.phone"), payload: z.object({ phone_code: z.string() }).strict() }).strict();
export const zaloCsBodySchema = z
  .object({
    recipient: z.object({ user_id: z.string().regex(/^\d+$/, "a Zalo user id is a string of digits") }).strict(),
    message: z
      .object({
        text: chars(1, 2000),
        quote_message_id: z.string().optional(),
        attachment: z
          .object({
            type: z.literal("template"),
            payload: z.object({ buttons: z.array(z.union([queryButton, urlButton, phoneButton])).min(1).max(5) }).strict(),
          })
          .strict()
          .optional(),
      })
      .strict(),
  })
  .strict();
export type ZaloCsSendBody = z.infer<typeof zaloCsBodySchema>;
const recipientOf = z.object({ recipient: z.object({ user_id: z.string() }) });

export type ZaloSent = { userId: string; messageId: string; accessToken: string; body: ZaloCsSendBody };

/** ZNS/ZBS template bodies (platforms.md §2.3): by phone (84…, no "+") or by user id (⚠️ unconfirmed shape). */
export const zaloTemplateBodySchema = z.union([
  z.object({ phone: z.string().regex(/^84\d{9,10}$/), template_id: z.string().min(1), template_data: z.record(z.string(), z.string()), tracking_id: z.string().max(48).optional(), mode: z.literal("development").optional() }).strict(),
  z.object({ user_id: z.string().regex(/^\d+$/), template_id: z.string().min(1), template_data: z.record(z.string(), z.string()), tracking_id: z.string().max(48).optional() }).strict(),
]);
export type ZaloTemplateSendBody = z.infer<typeof zaloTemplateBodySchema>;
export type ZaloTemplateSent = { to: string; msgId: string; body: ZaloTemplateSendBody };
export type ZaloAttempt = { userId: string | undefined; outcome: "sent" | "rejected" | FakeFailureName; code: number; accessToken: string | undefined };

const failureAnswers: Record<FakeFailureName, { status: number; body: unknown }> = {
  outsideWindow: zaloError(-230, "User has not interacted with the OA in the past 7 days"),
  blocked: zaloError(-213, "User has not followed OA"),
  rateLimited: zaloError(-32, "Exceeded the rate limit of request per minute"),
  tokenExpired: zaloError(-216, "Access token is invalid"),
  temporary: zaloError(-214, "Article is being processed"),
  outage: { status: 502, body: "<html><body>502 Bad Gateway</body></html>" },
  permanent: zaloError(-201, "Parameter is invalid"),
};

function zaloError(code: number, message: string) {
  return { status: 200, body: { error: code, message } };
}

/**
 * A fake Zalo OA OpenAPI (`POST /v3.0/oa/message/cs`, `GET /v2.0/oa/getoa`) and OAuth server
 * (`POST /v4/oa/access_token`) on 127.0.0.1. Access tokens are checked on every call; refresh tokens are
 * single-use and each refresh retires the previous access token, as the docs describe.
 */
export async function startFakeZaloApi(options: { appId: string; appSecret: string; accessToken: string; refreshToken: string; oaId?: string; expiresInSeconds?: number }) {
  const sent = new Recorder<ZaloSent>("fake Zalo sent");
  const templatesSent = new Recorder<ZaloTemplateSent>("fake Zalo template messages");
  /** When set, CS messages to someone who has not interacted within 7 days are refused (-230), templates at night (-133). */
  let clock: (() => number) | null = null;
  let nightClock: (() => number) | null = null;
  const lastInteractionAt = new Map<string, number>();
  const templates = new Map<string, string[]>();
  const attempts = new Recorder<ZaloAttempt>("fake Zalo attempts");
  const refreshes = new Recorder<{ refreshToken: string; outcome: "issued" | "rejected" }>("fake Zalo OAuth refreshes");
  const rejections: Array<{ issues: string[]; body: unknown }> = [];
  const failures = new FailurePlan();
  const validAccessTokens = new Set([options.accessToken]);
  let currentRefreshToken = options.refreshToken;
  let refreshDelayMs = 0;
  let sequence = 0;
  const echoes = new EchoSender();
  let echoKey = "";

  const app = express();
  app.post("/v3.0/oa/message/cs", express.json({ limit: "1mb" }), (request: Request, response: Response) => {
    const accessToken = request.get("access_token");
    const userId = recipientOf.safeParse(request.body).data?.recipient.user_id;
    const answer = (outcome: ZaloAttempt["outcome"], status: number, body: { error: number; message: string; data?: unknown } | string) => {
      attempts.push({ userId, outcome, code: typeof body === "string" ? status : body.error, accessToken });
      if (typeof body === "string") response.status(status).type("text/html").send(body);
      else response.status(status).json(body);
    };
    if (!accessToken || !validAccessTokens.has(accessToken)) return answer("rejected", 200, { error: -216, message: "Access token is invalid" });
    const parsed = zaloCsBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      rejections.push({ issues, body: request.body });
      return answer("rejected", 200, { error: -201, message: `Parameter is invalid: ${issues.join("; ")}` });
    }
    const interactedAt = lastInteractionAt.get(parsed.data.recipient.user_id);
    const outside = clock !== null && (interactedAt === undefined || clock() - interactedAt > 7 * 24 * 3600_000);
    const failure = outside ? "outsideWindow" : failures.take(parsed.data.recipient.user_id);
    if (failure) {
      const failed = failureAnswers[failure];
      return answer(failure, failed.status, failed.body as { error: number; message: string } | string);
    }
    sequence += 1;
    const messageId = randomBytes(10).toString("hex");
    sent.push({ userId: parsed.data.recipient.user_id, messageId, accessToken, body: parsed.data });
    answer("sent", 200, { error: 0, message: "Success", data: { message_id: messageId, user_id: parsed.data.recipient.user_id } });
    const timestamp = String(Date.now());
    const echo = {
      app_id: options.appId,
      event_name: "oa_send_text",
      timestamp,
      sender: { id: options.oaId ?? "0" },
      recipient: { id: parsed.data.recipient.user_id },
      message: { msg_id: messageId, text: parsed.data.message.text },
    };
    echoes.post(() => signedZaloWebhook({ appId: options.appId, oaSecretKey: echoKey }, echo));
  });

  // Template messages (business.openapi.zalo.me in production; ZALO_BUSINESS_API_URL points here in tests).
  app.post("/message/template", express.json({ limit: "1mb" }), (request: Request, response: Response) => {
    const accessToken = request.get("access_token");
    const parsed = zaloTemplateBodySchema.safeParse(request.body);
    const to = parsed.success ? ("phone" in parsed.data ? parsed.data.phone : parsed.data.user_id) : undefined;
    const answer = (outcome: ZaloAttempt["outcome"], body: { error: number; message: string; data?: unknown }) => {
      attempts.push({ userId: to, outcome, code: body.error, accessToken });
      response.json(body);
    };
    if (!accessToken || !validAccessTokens.has(accessToken)) return answer("rejected", { error: -124, message: "Access token is invalid" });
    if (!parsed.success || !to) {
      const issues = parsed.success ? ["recipient"] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      rejections.push({ issues, body: request.body });
      return answer("rejected", { error: -100, message: `Invalid parameter: ${issues.join("; ")}` });
    }
    const params = templates.get(parsed.data.template_id);
    if (!params) return answer("rejected", { error: -131, message: "Template is not approved" });
    const missing = params.filter((param) => !parsed.data.template_data[param]);
    if (missing.length > 0) return answer("rejected", { error: -118, message: `Missing template_data: ${missing.join(", ")}` });
    const nightNow = nightClock ?? clock;
    if (nightNow) {
      const hour = new Date(nightNow() + 7 * 3600_000).getUTCHours();
      if (hour >= 22 || hour < 6) return answer("rejected", { error: -133, message: "Cannot send ZNS at night (22:00-06:00)" });
    }
    const failure = failures.take(to);
    if (failure) return answer(failure, failureAnswers[failure].body as { error: number; message: string });
    const msgId = randomBytes(10).toString("hex");
    templatesSent.push({ to, msgId, body: parsed.data });
    answer("sent", { error: 0, message: "Success", data: { msg_id: msgId, sent_time: String(Date.now()), quota: { dailyQuota: "500", remainingQuota: "499" } } });
  });

  app.get("/v2.0/oa/getoa", (request: Request, response: Response) => {
    const accessToken = request.get("access_token");
    if (!accessToken || !validAccessTokens.has(accessToken)) return void response.json({ error: -216, message: "Access token is invalid" });
    response.json({ error: 0, message: "Success", data: { oa_id: options.oaId ?? "388613280878808645", name: "Hội Khuyến học (fake)" } });
  });

  const refreshForm = z.object({ refresh_token: z.string().min(1), app_id: z.string().min(1), grant_type: z.literal("refresh_token") }).strict();
  app.post("/v4/oa/access_token", express.urlencoded({ extended: false }), async (request: Request, response: Response) => {
    if (refreshDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, refreshDelayMs));
    const form = refreshForm.safeParse(request.body);
    const fail = (error: number, description: string) => {
      refreshes.push({ refreshToken: form.data?.refresh_token ?? "", outcome: "rejected" });
      response.json({ error, error_name: "invalid_request", error_description: description });
    };
    if (!request.is("application/x-www-form-urlencoded")) return fail(-14001, "body must be form-encoded");
    if (request.get("secret_key") !== options.appSecret) return fail(-14002, "Invalid secret_key header");
    if (!form.success) return fail(-14003, form.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
    if (form.data.app_id !== options.appId) return fail(-14004, "Invalid app_id");
    if (form.data.refresh_token !== currentRefreshToken) return fail(-14014, "Refresh token is invalid or was already used");
    sequence += 1;
    const accessToken = `zat-${sequence}-${randomBytes(6).toString("hex")}`;
    currentRefreshToken = `zrt-${sequence}-${randomBytes(6).toString("hex")}`;
    validAccessTokens.clear();
    validAccessTokens.add(accessToken);
    refreshes.push({ refreshToken: form.data.refresh_token, outcome: "issued" });
    response.json({ access_token: accessToken, refresh_token: currentRefreshToken, expires_in: String(options.expiresInSeconds ?? 90_000) });
  });

  const server = await listenOnLoopback(app);
  return {
    /** ZALO_API_URL and ZALO_OAUTH_URL for the app under test (one loopback server answers both). */
    apiUrl: server.url,
    oauthUrl: server.url,
    sent,
    templatesSent,
    attempts,
    refreshes,
    /** Enforce the 7-day CS window and the template night rule, from `userInteracted` calls and this clock. */
    enforceRules: (now: () => number = Date.now, night?: () => number) => {
      clock = now;
      nightClock = night ?? null;
    },
    userInteracted: (userId: string, at: number) => void lastInteractionAt.set(userId, at),
    /** An approved template and the parameter names its template_data must carry. */
    approveTemplate: (templateId: string, params: string[]) => void templates.set(templateId, params),
    rejections,
    fail: (failure: FakeFailureName, failOptions?: FailureOptions) => failures.add(failure, failOptions),
    recover: () => failures.recover(),
    /** Post a signed `oa_send_text` webhook for every CS message accepted from now on (the OA's echo events). */
    sendEchoes: (target: { urls: () => string[]; oaSecretKey: string }) => {
      echoKey = target.oaSecretKey;
      echoes.enable({ urls: target.urls });
    },
    echoes,
    /** Every access token stops working (as after 25 h) until the next refresh. */
    expireAccessTokens: () => validAccessTokens.clear(),
    /** Makes the OAuth server slow, to widen a refresh race. */
    setRefreshDelay: (ms: number) => {
      refreshDelayMs = ms;
    },
    currentAccessTokens: () => [...validAccessTokens],
    textsTo: (userId: string) => sent.items.filter((entry) => entry.userId === userId).map((entry) => entry.body.message.text),
    close: () => server.close(),
  };
}

export type FakeZaloApi = Awaited<ReturnType<typeof startFakeZaloApi>>;
