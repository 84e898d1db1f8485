import { asc, desc, eq, inArray, like } from "drizzle-orm";
import { branches, branchHeads, branchInvites, channelIdentities, communes, people, provinces } from "../../db/schema.js";
import { branchCodeBase, nextBranchCode } from "../domain/branchCode.js";
import { findExactPlace, type NamedPlace } from "../domain/findExactPlace.js";
import { generateInviteCode } from "../domain/inviteCode.js";
import { foldKey } from "../domain/understanding/index.js";
import type { Database } from "./openDatabase.js";

type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
type Executor = Database | Transaction;

export type Invite = { code: string; expiresAt: Date };
export type PlaceSummary = { code: string; name: string };

export type CreateBranchResult =
  | { status: "created"; branch: { id: string; code: string; name: string; commune: PlaceSummary; province: PlaceSummary }; invite: Invite }
  | { status: "placeNotFound"; field: "province" | "commune"; candidates: PlaceSummary[] }
  | { status: "duplicate"; branch: { id: string; code: string; name: string } }
  | { status: "outOfScope"; commune: PlaceSummary };

const summary = (place: NamedPlace): PlaceSummary => ({ code: place.code, name: place.fullName });

/** A branch name as stored: NFC, single spaces, trimmed. */
export const normalizeBranchName = (name: string): string => name.normalize("NFC").replace(/\s+/g, " ").trim();

/**
 * Creates a branch in a commune named as people write it ("vinh phu", "Xã Vĩnh Phú"), with a branch code derived
 * from the commune's name and a first invite code. Names must match the reference data exactly (diacritics and case
 * aside) or be their codes: a near miss returns the candidates instead of guessing.
 */
export async function createBranch(
  db: Database,
  input: { province: string; commune: string; name: string },
  options: { inviteTtlDays: number; now: Date; allowed?: (place: { provinceCode: string; communeCode: string }) => boolean },
): Promise<CreateBranchResult> {
  const provinceRows = await db.select().from(provinces).orderBy(asc(provinces.code));
  const provinceByCode = provinceRows.find((row) => row.code === input.province);
  const province = provinceByCode ? ({ status: "found", place: provinceByCode } as const) : findExactPlace(input.province, provinceRows);
  if (province.status === "notFound") return { status: "placeNotFound", field: "province", candidates: province.candidates.map(summary) };
  const communeRows = await db.select().from(communes).where(eq(communes.provinceCode, province.place.code)).orderBy(asc(communes.code));
  const communeByCode = communeRows.find((row) => row.code === input.commune);
  const commune = communeByCode ? ({ status: "found", place: communeByCode } as const) : findExactPlace(input.commune, communeRows);
  if (commune.status === "notFound") return { status: "placeNotFound", field: "commune", candidates: commune.candidates.map(summary) };
  if (options.allowed && !options.allowed({ provinceCode: province.place.code, communeCode: commune.place.code })) return { status: "outOfScope", commune: summary(commune.place) };
  const name = normalizeBranchName(input.name);

  return db.transaction(async (tx) => {
    const existing = await tx.select({ id: branches.id, code: branches.code, name: branches.name }).from(branches).where(eq(branches.communeCode, commune.place.code));
    const same = existing.find((branch) => foldKey(branch.name) === foldKey(name));
    if (same) return { status: "duplicate", branch: same } as const;
    const base = branchCodeBase(commune.place.name);
    // A code taken by a concurrent admin is seen on the next read (the conflict waits for that commit).
    for (let attempt = 0; attempt < 10; attempt++) {
      const taken = await tx.select({ code: branches.code }).from(branches).where(like(branches.code, `${base}%`));
      const code = nextBranchCode(base, taken.map((row) => row.code));
      const [created] = await tx.insert(branches).values({ code, name, communeCode: commune.place.code }).onConflictDoNothing().returning({ id: branches.id });
      if (!created) continue;
      const invite = await insertInvite(tx, created.id, options);
      return {
        status: "created",
        branch: { id: created.id, code, name, commune: summary(commune.place), province: summary(province.place) },
        invite,
      } as const;
    }
    throw new Error(`Could not find a free branch code for ${base} after 10 attempts`);
  });
}

async function insertInvite(tx: Executor, branchId: string, options: { inviteTtlDays: number; now: Date }): Promise<Invite> {
  const expiresAt = new Date(options.now.getTime() + options.inviteTtlDays * 24 * 3600_000);
  for (let attempt = 0; attempt < 10; attempt++) {
    const code = generateInviteCode();
    const [row] = await tx.insert(branchInvites).values({ branchId, code, expiresAt, createdAt: options.now }).onConflictDoNothing().returning({ code: branchInvites.code });
    if (row) return { code: row.code, expiresAt };
  }
  throw new Error("Could not draw a free invite code after 10 attempts");
}

/** A new one-time invite code for an existing branch; null when there is no such branch. */
export async function createBranchInvite(db: Database, branchId: string, options: { inviteTtlDays: number; now: Date }): Promise<Invite | null> {
  const [branch] = await db.select({ id: branches.id }).from(branches).where(eq(branches.id, branchId));
  if (!branch) return null;
  return insertInvite(db, branch.id, options);
}

export type BranchDetails = {
  id: string;
  code: string;
  name: string;
  active: boolean;
  commune: PlaceSummary;
  province: PlaceSummary;
  createdAt: Date;
  /** Name and channels only: a head's phone number and channel ids stay out of the API. */
  heads: { personId: string; name: string | null; channels: string[]; since: Date }[];
  invites: { code: string; createdAt: Date; expiresAt: Date; usedAt: Date | null }[];
};

export async function findBranchDetails(db: Database, branchId: string): Promise<BranchDetails | null> {
  const [branch] = await db
    .select({
      id: branches.id,
      code: branches.code,
      name: branches.name,
      active: branches.active,
      createdAt: branches.createdAt,
      communeCode: communes.code,
      communeName: communes.fullName,
      provinceCode: provinces.code,
      provinceName: provinces.fullName,
    })
    .from(branches)
    .innerJoin(communes, eq(communes.code, branches.communeCode))
    .innerJoin(provinces, eq(provinces.code, communes.provinceCode))
    .where(eq(branches.id, branchId));
  if (!branch) return null;
  const heads = await db
    .select({ personId: branchHeads.personId, name: people.fullName, since: branchHeads.createdAt })
    .from(branchHeads)
    .innerJoin(people, eq(people.id, branchHeads.personId))
    .where(eq(branchHeads.branchId, branchId))
    .orderBy(asc(branchHeads.createdAt));
  const identities =
    heads.length === 0
      ? []
      : await db
          .selectDistinct({ personId: channelIdentities.personId, channel: channelIdentities.channel })
          .from(channelIdentities)
          .where(inArray(channelIdentities.personId, heads.map((head) => head.personId)));
  const invites = await db
    .select({ code: branchInvites.code, createdAt: branchInvites.createdAt, expiresAt: branchInvites.expiresAt, usedAt: branchInvites.usedAt })
    .from(branchInvites)
    .where(eq(branchInvites.branchId, branchId))
    .orderBy(desc(branchInvites.createdAt));
  return {
    id: branch.id,
    code: branch.code,
    name: branch.name,
    active: branch.active,
    commune: { code: branch.communeCode, name: branch.communeName },
    province: { code: branch.provinceCode, name: branch.provinceName },
    createdAt: branch.createdAt,
    heads: heads.map((head) => ({ ...head, channels: identities.filter((identity) => identity.personId === head.personId).map((identity) => identity.channel).sort() })),
    invites,
  };
}
