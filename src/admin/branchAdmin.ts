import { parse } from "csv-parse/sync";
import { and, asc, count, eq, or, sql, like } from "drizzle-orm";
import { branches, branchHeads, communes, provinces, registrations } from "../../db/schema.js";
import { findExactPlace } from "../domain/findExactPlace.js";
import { foldKey } from "../domain/understanding/index.js";
import {
  createBranch,
  createBranchInvite,
  findBranchDetails,
  normalizeBranchName,
  type BranchDetails,
  type CreateBranchResult,
  type Invite,
  type PlaceSummary,
} from "../persistence/branchStore.js";
import type { Database } from "../persistence/openDatabase.js";
import { recordAudit } from "./auditLog.js";
import { foldedColumn, foldedContains } from "./foldedText.js";
import { branchesInScope, placeInScope, type Actor } from "./scope.js";

export type BranchListItem = {
  id: string;
  code: string;
  name: string;
  active: boolean;
  commune: PlaceSummary;
  province: PlaceSummary;
  heads: number;
  awaiting: number;
};

/** Branches in the actor's scope, searched by name or code (diacritics aside) and narrowed by place. */
export async function listBranches(
  db: Database,
  actor: Actor,
  filter: { q?: string | undefined; province?: string | undefined; commune?: string | undefined; active?: boolean | undefined },
  paging: { page: number; pageSize: number },
): Promise<{ items: BranchListItem[]; total: number; page: number; pageSize: number }> {
  const conditions = [branchesInScope(actor.scope)];
  if (filter.province) conditions.push(eq(communes.provinceCode, filter.province));
  if (filter.commune) conditions.push(eq(branches.communeCode, filter.commune));
  if (filter.active !== undefined) conditions.push(eq(branches.active, filter.active));
  if (filter.q?.trim()) {
    const pattern = foldedContains(filter.q);
    conditions.push(or(like(foldedColumn(branches.name), pattern), like(sql`lower(${branches.code})`, pattern), like(foldedColumn(communes.name), pattern)));
  }
  const where = and(...conditions);
  const [totalRow] = await db.select({ total: count() }).from(branches).innerJoin(communes, eq(communes.code, branches.communeCode)).where(where);
  const rows = await db
    .select({
      id: branches.id,
      code: branches.code,
      name: branches.name,
      active: branches.active,
      communeCode: communes.code,
      communeName: communes.fullName,
      provinceCode: provinces.code,
      provinceName: provinces.fullName,
      heads: sql<number>`(select count(*) from ${branchHeads} where ${branchHeads.branchId} = ${branches.id})`.mapWith(Number),
      awaiting: sql<number>`(select count(*) from ${registrations} where ${registrations.branchId} = ${branches.id} and ${registrations.status} = 'submitted')`.mapWith(Number),
    })
    .from(branches)
    .innerJoin(communes, eq(communes.code, branches.communeCode))
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(where)
    .orderBy(asc(provinces.name), asc(communes.name), asc(branches.name))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return {
    items: rows.map((row) => ({
      id: row.id,
      code: row.code,
      name: row.name,
      active: row.active,
      commune: { code: row.communeCode, name: row.communeName },
      province: { code: row.provinceCode, name: row.provinceName },
      heads: row.heads,
      awaiting: row.awaiting,
    })),
    total: totalRow?.total ?? 0,
    page: paging.page,
    pageSize: paging.pageSize,
  };
}

/** A branch with its heads and invites, only when it lies in the actor's scope. */
export async function branchForActor(db: Database, actor: Actor, branchId: string): Promise<BranchDetails | null> {
  const branch = await findBranchDetails(db, branchId);
  if (!branch || !placeInScope(actor.scope, { provinceCode: branch.province.code, communeCode: branch.commune.code })) return null;
  return branch;
}

/** A branch created by an admin, inside their scope, with the audit row; the caller tells the engine's place cache. */
export async function createBranchInScope(
  db: Database,
  actor: Actor,
  input: { province: string; commune: string; name: string },
  options: { inviteTtlDays: number; now: Date },
): Promise<CreateBranchResult> {
  const result = await createBranch(db, input, { ...options, allowed: (place) => placeInScope(actor.scope, place) });
  if (result.status === "created") {
    await recordAudit(db, actor, { action: "branch.create", targetType: "branch", targetId: result.branch.id, details: { commune: result.branch.commune.code } });
  }
  return result;
}

/** A new head invite for a branch in the actor's scope, audited; null when there is no such branch for them. */
export async function createInviteInScope(db: Database, actor: Actor, branchId: string, options: { inviteTtlDays: number; now: Date }): Promise<Invite | null> {
  const branch = await branchForActor(db, actor, branchId);
  const invite = branch ? await createBranchInvite(db, branch.id, options) : null;
  if (branch && invite) await recordAudit(db, actor, { action: "branch.invite", targetType: "branch", targetId: branch.id });
  return invite;
}

export type BranchChange = { name?: string | undefined; active?: boolean | undefined };

/** Renames, deactivates or reactivates a branch in scope; null when there is no such branch for this actor. */
export async function updateBranch(db: Database, actor: Actor, branchId: string, change: BranchChange): Promise<BranchDetails | "duplicate" | null> {
  const branch = await branchForActor(db, actor, branchId);
  if (!branch) return null;
  const name = change.name === undefined ? undefined : normalizeBranchName(change.name);
  if (name && foldKey(name) !== foldKey(branch.name)) {
    const siblings = await db.select({ id: branches.id, name: branches.name }).from(branches).where(eq(branches.communeCode, branch.commune.code));
    if (siblings.some((sibling) => sibling.id !== branch.id && foldKey(sibling.name) === foldKey(name))) return "duplicate";
  }
  await db.transaction(async (tx) => {
    await tx
      .update(branches)
      .set({ ...(name ? { name } : {}), ...(change.active !== undefined ? { active: change.active } : {}), updatedAt: new Date() })
      .where(eq(branches.id, branch.id));
    await recordAudit(tx, actor, {
      action: change.active === false ? "branch.deactivate" : change.active === true && !branch.active ? "branch.activate" : "branch.update",
      targetType: "branch",
      targetId: branch.id,
      details: { renamed: Boolean(name && name !== branch.name), active: change.active ?? branch.active },
    });
  });
  return branchForActor(db, actor, branch.id);
}

/** Takes a head off a branch (they keep their own registration); false when nothing matched in scope. */
export async function removeBranchHead(db: Database, actor: Actor, branchId: string, personId: string): Promise<boolean> {
  const branch = await branchForActor(db, actor, branchId);
  if (!branch) return false;
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(branchHeads)
      .where(and(eq(branchHeads.branchId, branch.id), eq(branchHeads.personId, personId)))
      .returning({ id: branchHeads.id });
    if (removed.length === 0) return false;
    await recordAudit(tx, actor, { action: "branch.removeHead", targetType: "branch", targetId: branch.id, details: { person: personId } });
    return true;
  });
}

export type ImportLine =
  | { line: number; status: "create" | "created"; province: PlaceSummary; commune: PlaceSummary; name: string; id?: string; code?: string; inviteCode?: string }
  | { line: number; status: "duplicate"; province: PlaceSummary; commune: PlaceSummary; name: string; existingCode: string | null }
  | { line: number; status: "placeNotFound"; field: "province" | "commune"; typed: string; candidates: PlaceSummary[] }
  | { line: number; status: "outOfScope"; commune: PlaceSummary }
  | { line: number; status: "invalid"; reason: ImportRefusal; max?: number };

/** Why a line was not taken (locales: admin.branches.importReason). */
export type ImportRefusal = "noHeader" | "tooManyLines" | "missingFields" | "notCreated";

export type ImportReport = { dryRun: boolean; lines: ImportLine[]; counts: Record<ImportLine["status"], number> };

/** The header names an association's spreadsheet may use for each column (folded). */
const columnNames = {
  province: ["province", "tinh", "tinh thanh", "tinh thanh pho", "tinh tp"],
  commune: ["commune", "xa", "xa phuong", "phuong xa", "xa phuong dac khu", "phuong"],
  name: ["name", "ten", "ten chi hoi", "chi hoi", "branch", "ten ban khuyen hoc"],
} as const;

const maxImportLines = 5000;

/**
 * Branches from a CSV (columns: province, commune, name; Vietnamese headers welcome). A dry run says what would be
 * created, what is a duplicate (already there or twice in the file) and which places were not found, with the
 * nearest candidates; the real run creates exactly the "create" lines, each with its first invite code.
 */
export async function importBranchesCsv(db: Database, actor: Actor, csv: string, options: { dryRun: boolean; inviteTtlDays: number; now: Date }): Promise<ImportReport> {
  const records = parse(csv.replace(/^\uFEFF/, ""), { skip_empty_lines: true, relax_column_count: true, trim: true, delimiter: [",", ";", "\t"] }) as string[][];
  const [header, ...body] = records;
  const lines: ImportLine[] = [];
  const counts = { create: 0, created: 0, duplicate: 0, placeNotFound: 0, outOfScope: 0, invalid: 0 };
  const report = (): ImportReport => {
    for (const line of lines) counts[line.status]++;
    return { dryRun: options.dryRun, lines, counts };
  };
  const index = header ? Object.fromEntries(Object.entries(columnNames).map(([key, names]) => [key, header.findIndex((cell) => (names as readonly string[]).includes(foldKey(cell)))])) : {};
  if (!header || index.province === -1 || index.commune === -1 || index.name === -1) {
    lines.push({ line: 1, status: "invalid", reason: "noHeader" });
    return report();
  }
  if (body.length > maxImportLines) {
    lines.push({ line: 1, status: "invalid", reason: "tooManyLines", max: maxImportLines });
    return report();
  }
  const provinceRows = await db.select().from(provinces).orderBy(asc(provinces.code));
  const communeRows = await db.select().from(communes).orderBy(asc(communes.code));
  const existing = await db.select({ code: branches.code, name: branches.name, communeCode: branches.communeCode }).from(branches);
  const seen = new Map(existing.map((branch) => [`${branch.communeCode}|${foldKey(branch.name)}`, branch.code as string | null]));
  const summary = (place: { code: string; fullName: string }): PlaceSummary => ({ code: place.code, name: place.fullName });
  for (const [offset, record] of body.entries()) {
    const line = offset + 2;
    const cell = (key: "province" | "commune" | "name") => normalizeBranchName(record[index[key] ?? -1] ?? "");
    const [provinceText, communeText, name] = [cell("province"), cell("commune"), cell("name")];
    if (!provinceText || !communeText || name.length < 3 || name.length > 120) {
      lines.push({ line, status: "invalid", reason: "missingFields" });
      continue;
    }
    const province = findExactPlace(provinceText, provinceRows);
    if (province.status === "notFound") {
      lines.push({ line, status: "placeNotFound", field: "province", typed: provinceText, candidates: province.candidates.map(summary) });
      continue;
    }
    const commune = findExactPlace(communeText, communeRows.filter((row) => row.provinceCode === province.place.code));
    if (commune.status === "notFound") {
      lines.push({ line, status: "placeNotFound", field: "commune", typed: communeText, candidates: commune.candidates.map(summary) });
      continue;
    }
    if (!placeInScope(actor.scope, { provinceCode: province.place.code, communeCode: commune.place.code })) {
      lines.push({ line, status: "outOfScope", commune: summary(commune.place) });
      continue;
    }
    const key = `${commune.place.code}|${foldKey(name)}`;
    if (seen.has(key)) {
      lines.push({ line, status: "duplicate", province: summary(province.place), commune: summary(commune.place), name, existingCode: seen.get(key) ?? null });
      continue;
    }
    seen.set(key, null);
    lines.push({ line, status: "create", province: summary(province.place), commune: summary(commune.place), name });
  }
  if (!options.dryRun) {
    for (const [position, line] of lines.entries()) {
      if (line.status !== "create") continue;
      const result = await createBranch(db, { province: line.province.code, commune: line.commune.code, name: line.name }, { inviteTtlDays: options.inviteTtlDays, now: options.now });
      if (result.status === "created") {
        lines[position] = { ...line, status: "created", id: result.branch.id, code: result.branch.code, inviteCode: result.invite.code };
      } else if (result.status === "duplicate") {
        lines[position] = { line: line.line, status: "duplicate", province: line.province, commune: line.commune, name: line.name, existingCode: result.branch.code };
      } else {
        lines[position] = { line: line.line, status: "invalid", reason: "notCreated" };
      }
    }
    const created = lines.filter((line) => line.status === "created").length;
    await recordAudit(db, actor, { action: "branch.import", targetType: "branch", details: { lines: lines.length, created } });
  }
  return report();
}
