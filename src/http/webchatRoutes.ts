import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import express, { type Request, type Response } from "express";
import type { Logger } from "pino";
import { parseWebchatMessage, webchatMessageSchema } from "../channels/webchat/parseWebchatMessage.js";
import type { ConversationInbox } from "../conversation/ports.js";
import { webTranscript } from "../persistence/conversationStore.js";
import type { Database } from "../persistence/openDatabase.js";
import type { Translate } from "../i18n.js";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const pageDir = fileURLToPath(new URL("./webchat/", import.meta.url));
const cookieName = "lca_web";
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
export function webchatRouter(deps: { inbox: ConversationInbox; db: Database; translate: Translate; log?: Logger; clock?: () => number }): express.Router {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  const page = readFileSync(`${pageDir}index.html`, "utf8").replace(/\{\{(\w+)\}\}/g, (_match, key: string) =>
    escapeHtml(deps.translate("vi", `webchat.${key}`)),
  );
  router.get("/", (_req, res) => void res.type("html").send(page));
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
  router.post("/api/messages", express.json({ limit: "16kb" }), async (req, res) => {
    const parsed = webchatMessageSchema.safeParse(req.body);
    if (!parsed.success) return void res.status(400).json({ error: parsed.error.issues.map((issue) => issue.message).join("; ") });
    const userId = visitorId(req, res);
    const event = parseWebchatMessage(parsed.data, userId, clock());
    await deps.inbox.record(event);
    // A failing turn is the turn processor's to retry (and to dead-letter): the message is recorded, so answer with
    // what there is rather than an error the visitor can do nothing about.
    await deps.inbox.drain({ channel: "web", userId }).catch((error: unknown) => deps.log?.warn({ err: error }, "web chat turn not handled now; the sweeper retries it"));
    const transcript = await webTranscript(deps.db, userId, parsed.data.after ?? 0);
    res.json({ entries: transcript.entries.filter((entry) => entry.from === "bot"), lastOutboxId: transcript.lastOutboxId });
  });
  return router;
}
