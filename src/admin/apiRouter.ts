import express, { type Request, type Response } from "express";
import type { z } from "zod";
import { authenticate as checkPassword, createAccount, listAccounts } from "./accountStore.js";
import { actorOf } from "./adminAuth.js";
import type { AdminServices } from "./adminServices.js";
import { listAudit, recordAudit } from "./auditLog.js";
import { branchForActor, createBranchInScope, createInviteInScope, importBranchesCsv, listBranches, removeBranchHead, updateBranch } from "./branchAdmin.js";
import { listEscalations } from "./escalationList.js";
import { actOnBroadcast, broadcastBody, campaignActions, createBroadcastAudited, previewBody, previewForActor } from "./broadcastAdmin.js";
import { getBroadcast, listBroadcasts } from "../broadcasts/campaignStore.js";
import { exportHeaders, registrationExportRows, writeCsv, writeXlsx } from "./exportRegistrations.js";
import { placeRegistrationInBranch } from "./placeRegistration.js";
import { branchDeepLinks, qrPng, writePosterPdf } from "./posters.js";
import { buildReport } from "./reports.js";
import { listRegistrations, registrationDetail } from "./registrationQueries.js";
import {
  accountBody,
  branchFilterQuery,
  createBranchBody,
  issueLines,
  loginBody,
  pagingQuery,
  placeBody,
  registrationFilterQuery,
  updateBranchBody,
  uuidParam,
  yearQuery,
} from "./requestSchemas.js";
import { createAdminSession, deleteAdminSession } from "./sessionStore.js";

/** Parses with zod, or answers 400 with the issues and returns undefined. */
function parseOr400<T extends z.ZodType>(schema: T, value: unknown, res: Response): z.infer<T> | undefined {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  res.status(400).json({ error: "invalid request", issues: issueLines(parsed.error) });
  return undefined;
}

const inviteRef = (code: string) => `chihoi_${code}`;

/** The file name of an export: "dang-ky-2026.csv". */
const exportName = (year: number, extension: string) => `dang-ky-cong-dan-hoc-tap-${year}.${extension}`;

/** The JSON admin API at /api/admin: every read and write is cut to the caller's scope in the query itself. */
export function adminApiRouter(services: AdminServices): express.Router {
  const { db, auth } = services;
  const now = () => new Date(services.clock());
  const router = express.Router();
  router.use(express.json({ limit: "64kb" }));

  router.post("/session", ...auth.loginThrottle, async (req, res) => {
    const body = parseOr400(loginBody, req.body, res);
    if (!body) return;
    const account = await checkPassword(db, body.email, body.password);
    if (!account) return void res.status(401).json({ error: "wrong e-mail or password" });
    const token = await createAdminSession(db, account.id, { idleMs: services.sessionIdleMs, now: now() });
    auth.setSessionCookie(res, token);
    req.cookies = { ...req.cookies, lca_admin: token };
    res.json({ account: { id: account.id, email: account.email, role: account.role, scope: account.scope }, csrfToken: auth.freshCsrfToken(req, res) });
  });

  router.delete("/session", async (req, res) => {
    const cookie: unknown = req.cookies?.lca_admin;
    if (typeof cookie === "string") await deleteAdminSession(db, cookie);
    auth.clearSessionCookie(res);
    res.status(204).end();
  });

  router.use(auth.authenticate("api"), auth.protectApiWrites);

  router.get("/session", (_req, res) => {
    const actor = actorOf(res);
    res.json({ account: { id: actor.accountId, email: actor.label, role: actor.role, scope: actor.scope } });
  });

  router.post("/accounts", async (req, res) => {
    const body = parseOr400(accountBody, req.body, res);
    if (!body) return;
    const result = await createAccount(db, actorOf(res), body);
    switch (result.status) {
      case "created":
        return void res.status(201).json(result.account);
      case "forbidden":
        return void res.status(403).json({ error: services.translate("en", `admin:accounts.refused.${result.reason}`), reason: result.reason });
      case "duplicate":
        return void res.status(409).json({ error: "an account with this e-mail exists" });
      case "invalid":
        return void res.status(400).json({ error: services.translate("en", `admin:accounts.refused.${result.reason}`), reason: result.reason });
      case "placeNotFound":
        return void res.status(422).json({ error: `${result.field} not found`, field: result.field, candidates: result.candidates });
    }
  });

  router.get("/accounts", async (_req, res) => void res.json({ items: await listAccounts(db, actorOf(res).scope) }));

  router.get("/registrations", async (req, res) => {
    const filter = parseOr400(registrationFilterQuery(services.currentYear), req.query, res);
    const paging = filter && parseOr400(pagingQuery, req.query, res);
    if (!filter || !paging) return;
    res.json(await listRegistrations(db, actorOf(res), filter, paging));
  });

  router.get("/registrations/:id", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const detail = id.success ? await registrationDetail(db, services.catalog, actorOf(res), id.data) : null;
    if (!detail) return void res.status(404).json({ error: "no such registration in your scope" });
    res.json(detail);
  });

  router.post("/registrations/:id/branch", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const body = parseOr400(placeBody, req.body, res);
    if (!body) return;
    if (!id.success) return void res.status(404).json({ error: "no such registration in your scope" });
    const result = await placeRegistrationInBranch(db, services.messaging, actorOf(res), { registrationId: id.data, branchId: body.branchId, now: now() });
    switch (result.status) {
      case "placed":
        return void res.json(result);
      case "registrationNotFound":
        return void res.status(404).json({ error: "no such registration in your scope" });
      case "branchNotFound":
        return void res.status(404).json({ error: "no such active branch in your scope" });
      case "otherCommune":
        return void res.status(422).json({ error: "the branch is in another commune than the registration", ...result });
    }
  });

  router.get("/reports", async (req, res) => {
    const query = parseOr400(yearQuery(services.currentYear), req.query, res);
    if (query) res.json(await buildReport(db, actorOf(res), query.year));
  });

  router.get("/exports/registrations.:format", async (req, res) => {
    const format = req.params.format;
    if (format !== "csv" && format !== "xlsx") return void res.status(404).json({ error: "csv or xlsx" });
    const filter = parseOr400(registrationFilterQuery(services.currentYear), req.query, res);
    if (!filter) return;
    const actor = actorOf(res);
    const headers = exportHeaders(actor, services.translate);
    const rows = registrationExportRows(db, services.catalog, actor, filter, services.translate);
    res.attachment(exportName(filter.year, format));
    res.set("Cache-Control", "no-store");
    const count =
      format === "csv"
        ? (res.type("text/csv; charset=utf-8"), await writeCsv(res, headers, rows))
        : (res.type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), await writeXlsx(res, headers, rows, services.translate("vi", "admin:export.sheet")));
    await recordAudit(db, actor, { action: `export.${format}`, targetType: "registrations", details: { year: filter.year, rows: count } });
  });

  router.get("/branches", async (req, res) => {
    const filter = parseOr400(branchFilterQuery, req.query, res);
    const paging = filter && parseOr400(pagingQuery, req.query, res);
    if (!filter || !paging) return;
    res.json(await listBranches(db, actorOf(res), filter, paging));
  });

  router.post("/branches", async (req, res) => {
    const body = parseOr400(createBranchBody, req.body, res);
    if (!body) return;
    const result = await createBranchInScope(db, actorOf(res), body, { inviteTtlDays: services.inviteTtlDays, now: now() });
    switch (result.status) {
      case "placeNotFound":
        return void res.status(422).json({ error: `${result.field} not found: use one of the candidates' names`, field: result.field, candidates: result.candidates });
      case "duplicate":
        return void res.status(409).json({ error: "this commune already has a branch with that name", id: result.branch.id, code: result.branch.code });
      case "outOfScope":
        return void res.status(403).json({ error: "that commune is outside your scope" });
      case "created":
        services.onBranchesChanged();
        return void res.status(201).json({
          ...result.branch,
          inviteCode: result.invite.code,
          inviteExpiresAt: result.invite.expiresAt.toISOString(),
          inviteRef: inviteRef(result.invite.code),
        });
    }
  });

  router.post("/branches/import", express.text({ type: ["text/csv", "text/plain"], limit: "2mb" }), async (req, res) => {
    const body: unknown = req.body;
    const csv = typeof body === "string" ? body : body && typeof body === "object" && "csv" in body && typeof body.csv === "string" ? body.csv : null;
    if (csv === null) return void res.status(400).json({ error: "send the CSV as text/csv, or JSON {csv}" });
    const dryRun = req.query.dryRun !== "false";
    const report = await importBranchesCsv(db, actorOf(res), csv, { dryRun, inviteTtlDays: services.inviteTtlDays, now: now() });
    if (!dryRun && report.counts.created > 0) services.onBranchesChanged();
    res.status(dryRun ? 200 : 201).json(report);
  });

  const branchOr404 = async (req: Request, res: Response) => {
    const id = uuidParam.safeParse(req.params.id);
    const branch = id.success ? await branchForActor(db, actorOf(res), id.data) : null;
    if (!branch) res.status(404).json({ error: "no such branch in your scope" });
    return branch;
  };

  router.get("/branches/:id", async (req, res) => {
    const branch = await branchOr404(req, res);
    if (branch) res.json({ ...branch, links: branchDeepLinks(services.links, branch.code) });
  });

  router.patch("/branches/:id", async (req, res) => {
    const body = parseOr400(updateBranchBody, req.body, res);
    const id = uuidParam.safeParse(req.params.id);
    if (!body) return;
    const result = id.success ? await updateBranch(db, actorOf(res), id.data, body) : null;
    if (result === "duplicate") return void res.status(409).json({ error: "this commune already has a branch with that name" });
    if (!result) return void res.status(404).json({ error: "no such branch in your scope" });
    services.onBranchesChanged();
    res.json(result);
  });

  router.post("/branches/:id/invites", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const invite = id.success ? await createInviteInScope(db, actorOf(res), id.data, { inviteTtlDays: services.inviteTtlDays, now: now() }) : null;
    if (!invite) return void res.status(404).json({ error: "no such branch in your scope" });
    res.status(201).json({ inviteCode: invite.code, expiresAt: invite.expiresAt.toISOString(), inviteRef: inviteRef(invite.code) });
  });

  router.delete("/branches/:id/heads/:personId", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const person = uuidParam.safeParse(req.params.personId);
    const removed = id.success && person.success ? await removeBranchHead(db, actorOf(res), id.data, person.data) : false;
    if (!removed) return void res.status(404).json({ error: "no such head of a branch in your scope" });
    res.status(204).end();
  });

  router.get("/branches/:id/qr.png", async (req, res) => {
    const branch = await branchOr404(req, res);
    if (!branch) return;
    const links = branchDeepLinks(services.links, branch.code);
    const link = links.find((candidate) => candidate.channel === req.query.channel) ?? links[0];
    if (!link) return void res.status(409).json({ error: "no channel is configured: set MESSENGER_PAGE_ID, ZALO_OA_ID or PUBLIC_URL" });
    res.type("png").set("Cache-Control", "no-store").send(await qrPng(link.url));
  });

  router.get("/branches/:id/poster.pdf", async (req, res) => {
    const branch = await branchOr404(req, res);
    if (!branch) return;
    res.type("pdf").attachment(`poster-${branch.code}.pdf`);
    await writePosterPdf(res, { code: branch.code, name: branch.name, communeName: branch.commune.name, provinceName: branch.province.name }, branchDeepLinks(services.links, branch.code), services.translate);
  });

  router.get("/escalations", async (_req, res) => {
    res.json({ afterDays: services.escalateAfterDays, communes: await listEscalations(db, actorOf(res), { afterDays: services.escalateAfterDays, now: now() }) });
  });

  router.get("/broadcasts", async (req, res) => {
    const paging = parseOr400(pagingQuery, req.query, res);
    if (paging) res.json(await listBroadcasts(db, actorOf(res), paging));
  });

  router.post("/broadcasts/preview", async (req, res) => {
    const body = parseOr400(previewBody, req.body, res);
    if (body) res.json(await previewForActor(services, actorOf(res), body.audience));
  });

  router.post("/broadcasts", async (req, res) => {
    const body = parseOr400(broadcastBody, req.body, res);
    if (body) res.status(201).json(await createBroadcastAudited(services, actorOf(res), body));
  });

  router.get("/broadcasts/:id", async (req, res) => {
    const id = uuidParam.safeParse(req.params.id);
    const view = id.success ? await getBroadcast(db, actorOf(res), id.data) : null;
    if (!view) return void res.status(404).json({ error: "no such broadcast in your scope" });
    res.json(view);
  });

  for (const action of campaignActions) {
    router.post(`/broadcasts/:id/${action}`, async (req, res) => {
      const id = uuidParam.safeParse(req.params.id);
      if (!id.success) return void res.status(404).json({ error: "no such broadcast in your scope" });
      const result = await actOnBroadcast(services, actorOf(res), id.data, action);
      if (result.status === "notFound") return void res.status(404).json({ error: "no such broadcast in your scope" });
      if (result.status === "conflict") return void res.status(409).json({ error: `cannot ${action} a ${result.current} broadcast`, status: result.current });
      res.json(result.view);
    });
  }

  router.get("/audit", auth.requireNational, async (req, res) => {
    const before = Number(req.query.before);
    res.json({ items: await listAudit(db, { before: Number.isInteger(before) && before > 0 ? before : undefined, limit: 100 }) });
  });

  return router;
}
