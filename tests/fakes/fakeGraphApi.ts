import { randomUUID } from "node:crypto";
import express, { type Request, type Response } from "express";
import { z } from "zod";
import { FailurePlan, type FailureOptions, type FakeFailureName } from "./failurePlan.js";
import { EchoSender } from "./echoWebhooks.js";
import { signedMessengerWebhook } from "./signWebhooks.js";
import { listenOnLoopback } from "./listenOnLoopback.js";
import { Recorder } from "./recorder.js";
import { chars } from "./textLimits.js";

/** Send API bodies as documented (platforms.md §6.2), written apart from the app's renderer so they check it. */
const quickReplySchema = z.union([
  z.object({ content_type: z.literal("text"), title: chars(1, 20), payload: z.string().min(1).max(1000), image_url: z.url().optional() }).strict(),
  z.object({ content_type: z.enum(["user_phone_number", "user_email"]) }).strict(),
]);
const templateButtonSchema = z.union([
  z.object({ type: z.literal("postback"), title: chars(1, 20), payload: z.string().min(1).max(1000) }).strict(),
  z.object({ type: z.literal("web_url"), title: chars(1, 20), url: z.url() }).passthrough(),
  z.object({ type: z.literal("phone_number"), title: chars(1, 20), payload: z.string().regex(/^\+\d+$/) }).strict(),
]);
const quickReplies = z.array(quickReplySchema).min(1).max(13).optional();
const messageSchema = z.union([
  z.object({ text: chars(1, 2000), quick_replies: quickReplies, metadata: z.string().max(1000).optional() }).strict(),
  z
    .object({
      attachment: z
        .object({
          type: z.literal("template"),
          payload: z.object({ template_type: z.literal("button"), text: chars(1, 640), buttons: z.array(templateButtonSchema).min(1).max(3) }).strict(),
        })
        .strict(),
      quick_replies: quickReplies,
      metadata: z.string().max(1000).optional(),
    })
    .strict(),
]);
/** A utility message (M18): an approved template by name, positional body parameters. */
const utilityMessageSchema = z
  .object({
    template: z
      .object({
        name: z.string().min(1),
        language: z.object({ code: z.string().min(2) }).strict(),
        components: z.array(z.object({ type: z.literal("body"), parameters: z.array(z.object({ type: z.literal("text"), text: z.string().min(1) }).strict()) }).strict()),
      })
      .strict(),
  })
  .strict();
export const graphUtilityBodySchema = z
  .object({
    recipient: z.object({ id: z.string().regex(/^\d+$/, "a PSID is a string of digits") }).strict(),
    messaging_type: z.literal("UTILITY"),
    message: utilityMessageSchema,
  })
  .strict();
export type GraphUtilityBody = z.infer<typeof graphUtilityBodySchema>;
export const graphSendBodySchema = z
  .object({
    recipient: z.object({ id: z.string().regex(/^\d+$/, "a PSID is a string of digits") }).strict(),
    messaging_type: z.enum(["RESPONSE", "UPDATE", "MESSAGE_TAG"]),
    tag: z.string().optional(),
    notification_type: z.enum(["REGULAR", "SILENT_PUSH", "NO_PUSH"]).optional(),
    message: messageSchema,
  })
  .strict()
  .refine((body) => (body.messaging_type === "MESSAGE_TAG") === (body.tag !== undefined), "tag is required with MESSAGE_TAG and only then");
export type GraphSendBody = z.infer<typeof graphSendBodySchema>;
const recipientOf = z.object({ recipient: z.object({ id: z.string() }) });

export type GraphSent = { recipientId: string; messageId: string; body: GraphSendBody; pageId: string };
export type GraphTemplateSent = { recipientId: string; messageId: string; body: GraphUtilityBody };
export type GraphAttempt = { recipientId: string | undefined; outcome: "sent" | "rejected" | FakeFailureName; status: number };

const failureResponses: Record<FakeFailureName, { status: number; body: unknown }> = {
  outsideWindow: graphError(400, 10, 2018278, "(#10) This message is sent outside of allowed window."),
  blocked: graphError(400, 551, 1545041, "This person isn't available right now."),
  rateLimited: graphError(400, 613, null, "Calls to this API have exceeded the rate limit."),
  tokenExpired: graphError(400, 190, 463, "Error validating access token: Session has expired."),
  temporary: graphError(500, 2, null, "An unexpected error has occurred. Please retry your request later."),
  outage: { status: 503, body: "<html><body>Service Unavailable</body></html>" },
  permanent: graphError(400, 100, null, "(#100) Invalid parameter"),
};

function graphError(status: number, code: number, subcode: number | null, message: string) {
  return { status, body: { error: { message, type: "OAuthException", code, ...(subcode === null ? {} : { error_subcode: subcode }), fbtrace_id: "Fake" } } };
}

/**
 * A fake Graph API for the Send API on 127.0.0.1: `POST /:version/:pageId/messages` and `/:version/me/messages`.
 * Every request is checked (Page token, body shape and limits); violations answer Graph's 400 code 100.
 */
export async function startFakeGraphApi(options: { pageAccessToken: string; pageId: string; version?: string }) {
  const version = options.version ?? "v25.0";
  const sent = new Recorder<GraphSent>("fake Graph API sent");
  const templatesSent = new Recorder<GraphTemplateSent>("fake Graph API utility messages");
  /** When set, free-form messages to someone who has not written within 24 h are refused (10/2018278). */
  let windowClock: (() => number) | null = null;
  const lastMessageAt = new Map<string, number>();
  const approvedTemplates = new Set<string>();
  const attempts = new Recorder<GraphAttempt>("fake Graph API attempts");
  const rejections: Array<{ issues: string[]; body: unknown }> = [];
  const failures = new FailurePlan();
  let sequence = 0;
  const echoes = new EchoSender();
  let echoSecret = "";

  const app = express();
  app.use(express.json({ limit: "1mb" }));
  app.post("/:version/:pageId/messages", (request: Request, response: Response) => {
    const pageId = String(request.params["pageId"]);
    const recipientId = recipientOf.safeParse(request.body).data?.recipient.id;
    const reject = (status: number, body: unknown, issues: string[]) => {
      rejections.push({ issues, body: request.body });
      attempts.push({ recipientId, outcome: "rejected", status });
      response.status(status).json(body);
    };
    if (request.params["version"] !== version) return reject(400, graphError(400, 2500, null, "Unknown path components").body, ["version"]);
    if (pageId !== "me" && pageId !== options.pageId) return reject(400, graphError(400, 100, null, "(#100) Page id mismatch").body, ["page id"]);
    const bearer = request.get("authorization")?.replace(/^Bearer /, "");
    const token = typeof request.query["access_token"] === "string" ? request.query["access_token"] : bearer;
    if (token !== options.pageAccessToken) return reject(400, graphError(400, 190, null, "Invalid OAuth access token.").body, ["access token"]);
    if (request.body?.messaging_type === "UTILITY") {
      const utility = graphUtilityBodySchema.safeParse(request.body);
      if (!utility.success) {
        const issues = utility.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
        return reject(400, graphError(400, 100, null, `(#100) ${issues.join("; ")}`).body, issues);
      }
      if (!approvedTemplates.has(utility.data.message.template.name)) return reject(400, graphError(400, 100, null, "(#100) Template not found or not approved").body, ["template"]);
      const failure = failures.take(utility.data.recipient.id);
      if (failure) {
        const answer = failureResponses[failure];
        attempts.push({ recipientId, outcome: failure, status: answer.status });
        return void response.status(answer.status).json(answer.body);
      }
      sequence += 1;
      const messageId = `m_fake${sequence}_${randomUUID().slice(0, 8)}`;
      attempts.push({ recipientId, outcome: "sent", status: 200 });
      templatesSent.push({ recipientId: utility.data.recipient.id, messageId, body: utility.data });
      return void response.json({ recipient_id: utility.data.recipient.id, message_id: messageId });
    }
    const parsed = graphSendBodySchema.safeParse(request.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      return reject(400, graphError(400, 100, null, `(#100) ${issues.join("; ")}`).body, issues);
    }
    const wroteAt = lastMessageAt.get(parsed.data.recipient.id);
    const outside = windowClock !== null && parsed.data.messaging_type !== "MESSAGE_TAG" && (wroteAt === undefined || windowClock() - wroteAt > 24 * 3600_000);
    const failure = outside ? "outsideWindow" : failures.take(parsed.data.recipient.id);
    if (failure) {
      const answer = failureResponses[failure];
      attempts.push({ recipientId, outcome: failure, status: answer.status });
      if (typeof answer.body === "string") response.status(answer.status).type("text/html").send(answer.body);
      else response.status(answer.status).json(answer.body);
      return;
    }
    sequence += 1;
    const messageId = `m_fake${sequence}_${randomUUID().slice(0, 8)}`;
    attempts.push({ recipientId, outcome: "sent", status: 200 });
    sent.push({ recipientId: parsed.data.recipient.id, messageId, body: parsed.data, pageId });
    response.json({ recipient_id: parsed.data.recipient.id, message_id: messageId });
    const echo = {
      sender: { id: options.pageId },
      recipient: { id: parsed.data.recipient.id },
      timestamp: Date.now(),
      message: { is_echo: true, app_id: 1517776481860111, mid: messageId, text: textOf(parsed.data), ...(parsed.data.message.metadata === undefined ? {} : { metadata: parsed.data.message.metadata }) },
    };
    echoes.post(() => signedMessengerWebhook(echoSecret, { object: "page", entry: [{ id: options.pageId, time: Date.now(), messaging: [echo] }] }));
  });

  const server = await listenOnLoopback(app);
  return {
    /** MESSENGER_GRAPH_URL for the app under test. */
    graphUrl: `${server.url}/${version}`,
    sent,
    templatesSent,
    attempts,
    rejections,
    /** Enforce the 24 h window as Messenger does, from `userWrote` calls and this clock. */
    enforceWindows: (now: () => number = Date.now) => {
      windowClock = now;
    },
    userWrote: (psid: string, at: number) => void lastMessageAt.set(psid, at),
    approveTemplate: (name: string) => approvedTemplates.add(name),
    /** Answer the next request(s) with a documented error: `times` for one-shot, omitted for until `recover()`. */
    fail: (failure: FakeFailureName, failOptions?: FailureOptions) => failures.add(failure, failOptions),
    recover: () => failures.recover(),
    /** Post a signed `message_echoes` webhook for every message accepted from now on (Page subscribed to echoes). */
    sendEchoes: (target: { urls: () => string[]; appSecret: string }) => {
      echoSecret = target.appSecret;
      echoes.enable({ urls: target.urls });
    },
    echoes,
    /** Texts sent to one person, in order (template texts included). */
    textsTo: (recipientId: string) => sent.items.filter((entry) => entry.recipientId === recipientId).map((entry) => textOf(entry.body)),
    close: () => server.close(),
  };
}

export type FakeGraphApi = Awaited<ReturnType<typeof startFakeGraphApi>>;

export function textOf(body: GraphSendBody): string {
  return "text" in body.message ? body.message.text : body.message.attachment.payload.text;
}
