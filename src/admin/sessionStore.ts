import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { adminAccounts, adminSessions } from "../../db/schema.js";
import type { Database } from "../persistence/openDatabase.js";
import { scopeOf, type SignedInAccount } from "./accountStore.js";

/** The cookie carries 256 random bits; the table keeps only their SHA-256, so a database read gives no session away. */
const sessionIdOf = (token: string) => createHash("sha256").update(token).digest("base64url");

export type SessionPolicy = { idleMs: number; now: Date };

export async function createAdminSession(db: Database, accountId: string, policy: SessionPolicy): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db.insert(adminSessions).values({ id: sessionIdOf(token), accountId, createdAt: policy.now, lastSeenAt: policy.now, expiresAt: new Date(policy.now.getTime() + policy.idleMs) });
  // Expired sessions of anyone are cleared on the way; an index-free delete is cheap at staff scale.
  await db.delete(adminSessions).where(lt(adminSessions.expiresAt, policy.now));
  return token;
}

/** How often a request pushes the idle expiry forward: not on every request, to spare the database a write. */
const touchEveryMs = 60_000;

export type ResolvedSession = { sessionId: string; account: SignedInAccount };

/** The signed-in account behind a cookie, or null when the session is unknown, idle too long or the account disabled. */
export async function resolveAdminSession(db: Database, token: string, policy: SessionPolicy): Promise<ResolvedSession | null> {
  if (!token || token.length > 100) return null;
  const id = sessionIdOf(token);
  const [row] = await db
    .select({
      lastSeenAt: adminSessions.lastSeenAt,
      accountId: adminAccounts.id,
      email: adminAccounts.email,
      role: adminAccounts.role,
      provinceCode: adminAccounts.provinceCode,
      communeCode: adminAccounts.communeCode,
    })
    .from(adminSessions)
    .innerJoin(adminAccounts, eq(adminAccounts.id, adminSessions.accountId))
    .where(and(eq(adminSessions.id, id), gt(adminSessions.expiresAt, policy.now), isNull(adminAccounts.disabledAt)));
  if (!row) return null;
  if (policy.now.getTime() - row.lastSeenAt.getTime() > touchEveryMs) {
    await db.update(adminSessions).set({ lastSeenAt: policy.now, expiresAt: new Date(policy.now.getTime() + policy.idleMs) }).where(eq(adminSessions.id, id));
  }
  return { sessionId: id, account: { id: row.accountId, email: row.email, role: row.role, scope: scopeOf(row) } };
}

export async function deleteAdminSession(db: Database, token: string): Promise<void> {
  await db.delete(adminSessions).where(eq(adminSessions.id, sessionIdOf(token)));
}
