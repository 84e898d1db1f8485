import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { doubleCsrf } from "csrf-csrf";
import { eq } from "drizzle-orm";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type Store } from "express-rate-limit";
import type { Redis } from "ioredis";
import { rateLimitStore } from "../http/rateLimitStore.js";
import { appSecrets } from "../../db/schema.js";
import type { Translate } from "../i18n.js";
import type { Database } from "../persistence/openDatabase.js";
import { normalizeEmail } from "./accountStore.js";
import { resolveAdminSession } from "./sessionStore.js";
import { tokenActor, type Actor } from "./scope.js";

export const sessionCookie = "lca_admin";
const csrfCookie = "lca_csrf";

export type AdminAuthOptions = {
  db: Database;
  adminToken: string | undefined;
  sessionIdleMs: number;
  /** Cookies only over https (PUBLIC_URL is https). */
  secureCookies: boolean;
  redis: Redis | null;
  redisPrefix: string;
  login: { maxPerAccount: number; maxPerIp: number; windowMs: number };
  clock: () => number;
  /** The console's words (locales/vi/admin.json) for the pages this layer answers itself. */
  translate: Translate;
};

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** The CSRF key every process shares: made once and kept in the database, so a restart or a second process agrees. */
async function sharedSecret(db: Database, name: string): Promise<string> {
  await db.insert(appSecrets).values({ name, value: randomBytes(32).toString("base64url") }).onConflictDoNothing();
  const [row] = await db.select({ value: appSecrets.value }).from(appSecrets).where(eq(appSecrets.name, name));
  if (!row) throw new Error(`could not read the shared secret ${name}`);
  return row.value;
}

/** The actor of a request once authenticated (set by `authenticate`). */
export function actorOf(res: Response): Actor {
  const actor: unknown = res.locals.actor;
  if (!actor) throw new Error("actorOf() before authenticate");
  return actor as Actor;
}

/** Methods a cross-site page can send without a CORS preflight, and the bodies it can send with them. */
const simpleContentTypes = ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"];

export type AdminAuth = Awaited<ReturnType<typeof createAdminAuth>>;

export async function createAdminAuth(options: AdminAuthOptions) {
  const secret = await sharedSecret(options.db, "csrf");
  const words = (key: string, params?: Record<string, string | number>) => options.translate("vi", `admin:${key}`, params);
  const expectedToken = options.adminToken ? digest(options.adminToken) : null;
  const cookieOptions = { httpOnly: true, sameSite: "strict" as const, secure: options.secureCookies, path: "/" };

  const csrf = doubleCsrf({
    getSecret: () => secret,
    getSessionIdentifier: (req) => (typeof req.cookies?.[sessionCookie] === "string" ? req.cookies[sessionCookie] : ""),
    cookieName: csrfCookie,
    cookieOptions,
    getCsrfTokenFromRequest: (req) => {
      const body: unknown = req.body;
      const fromBody = body && typeof body === "object" && "_csrf" in body && typeof body._csrf === "string" ? body._csrf : undefined;
      const header = req.headers["x-csrf-token"];
      return fromBody ?? (typeof header === "string" ? header : undefined);
    },
  });

  /**
   * Who is asking: `Authorization: Bearer <ADMIN_TOKEN>` (national bootstrap) or the session cookie. `mode` says what a
   * stranger gets: the API answers 401, the console sends them to its login page.
   */
  const authenticate =
    (mode: "api" | "console"): RequestHandler =>
    async (req, res, next) => {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.get("authorization") ?? "")?.[1];
      if (bearer !== undefined && mode === "api") {
        if (!expectedToken || !timingSafeEqual(digest(bearer), expectedToken)) {
          res.set("WWW-Authenticate", 'Bearer realm="admin"');
          return void res.status(401).json({ error: expectedToken ? "wrong bearer token" : "ADMIN_TOKEN is not set on the server: sign in with an account" });
        }
        res.locals.actor = tokenActor;
        return next();
      }
      const cookie: unknown = req.cookies?.[sessionCookie];
      const session = typeof cookie === "string" ? await resolveAdminSession(options.db, cookie, { idleMs: options.sessionIdleMs, now: new Date(options.clock()) }) : null;
      if (!session) {
        if (mode === "console") return void res.redirect(303, `/admin/login?next=${encodeURIComponent(req.originalUrl)}`);
        res.set("WWW-Authenticate", 'Bearer realm="admin"');
        return void res.status(401).json({ error: "sign in first: POST /api/admin/session, or send Authorization: Bearer <ADMIN_TOKEN>" });
      }
      const actor: Actor = { accountId: session.account.id, label: session.account.email, role: session.account.role, scope: session.account.scope, viaSession: true };
      res.locals.actor = actor;
      res.locals.sessionId = session.sessionId;
      next();
    };

  /**
   * CSRF for the JSON API when a cookie (not a bearer token) signed the request in: a write must carry the CSRF
   * header, or a body type a cross-site page cannot send without a CORS preflight (which this server never grants).
   */
  const protectApiWrites: RequestHandler = (req, res, next) => {
    const actor = res.locals.actor as Actor | undefined;
    if (!actor?.viaSession || ["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    if (req.get("x-csrf-token") && csrf.validateRequest(req)) return next();
    const type = (req.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
    if (req.method === "POST" && (type === "" || simpleContentTypes.includes(type))) {
      return void res.status(403).json({ error: "CSRF check failed: send JSON, or the X-CSRF-Token header from POST /api/admin/session" });
    }
    next();
  };

  /** Every console form: the token must match the cookie and the session (csrf-csrf's double submit, bound to the session). */
  const protectForms: RequestHandler = (req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method) || csrf.validateRequest(req)) return next();
    res.status(403).type("text").send(words("common.csrfFailed"));
  };

  const store = (name: string): Store | undefined => rateLimitStore(options.redis, options.redisPrefix, name);
  const tooMany = (req: Request, res: Response) => {
    res.set("Retry-After", String(Math.ceil(options.login.windowMs / 1000)));
    if (req.baseUrl.startsWith("/api")) return void res.status(429).json({ error: "too many failed sign-ins: wait and try again" });
    res.status(429).type("text").send(words("login.throttled", { minutes: Math.ceil(options.login.windowMs / 60_000) }));
  };
  /** Failed sign-ins counted per IP and per account (only failures count); over either limit → 429. */
  const loginThrottle: RequestHandler[] = [
    rateLimit({
      windowMs: options.login.windowMs,
      limit: options.login.maxPerIp,
      skipSuccessfulRequests: true,
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? "unknown"),
      store: store("login-ip"),
      handler: tooMany,
      validate: { trustProxy: false },
      standardHeaders: "draft-7",
      legacyHeaders: false,
    }),
    rateLimit({
      windowMs: options.login.windowMs,
      limit: options.login.maxPerAccount,
      skipSuccessfulRequests: true,
      keyGenerator: (req) => {
        const body: unknown = req.body;
        const email = body && typeof body === "object" && "email" in body && typeof body.email === "string" ? normalizeEmail(body.email) : "";
        return digest(email).toString("hex");
      },
      store: store("login-account"),
      handler: tooMany,
      validate: { trustProxy: false, keyGeneratorIpFallback: false },
      standardHeaders: false,
      legacyHeaders: false,
    }),
  ];

  const requireNational = (req: Request, res: Response, next: NextFunction): void => {
    if (actorOf(res).scope.level === "national") return next();
    if (req.baseUrl.startsWith("/api")) return void res.status(403).json({ error: "national admins only" });
    res.status(403).type("text").send(words("common.nationalOnly"));
  };

  return {
    authenticate,
    protectApiWrites,
    requireNational,
    protectForms,
    loginThrottle,
    csrfToken: (req: Request, res: Response) => csrf.generateCsrfToken(req, res, { overwrite: false }),
    /** After sign-in the form's token is bound to the old (empty) session id: start a new one. */
    freshCsrfToken: (req: Request, res: Response) => csrf.generateCsrfToken(req, res, { overwrite: true }),
    setSessionCookie: (res: Response, token: string) => res.cookie(sessionCookie, token, { ...cookieOptions, maxAge: 12 * 3600_000 }),
    clearSessionCookie: (res: Response) => res.clearCookie(sessionCookie, cookieOptions),
  };
}

