import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { and, asc, count, eq, isNull } from "drizzle-orm";
import { Eta } from "eta";
import express, { type Request, type Response } from "express";
import helmet from "helmet";
import { adminRoles, branches, broadcastStatuses, communes, provinces, registrations, registrationStatuses } from "../../db/schema.js";
import { translateOr } from "../i18n.js";
import { authenticate as checkPassword, createAccount, listAccounts } from "./accountStore.js";
import { actorOf, sessionCookie } from "./adminAuth.js";
import type { AdminServices } from "./adminServices.js";
import { listAudit } from "./auditLog.js";
import { branchForActor, createBranchInScope, createInviteInScope, importBranchesCsv, listBranches, removeBranchHead, updateBranch } from "./branchAdmin.js";
import { listEscalations } from "./escalationList.js";
import { actOnBroadcast, broadcastBody, campaignActions, createBroadcastAudited, previewForActor } from "./broadcastAdmin.js";
import { audienceSchema } from "../broadcasts/audience.js";
import { getBroadcast, listBroadcasts } from "../broadcasts/campaignStore.js";
import { formatDay, formatRate, formatTime } from "./formatting.js";
import { placeRegistrationInBranch } from "./placeRegistration.js";
import { branchDeepLinks } from "./posters.js";
import { buildReport } from "./reports.js";
import { listRegistrations, registrationDetail } from "./registrationQueries.js";
import { accountBody, branchFilterQuery, createBranchBody, loginBody, pagingQuery, registrationFilterQuery, uuidParam, yearQuery } from "./requestSchemas.js";
import { branchesInScope, registrationsInScope, type Actor } from "./scope.js";
import { createAdminSession, deleteAdminSession } from "./sessionStore.js";

const require = createRequire(import.meta.url);
const viewsDir = fileURLToPath(new URL("./views/", import.meta.url));
const staticDir = fileURLToPath(new URL("./static/", import.meta.url));
const htmxFile = require.resolve("htmx.org/dist/htmx.min.js");

/** Security headers for the console: nothing runs or loads but our own files. */
export const consoleHelmet = helmet({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", "data:"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      // Deployments sit behind https (HSTS from helmet); on plain http (a laptop, the tests) upgrading would break the page.
      upgradeInsecureRequests: null,
    },
  },
  referrerPolicy: { policy: "same-origin" },
});

type Flash = { kind: "ok" | "error"; text: string };

/** The web console at /admin: server-rendered pages (eta, escaped by default) over the same functions as the API. */
export function adminConsoleRouter(services: AdminServices): express.Router {
  const { db, auth } = services;
  const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true });
  const now = () => new Date(services.clock());
  const t = (key: string, params?: Record<string, string | number>) => services.translate("vi", `admin:${key}`, params);
  const label = (key: string, fallback: string) => translateOr(services.translate, "vi", key, fallback);
  const groupLabel = (group: string | null) => (group ? label(`flow:registration.group.options.${group}`, group) : t("reports.noGroup"));
  const groups = ["resident", "worker", "official", "student"];

  const scopeName = async (actor: Actor): Promise<string> => {
    if (actor.scope.level === "national") return t("scope.national");
    if (actor.scope.level === "province") {
      const [row] = await db.select({ name: provinces.fullName }).from(provinces).where(eq(provinces.code, actor.scope.provinceCode));
      return t("scope.province", { name: row?.name ?? actor.scope.provinceCode });
    }
    const [row] = await db.select({ name: communes.fullName }).from(communes).where(eq(communes.code, actor.scope.communeCode));
    return t("scope.commune", { name: row?.name ?? actor.scope.communeCode });
  };

  const render = async (req: Request, res: Response, view: string, data: Record<string, unknown>, status = 200) => {
    const actor = res.locals.actor as Actor | undefined;
    const html = eta.render(`./${view}`, {
      ...data,
      t,
      actor,
      scopeName: actor ? await scopeName(actor) : "",
      csrfToken: auth.csrfToken(req, res),
      path: req.baseUrl + req.path,
      formatDay,
      formatTime,
      formatRate,
      groupLabel,
      groups,
      statuses: registrationStatuses,
      roles: adminRoles,
      label,
      query: req.query,
    });
    res.status(status).type("html").set("Cache-Control", "no-store").send(html);
  };

  const router = express.Router();
  router.use(consoleHelmet);
  router.use(express.urlencoded({ extended: false, limit: "2mb" }));
  router.get("/static/htmx.min.js", (_req, res) => void res.sendFile(htmxFile, { maxAge: "1d" }));
  router.get("/static/:file", (req, res) => {
    if (!/^[a-z]+\.(css|js)$/.test(req.params.file)) return void res.status(404).end();
    res.sendFile(req.params.file, { root: staticDir, maxAge: "1h" });
  });

  router.get("/login", async (req, res) => render(req, res, "login", { error: null, email: "", loggedOut: req.query.out === "1" }));
  router.post("/login", auth.protectForms, ...auth.loginThrottle, async (req, res) => {
    const body = loginBody.safeParse(req.body);
    const account = body.success ? await checkPassword(db, body.data.email, body.data.password) : null;
    if (!account) return render(req, res, "login", { error: t("login.wrong"), email: body.success ? body.data.email : "", loggedOut: false }, 401);
    const token = await createAdminSession(db, account.id, { idleMs: services.sessionIdleMs, now: now() });
    auth.setSessionCookie(res, token);
    req.cookies = { ...req.cookies, [sessionCookie]: token };
    auth.freshCsrfToken(req, res);
    const next = typeof req.query.next === "string" && /^\/admin(\/[^\s]*)?$/.test(req.query.next) && !req.query.next.startsWith("/admin/login") ? req.query.next : "/admin";
    res.redirect(303, next);
  });

  router.use(auth.authenticate("console"), auth.protectForms);

  router.post("/logout", async (req, res) => {
    const cookie: unknown = req.cookies?.[sessionCookie];
    if (typeof cookie === "string") await deleteAdminSession(db, cookie);
    auth.clearSessionCookie(res);
    res.redirect(303, "/admin/login?out=1");
  });

  router.get("/", async (req, res) => {
    const actor = actorOf(res);
    const year = services.currentYear();
    const [report, escalations, [noBranch]] = await Promise.all([
      buildReport(db, actor, year),
      listEscalations(db, actor, { afterDays: services.escalateAfterDays, now: now(), limit: 500 }),
      db
        .select({ total: count() })
        .from(registrations)
        .where(and(registrationsInScope(actor.scope), eq(registrations.year, year), eq(registrations.status, "submitted"), isNull(registrations.branchId))),
    ]);
    await render(req, res, "dashboard", { year, report, escalated: escalations.reduce((sum, group) => sum + group.items.length, 0), noBranch: noBranch?.total ?? 0, afterDays: services.escalateAfterDays });
  });

  router.get("/registrations", async (req, res) => {
    const filter = registrationFilterQuery(services.currentYear).safeParse(req.query);
    const paging = pagingQuery.safeParse(req.query);
    if (!filter.success || !paging.success) return render(req, res, "message", { text: t("common.checkForm") }, 400);
    const page = await listRegistrations(db, actorOf(res), filter.data, paging.data);
    await render(req, res, "registrations", { filter: filter.data, page, pages: Math.max(1, Math.ceil(page.total / page.pageSize)) });
  });

  const showRegistration = async (req: Request, res: Response, flash: Flash | null) => {
    const id = uuidParam.safeParse(req.params.id);
    const actor = actorOf(res);
    const detail = id.success ? await registrationDetail(db, services.catalog, actor, id.data) : null;
    if (!detail) return render(req, res, "message", { text: t("common.notFound") }, 404);
    const branchChoices = detail.commune
      ? await db
          .select({ id: branches.id, code: branches.code, name: branches.name })
          .from(branches)
          .where(and(eq(branches.communeCode, detail.commune.code), eq(branches.active, true), branchesInScope(actor.scope)))
          .orderBy(asc(branches.name))
      : [];
    await render(req, res, "registration", { registration: detail, branchChoices, flash });
  };
  router.get("/registrations/:id", (req, res) => showRegistration(req, res, null));
  router.post("/registrations/:id/branch", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const branchId = uuidParam.safeParse(req.body?.branchId);
    if (!id.success || !branchId.success) return showRegistration(req, res, { kind: "error", text: t("common.notFound") });
    const result = await placeRegistrationInBranch(db, services.messaging, actorOf(res), { registrationId: id.data, branchId: branchId.data, now: now() });
    const flash: Flash =
      result.status === "placed" ? { kind: "ok", text: t("registrations.placed", { branch: result.branch.name, cards: result.cardsSent }) } : { kind: "error", text: t("common.notFound") };
    await showRegistration(req, res, flash);
  });

  const showBranches = async (req: Request, res: Response, extra: { flash?: Flash | null; importReport?: unknown; csv?: string; form?: Record<string, string> } = {}, status = 200) => {
    const filter = branchFilterQuery.safeParse(req.query);
    const paging = pagingQuery.safeParse(req.query);
    const page = await listBranches(db, actorOf(res), filter.success ? filter.data : {}, paging.success ? paging.data : { page: 1, pageSize: 50 });
    await render(req, res, "branches", { page, pages: Math.max(1, Math.ceil(page.total / page.pageSize)), flash: null, importReport: null, csv: "", form: {}, ...extra }, status);
  };
  router.get("/branches", (req, res) => showBranches(req, res));
  router.post("/branches", async (req, res) => {
    const body = createBranchBody.safeParse(req.body);
    const form = { province: String(req.body?.province ?? ""), commune: String(req.body?.commune ?? ""), name: String(req.body?.name ?? "") };
    if (!body.success) return showBranches(req, res, { flash: { kind: "error", text: t("common.checkForm") }, form }, 400);
    const result = await createBranchInScope(db, actorOf(res), body.data, { inviteTtlDays: services.inviteTtlDays, now: now() });
    if (result.status === "created") {
      services.onBranchesChanged();
      return showBranches(req, res, { flash: { kind: "ok", text: t("branches.created", { name: result.branch.name, code: result.branch.code, invite: result.invite.code }) } });
    }
    const text =
      result.status === "duplicate"
        ? t("branches.duplicate")
        : result.status === "outOfScope"
          ? t("branches.outOfScope")
          : t("branches.placeNotFound", { field: t(`fields.${result.field}`), candidates: result.candidates.map((candidate) => candidate.name).join("; ") });
    await showBranches(req, res, { flash: { kind: "error", text }, form }, 422);
  });
  router.post("/branches/import", async (req, res) => {
    const csv = typeof req.body?.csv === "string" ? req.body.csv : "";
    const apply = req.body?.apply === "1";
    const report = await importBranchesCsv(db, actorOf(res), csv, { dryRun: !apply, inviteTtlDays: services.inviteTtlDays, now: now() });
    if (apply && report.counts.created > 0) services.onBranchesChanged();
    await showBranches(req, res, { importReport: report, csv: apply ? "" : csv });
  });

  const showBranch = async (req: Request, res: Response, flash: Flash | null) => {
    const id = uuidParam.safeParse(req.params.id);
    const branch = id.success ? await branchForActor(db, actorOf(res), id.data) : null;
    if (!branch) return render(req, res, "message", { text: t("common.notFound") }, 404);
    await render(req, res, "branch", { branch, links: branchDeepLinks(services.links, branch.code), flash, now: now() });
  };
  router.get("/branches/:id", (req, res) => showBranch(req, res, null));
  router.post("/branches/:id", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const name = typeof req.body?.name === "string" ? req.body.name : undefined;
    const active = req.body?.active === "true" ? true : req.body?.active === "false" ? false : undefined;
    const result = id.success && (name || active !== undefined) ? await updateBranch(db, actorOf(res), id.data, { name: name && name.trim().length >= 3 ? name : undefined, active }) : null;
    if (result && result !== "duplicate") services.onBranchesChanged();
    await showBranch(req, res, result === "duplicate" ? { kind: "error", text: t("branches.duplicate") } : result ? { kind: "ok", text: t("common.saved") } : { kind: "error", text: t("common.notFound") });
  });
  router.post("/branches/:id/invites", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const invite = id.success ? await createInviteInScope(db, actorOf(res), id.data, { inviteTtlDays: services.inviteTtlDays, now: now() }) : null;
    await showBranch(req, res, invite ? { kind: "ok", text: t("branches.inviteCreated", { code: invite.code }) } : { kind: "error", text: t("common.notFound") });
  });
  router.post("/branches/:id/heads/:personId/remove", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const person = uuidParam.safeParse(req.params.personId);
    const removed = id.success && person.success ? await removeBranchHead(db, actorOf(res), id.data, person.data) : false;
    await showBranch(req, res, removed ? { kind: "ok", text: t("branches.headRemoved") } : { kind: "error", text: t("common.notFound") });
  });

  // Campaigns: the list with a form to write one (preview by htmx), and a page per campaign whose counts refresh
  // themselves every 2 s while it runs.
  const formFields = ["name", "text", "province", "commune", "status", "group", "channel", "year", "sendAt"] as const;
  const broadcastForm = (body: Record<string, unknown> | undefined) =>
    Object.fromEntries(formFields.map((field) => [field, typeof body?.[field] === "string" ? (body[field] as string) : ""])) as Record<(typeof formFields)[number], string>;
  const audienceOf = (form: Record<string, string>) =>
    audienceSchema.safeParse(Object.fromEntries(["province", "commune", "status", "group", "channel", "year"].filter((key) => form[key]).map((key) => [key, form[key]])));
  /** A datetime-local value is Vietnam time ("2026-11-25T08:00"). */
  const sendAtOf = (value: string) => (value ? new Date(`${value.length === 16 ? `${value}:00` : value}+07:00`).toISOString() : undefined);
  /** The provinces and communes where someone in the actor's scope registered: the audience form's choices. */
  const placeChoices = async (actor: Actor) => {
    const placesOf = (table: typeof provinces | typeof communes, column: typeof registrations.provinceCode | typeof registrations.communeCode) =>
      db
        .selectDistinct({ code: table.code, name: table.fullName })
        .from(registrations)
        .innerJoin(table, eq(table.code, column))
        .where(registrationsInScope(actor.scope))
        .orderBy(asc(table.fullName));
    const [provinceRows, communeRows] = await Promise.all([placesOf(provinces, registrations.provinceCode), placesOf(communes, registrations.communeCode)]);
    return { provinces: provinceRows, communes: communeRows };
  };
  const showBroadcasts = async (req: Request, res: Response, extra: { flash?: Flash | null; form?: Record<string, string>; preview?: unknown } = {}, status = 200) => {
    const actor = actorOf(res);
    const paging = pagingQuery.safeParse(req.query);
    const page = await listBroadcasts(db, actor, paging.success ? paging.data : { page: 1, pageSize: 50 });
    await render(req, res, "broadcasts", { page, flash: null, form: {}, preview: null, year: services.currentYear(), ...(await placeChoices(actor)), ...extra }, status);
  };
  router.get("/broadcasts", (req, res) => showBroadcasts(req, res));
  router.post("/broadcasts/preview", async (req, res) => {
    const form = broadcastForm(req.body);
    const audience = audienceOf(form);
    if (!audience.success) return showBroadcasts(req, res, { flash: { kind: "error", text: t("common.checkForm") }, form }, 400);
    const preview = await previewForActor(services, actorOf(res), audience.data);
    if (req.get("HX-Request")) return render(req, res, "broadcastPreview", { preview });
    await showBroadcasts(req, res, { form, preview });
  });
  router.post("/broadcasts", async (req, res) => {
    const form = broadcastForm(req.body);
    const audience = audienceOf(form);
    const body = broadcastBody.safeParse({ name: form.name, text: form.text, audience: audience.success ? audience.data : {}, sendAt: sendAtOf(form.sendAt) });
    if (!audience.success || !body.success) return showBroadcasts(req, res, { flash: { kind: "error", text: t("common.checkForm") }, form }, 400);
    const { id } = await createBroadcastAudited(services, actorOf(res), body.data);
    res.redirect(303, `/admin/broadcasts/${id}`);
  });
  const showBroadcast = async (req: Request, res: Response, view: string, flash: Flash | null, status = 200) => {
    const id = uuidParam.safeParse(req.params.id);
    const broadcast = id.success ? await getBroadcast(db, actorOf(res), id.data) : null;
    if (!broadcast) return render(req, res, "message", { text: t("common.notFound") }, 404);
    await render(req, res, view, { broadcast, flash }, status);
  };
  router.get("/broadcasts/:id", (req, res) => {
    // After an action the page is reloaded by a redirect (a refresh never repeats it); the query says what happened.
    const done = typeof req.query.done === "string" && (campaignActions as readonly string[]).includes(req.query.done) ? req.query.done : null;
    const conflict = typeof req.query.conflict === "string" && (broadcastStatuses as readonly string[]).includes(req.query.conflict) ? req.query.conflict : null;
    const flash: Flash | null = done
      ? { kind: "ok", text: t(`broadcasts.done_${done}`) }
      : conflict
        ? { kind: "error", text: t("broadcasts.conflict", { status: t(`broadcasts.status.${conflict}`) }) }
        : null;
    return showBroadcast(req, res, "broadcast", flash);
  });
  router.get("/broadcasts/:id/progress", (req, res) => showBroadcast(req, res, "broadcastProgress", null));
  for (const action of campaignActions) {
    router.post(`/broadcasts/:id/${action}`, async (req, res) => {
      const id = uuidParam.safeParse(req.params.id);
      const result = id.success ? await actOnBroadcast(services, actorOf(res), id.data, action) : ({ status: "notFound" } as const);
      if (result.status === "notFound") return render(req, res, "message", { text: t("common.notFound") }, 404);
      res.redirect(303, `/admin/broadcasts/${id.success ? id.data : ""}?${result.status === "ok" ? `done=${action}` : `conflict=${result.current}`}`);
    });
  }

  router.get("/reports", async (req, res) => {
    const query = yearQuery(services.currentYear).safeParse(req.query);
    const year = query.success ? query.data.year : services.currentYear();
    await render(req, res, "reports", { year, report: await buildReport(db, actorOf(res), year) });
  });

  router.get("/exports", async (req, res) => render(req, res, "exports", { year: services.currentYear() }));

  router.get("/escalations", async (req, res) => {
    const groupsByCommune = await listEscalations(db, actorOf(res), { afterDays: services.escalateAfterDays, now: now() });
    await render(req, res, "escalations", { groupsByCommune, afterDays: services.escalateAfterDays });
  });

  const showAccounts = async (req: Request, res: Response, flash: Flash | null, status = 200) =>
    render(req, res, "accounts", { accounts: await listAccounts(db, actorOf(res).scope), flash }, status);
  router.get("/accounts", (req, res) => showAccounts(req, res, null));
  router.post("/accounts", async (req, res) => {
    const body = accountBody.safeParse(req.body);
    if (!body.success) return showAccounts(req, res, { kind: "error", text: t("common.checkForm") }, 400);
    const result = await createAccount(db, actorOf(res), body.data);
    const flash: Flash =
      result.status === "created"
        ? { kind: "ok", text: t("accounts.created", { email: result.account.email }) }
        : result.status === "duplicate"
          ? { kind: "error", text: t("accounts.duplicate") }
          : result.status === "placeNotFound"
            ? { kind: "error", text: t("branches.placeNotFound", { field: t(`fields.${result.field}`), candidates: result.candidates.map((candidate) => candidate.name).join("; ") }) }
            : { kind: "error", text: t(`accounts.refused.${result.reason}`) };
    await showAccounts(req, res, flash, result.status === "created" ? 201 : 422);
  });

  router.get("/audit", auth.requireNational, async (req, res) => {
    const before = Number(req.query.before);
    const items = await listAudit(db, { before: Number.isInteger(before) && before > 0 ? before : undefined, limit: 100 });
    await render(req, res, "audit", { items });
  });

  return router;
}
