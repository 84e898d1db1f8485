import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type Request, type Response } from "express";
import { ipKeyGenerator, rateLimit, type Store } from "express-rate-limit";
import type { Logger } from "pino";
import { parseWebchatMessage, webchatMessageSchema } from "../channels/webchat/parseWebchatMessage.js";
import type { ConversationInbox } from "../conversation/ports.js";
import { webTranscript } from "../persistence/conversationStore.js";
import type { Database } from "../persistence/openDatabase.js";
import type { Translate } from "../i18n.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const pageDir = fileURLToPath(new URL("./webchat/", import.meta.url));
const cookieName = "lca_web";
/** The page's language, set by the page when the visitor switches (chat.js). */
const languageCookie = "lca-lang";
const cookiePattern = /^[A-Za-z0-9_-]{22}$/;

/** The visitor's web chat identity, kept in a cookie for 30 days. */
function visitorId(req: Request, res: Response): string {
  const existing: unknown = req.cookies?.[cookieName];
  if (typeof existing === "string" && cookiePattern.test(existing)) return existing;
  const id = randomBytes(16).toString("base64url");
  res.cookie(cookieName, id, { httpOnly: true, sameSite: "lax", maxAge: 30 * 24 * 3600 * 1000, path: "/chat" });
  return id;
}

/** The built-in web chat: a phone-friendly page over a small JSON API, using the same engine as Zalo and Messenger. */
export type WebchatLimits = {
  /** Messages a visitor (and an IP address) may send per minute before 429: one person types a few; a script many. */
  perVisitorPerMinute: number;
  perIpPerMinute: number;
  store?: (name: string) => Store | undefined;
};

export function webchatRouter(deps: {
  inbox: ConversationInbox;
  db: Database;
  translate: Translate;
  log?: Logger;
  clock?: () => number;
  limits?: WebchatLimits;
  /** How long a POST waits for its reply before answering 202 (the page then picks the reply up by polling). */
  replyWaitMs?: number;
}): express.Router {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  // The page's own words in both languages (the visitor switches with the button in the header, or by choosing a
  // language in the conversation); Vietnamese first.
  const words = (locale: "vi" | "en") =>
    Object.fromEntries(["title", "subtitle", "placeholder", "send", "error", "switchLanguage"].map((key) => [key, deps.translate(locale, `webchat.${key}`)]));
  // Rendered in the language the visitor chose last (the page keeps it in a cookie too), so an English page never
  // shows Vietnamese words until its script runs.
  const template = readFileSync(`${pageDir}index.html`, "utf8").replace("{{words}}", escapeHtml(JSON.stringify({ vi: words("vi"), en: words("en") })));
  const pages = Object.fromEntries(
    (["vi", "en"] as const).map((locale) => [
      locale,
      template.replace('<html lang="vi">', `<html lang="${locale}">`).replace(/\{\{(\w+)\}\}/g, (_match, key: string) => escapeHtml(deps.translate(locale, `webchat.${key}`))),
    ]),
  ) as Record<"vi" | "en", string>;
  router.get("/", (req, res) => void res.type("html").send(req.cookies?.[languageCookie] === "en" ? pages.en : pages.vi));
  router.get("/assets/:file", (req, res) => {
    const file = req.params.file;
    if (!/^[a-z]+\.(js|css)$/.test(file)) return void res.status(404).end();
    res.sendFile(file, { root: pageDir });
  });
  router.get("/api/history", async (req, res) => {
    const userId = visitorId(req, res);
    res.json(await webTranscript(deps.db, userId));
  });
  /** Bot messages after the page's last one: decisions, cards and other messages that answer nothing the page sent. */
  router.get("/api/updates", async (req, res) => {
    const after = Number(req.query.after);
    const userId = visitorId(req, res);
    const transcript = await webTranscript(deps.db, userId, Number.isInteger(after) && after > 0 ? after : 0);
    res.json({ entries: transcript.entries.filter((entry) => entry.from === "bot"), lastOutboxId: transcript.lastOutboxId });
  });
  const limits = deps.limits ?? { perVisitorPerMinute: 60, perIpPerMinute: 600 };
  const tooMany = (_req: Request, res: Response) => void res.status(429).set("Retry-After", "60").json({ error: "too many messages: wait a moment" });
  const throttle = [
    rateLimit({
      windowMs: 60_000,
      limit: limits.perIpPerMinute,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? "unknown"),
      store: limits.store?.("webchat-ip"),
      handler: tooMany,
      validate: { trustProxy: false },
      standardHeaders: "draft-7",
      legacyHeaders: false,
    }),
    rateLimit({
      windowMs: 60_000,
      limit: limits.perVisitorPerMinute,
      keyGenerator: (req) => {
        const cookie: unknown = req.cookies?.[cookieName];
        return typeof cookie === "string" && cookiePattern.test(cookie) ? cookie : ipKeyGenerator(req.ip ?? "unknown");
      },
      store: limits.store?.("webchat-visitor"),
      handler: tooMany,
      validate: { trustProxy: false, keyGeneratorIpFallback: false },
      standardHeaders: false,
      legacyHeaders: false,
    }),
  ];
  router.post("/api/messages", ...throttle, express.json({ limit: "16kb" }), async (req, res) => {
    const parsed = webchatMessageSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues.map((issue) => issue.message).join("; ") });
    const userId = visitorId(req, res);
    const event = parseWebchatMessage(parsed.data, userId, clock());
    await deps.inbox.record(event);
    // A failing turn is the turn processor's to retry (and to dead-letter): the message is recorded, so answer with
    // what there is rather than an error the visitor can do nothing about. A turn that cannot start at once (another
    // process holds this visitor's lock) goes on after the answer: 202, and the page fetches the reply.
    const drained = deps.inbox.drain({ channel: "web", userId }).then(
      () => true,
      (error: unknown) => {
        deps.log?.warn({ err: error }, "web chat turn not handled now; the sweeper retries it");
        return true;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([drained, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), deps.replyWaitMs ?? 4_000)))]);
    clearTimeout(timer);
    const transcript = await webTranscript(deps.db, userId, parsed.data.after ?? 0);
    res.status(inTime ? 200 : 202).json({ entries: transcript.entries.filter((entry) => entry.from === "bot"), lastOutboxId: transcript.lastOutboxId, ...(inTime ? {} : { pending: true }) });
  });
  return router;
}
