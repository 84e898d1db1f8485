import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { adminAccounts, communes, provinces, type AdminRole } from "../../db/schema.js";
import { findExactPlace } from "../domain/findExactPlace.js";
import type { Database } from "../persistence/openDatabase.js";
import { recordAudit } from "./auditLog.js";
import { hashPassword, verifyPassword } from "./passwords.js";
import type { Actor, AdminScope } from "./scope.js";

export type AccountInput = { email: string; password: string; role: AdminRole; province?: string | undefined; commune?: string | undefined };

export type PlaceSummary = { code: string; name: string };

export type AccountSummary = {
  id: string;
  email: string;
  role: AdminRole;
  province: PlaceSummary | null;
  commune: PlaceSummary | null;
  createdAt: Date;
  disabledAt: Date | null;
};

export type CreateAccountResult =
  | { status: "created"; account: AccountSummary }
  | { status: "forbidden"; reason: AccountRefusal }
  | { status: "duplicate" }
  | { status: "placeNotFound"; field: "province" | "commune"; candidates: PlaceSummary[] }
  | { status: "invalid"; reason: AccountRefusal };

/** Why an account was not created; the API and the console word it (locales: admin.accounts.refused). */
export type AccountRefusal = "communeCannotCreate" | "provinceCreatesCommuneOnly" | "provinceNeeded" | "communeNeeded" | "communeOutsideProvince";

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** A province or commune named by its code or its name as people write it ("phu tho", "Xã Vĩnh Phú"). */
async function resolvePlaces(db: Database, input: { province?: string | undefined; commune?: string | undefined }) {
  const provinceRows = await db.select().from(provinces).orderBy(asc(provinces.code));
  let province = input.province ? provinceRows.find((row) => row.code === input.province?.trim()) : undefined;
  if (input.province && !province) {
    const found = findExactPlace(input.province, provinceRows);
    if (found.status === "notFound") return { status: "placeNotFound", field: "province", candidates: found.candidates.map(summaryOf) } as const;
    province = found.place;
  }
  if (!input.commune) return { status: "found", province: province ?? null, commune: null } as const;
  const communeRows = await db
    .select()
    .from(communes)
    .where(province ? eq(communes.provinceCode, province.code) : undefined)
    .orderBy(asc(communes.code));
  let commune = communeRows.find((row) => row.code === input.commune?.trim());
  if (!commune) {
    const found = findExactPlace(input.commune, communeRows);
    if (found.status === "notFound") return { status: "placeNotFound", field: "commune", candidates: found.candidates.map(summaryOf) } as const;
    commune = found.place;
  }
  const communeProvince = provinceRows.find((row) => row.code === commune.provinceCode) ?? null;
  return { status: "found", province: communeProvince, commune } as const;
}

const summaryOf = (place: { code: string; fullName: string }): PlaceSummary => ({ code: place.code, name: place.fullName });

/**
 * Creates an account. National admins create any; a province admin creates commune accounts in their province;
 * nobody else creates accounts. The password is stored as an argon2id hash only.
 */
export async function createAccount(db: Database, actor: Actor, input: AccountInput): Promise<CreateAccountResult> {
  if (actor.scope.level === "commune") return { status: "forbidden", reason: "communeCannotCreate" };
  if (actor.scope.level === "province" && input.role !== "commune") return { status: "forbidden", reason: "provinceCreatesCommuneOnly" };
  if (input.role === "province" && !input.province) return { status: "invalid", reason: "provinceNeeded" };
  if (input.role === "commune" && !input.commune) return { status: "invalid", reason: "communeNeeded" };
  const places = await resolvePlaces(db, {
    province: input.role === "national" ? undefined : (input.province ?? (actor.scope.level === "province" ? actor.scope.provinceCode : undefined)),
    commune: input.role === "commune" ? input.commune : undefined,
  });
  if (places.status === "placeNotFound") return places;
  if (actor.scope.level === "province" && places.province?.code !== actor.scope.provinceCode) {
    return { status: "forbidden", reason: "communeOutsideProvince" };
  }
  const email = normalizeEmail(input.email);
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(adminAccounts)
      .values({
        email,
        passwordHash,
        role: input.role,
        provinceCode: input.role === "national" ? null : (places.province?.code ?? null),
        communeCode: input.role === "commune" ? (places.commune?.code ?? null) : null,
        createdBy: actor.label,
      })
      .onConflictDoNothing()
      .returning();
    if (!row) return { status: "duplicate" } as const;
    await recordAudit(tx, actor, { action: "account.create", targetType: "account", targetId: row.id, details: { role: row.role, province: row.provinceCode, commune: row.communeCode } });
    return {
      status: "created",
      account: {
        id: row.id,
        email: row.email,
        role: row.role,
        province: places.province && input.role !== "national" ? summaryOf(places.province) : null,
        commune: places.commune && input.role === "commune" ? summaryOf(places.commune) : null,
        createdAt: row.createdAt,
        disabledAt: null,
      },
    } as const;
  });
}

export type SignedInAccount = { id: string; email: string; role: AdminRole; scope: AdminScope };

export function scopeOf(row: { role: AdminRole; provinceCode: string | null; communeCode: string | null }): AdminScope {
  if (row.role === "commune" && row.communeCode && row.provinceCode) return { level: "commune", provinceCode: row.provinceCode, communeCode: row.communeCode };
  if (row.role === "province" && row.provinceCode) return { level: "province", provinceCode: row.provinceCode };
  if (row.role === "national") return { level: "national" };
  throw new Error(`account with role ${row.role} has no place`);
}

/** The account for an e-mail and password, or null; a missing account costs as much time as a wrong password. */
export async function authenticate(db: Database, email: string, password: string): Promise<SignedInAccount | null> {
  const [row] = await db
    .select()
    .from(adminAccounts)
    .where(and(eq(adminAccounts.email, normalizeEmail(email)), isNull(adminAccounts.disabledAt)));
  const ok = await verifyPassword(row?.passwordHash ?? null, password);
  if (!ok || !row) return null;
  return { id: row.id, email: row.email, role: row.role, scope: scopeOf(row) };
}

/** Accounts an actor may see: national all, province their province's, commune only their own commune's. */
export async function listAccounts(db: Database, scope: AdminScope): Promise<AccountSummary[]> {
  const rows = await db
    .select({
      id: adminAccounts.id,
      email: adminAccounts.email,
      role: adminAccounts.role,
      provinceCode: adminAccounts.provinceCode,
      provinceName: provinces.fullName,
      communeCode: adminAccounts.communeCode,
      communeName: communes.fullName,
      createdAt: adminAccounts.createdAt,
      disabledAt: adminAccounts.disabledAt,
    })
    .from(adminAccounts)
    .leftJoin(provinces, eq(provinces.code, adminAccounts.provinceCode))
    .leftJoin(communes, eq(communes.code, adminAccounts.communeCode))
    .where(
      scope.level === "national"
        ? undefined
        : scope.level === "province"
          ? eq(adminAccounts.provinceCode, scope.provinceCode)
          : eq(adminAccounts.communeCode, scope.communeCode),
    )
    .orderBy(sql`${adminAccounts.role} = 'commune'`, sql`${adminAccounts.role} = 'province'`, asc(adminAccounts.email));
  return rows.map((row) => ({
    id: row.id,
    email: row.email,
    role: row.role,
    province: row.provinceCode ? { code: row.provinceCode, name: row.provinceName ?? row.provinceCode } : null,
    commune: row.communeCode ? { code: row.communeCode, name: row.communeName ?? row.communeCode } : null,
    createdAt: row.createdAt,
    disabledAt: row.disabledAt,
  }));
}
