import { desc, lt } from "drizzle-orm";
import { adminAuditLog } from "../../db/schema.js";
import type { Executor } from "../persistence/people.js";
import type { Actor } from "./scope.js";

export type AuditEntry = {
  action: string;
  targetType?: string;
  targetId?: string;
  /** Ids, codes and counts only: never a citizen's name, phone or what they typed. */
  details?: Record<string, string | number | boolean | null>;
};

/** Writes one audit row; called in the same transaction as the change it records where there is one. */
export async function recordAudit(db: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insert(adminAuditLog).values({
    accountId: actor.accountId,
    actor: actor.label,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ?? null,
  });
}

export type AuditRow = { id: number; actor: string; action: string; targetType: string | null; targetId: string | null; details: unknown; at: Date };

/** The newest entries first, paged by id (national admins only: the caller checks). */
export async function listAudit(db: Executor, page: { before?: number; limit: number }): Promise<AuditRow[]> {
  return db
    .select({
      id: adminAuditLog.id,
      actor: adminAuditLog.actor,
      action: adminAuditLog.action,
      targetType: adminAuditLog.targetType,
      targetId: adminAuditLog.targetId,
      details: adminAuditLog.details,
      at: adminAuditLog.at,
    })
    .from(adminAuditLog)
    .where(page.before ? lt(adminAuditLog.id, page.before) : undefined)
    .orderBy(desc(adminAuditLog.id))
    .limit(page.limit);
}
