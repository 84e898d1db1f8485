import express from "express";
import { z } from "zod";
import { createBranch, createBranchInvite, findBranchDetails } from "../persistence/branchStore.js";
import type { Database } from "../persistence/openDatabase.js";
import { requireAdminToken } from "./adminAuth.js";

export type AdminRouterDeps = {
  db: Database;
  /** ADMIN_TOKEN; unset turns the API off (503). */
  adminToken: string | undefined;
  /** INVITE_TTL_DAYS. */
  inviteTtlDays: number;
  /** Called after branches change, so the engine's place cache sees them (the runtime passes worlds.invalidate). */
  onBranchesChanged: () => void;
  clock?: () => number;
};

const placeName = z.string().trim().min(1).max(100);
const createBranchBody = z.object({ province: placeName, commune: placeName, name: z.string().trim().min(3).max(120) });
const branchIdParam = z.uuid();

/** The deep-link parameter that claims an invite (Messenger m.me/<page>?ref=…, Zalo OA link). */
const inviteRef = (code: string) => `chihoi_${code}`;

/** The JSON admin API, mounted at /api/admin: branches and their invite codes. */
export function adminRouter(deps: AdminRouterDeps): express.Router {
  const clock = deps.clock ?? Date.now;
  const router = express.Router();
  router.use(requireAdminToken(deps.adminToken));
  router.use(express.json({ limit: "32kb" }));

  router.post("/branches", async (req, res) => {
    const body = createBranchBody.safeParse(req.body);
    if (!body.success) return void res.status(400).json({ error: "invalid body", issues: body.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`) });
    const result = await createBranch(deps.db, body.data, { inviteTtlDays: deps.inviteTtlDays, now: new Date(clock()) });
    switch (result.status) {
      case "placeNotFound":
        return void res.status(422).json({ error: `${result.field} not found: use one of the candidates' names`, field: result.field, candidates: result.candidates });
      case "duplicate":
        return void res.status(409).json({ error: "this commune already has a branch with that name", id: result.branch.id, code: result.branch.code });
      case "created":
        deps.onBranchesChanged();
        return void res.status(201).json({
          ...result.branch,
          inviteCode: result.invite.code,
          inviteExpiresAt: result.invite.expiresAt.toISOString(),
          inviteRef: inviteRef(result.invite.code),
        });
    }
  });

  router.post("/branches/:id/invites", async (req, res) => {
    const id = branchIdParam.safeParse(req.params.id);
    const invite = id.success ? await createBranchInvite(deps.db, id.data, { inviteTtlDays: deps.inviteTtlDays, now: new Date(clock()) }) : null;
    if (!invite) return void res.status(404).json({ error: "no such branch" });
    res.status(201).json({ inviteCode: invite.code, expiresAt: invite.expiresAt.toISOString(), inviteRef: inviteRef(invite.code) });
  });

  router.get("/branches/:id", async (req, res) => {
    const id = branchIdParam.safeParse(req.params.id);
    const branch = id.success ? await findBranchDetails(deps.db, id.data) : null;
    if (!branch) return void res.status(404).json({ error: "no such branch" });
    res.json(branch);
  });

  return router;
}
