import { and, eq, lte } from "drizzle-orm";
import type { Logger } from "pino";
import { branches, escalations, registrationAnswers, registrations } from "../../db/schema.js";
import type { Database } from "../persistence/openDatabase.js";

export type EscalationDeps = {
  db: Database;
  logger: Logger;
  /** ESCALATE_AFTER_DAYS. */
  escalateAfterDays: number;
};

export type Escalated = { registrationId: string; communeCode: string | null; branchId: string | null; pendingDays: number };

const dayMs = 24 * 3600_000;

/**
 * Submissions waiting longer than ESCALATE_AFTER_DAYS are recorded for the commune's admins, once per submission
 * round (escalations is unique per registration and round), with a log line that carries ids, never names. A
 * message to the admins comes when admin accounts exist. Run daily (BullMQ repeatable job, Asia/Ho_Chi_Minh).
 */
export async function runEscalation(deps: EscalationDeps, now: Date): Promise<{ escalated: Escalated[] }> {
  const cutoff = new Date(now.getTime() - deps.escalateAfterDays * dayMs);
  const overdue = await deps.db
    .select({
      id: registrations.id,
      round: registrations.submissionRound,
      submittedAt: registrations.submittedAt,
      branchId: registrations.branchId,
      branchCommune: branches.communeCode,
      communeAnswer: registrationAnswers.value,
    })
    .from(registrations)
    .leftJoin(branches, eq(branches.id, registrations.branchId))
    .leftJoin(registrationAnswers, and(eq(registrationAnswers.registrationId, registrations.id), eq(registrationAnswers.field, "commune")))
    .where(and(eq(registrations.status, "submitted"), lte(registrations.submittedAt, cutoff)));
  if (overdue.length === 0) return { escalated: [] };
  const rows = overdue.map((row) => ({
    registrationId: row.id,
    round: row.round,
    branchId: row.branchId,
    communeCode: row.branchCommune ?? communeCodeOf(row.communeAnswer),
    pendingSince: row.submittedAt ?? cutoff,
  }));
  const inserted = await deps.db.insert(escalations).values(rows).onConflictDoNothing().returning({
    registrationId: escalations.registrationId,
    communeCode: escalations.communeCode,
    branchId: escalations.branchId,
    pendingSince: escalations.pendingSince,
  });
  const escalated = inserted.map((row) => ({
    registrationId: row.registrationId,
    communeCode: row.communeCode,
    branchId: row.branchId,
    pendingDays: Math.floor((now.getTime() - row.pendingSince.getTime()) / dayMs),
  }));
  for (const item of escalated) deps.logger.warn(item, "registration pending past ESCALATE_AFTER_DAYS: recorded for the commune's admins");
  return { escalated };
}

/** A commune answer is stored as { code, name }. */
function communeCodeOf(value: unknown): string | null {
  return value && typeof value === "object" && "code" in value && typeof value.code === "string" ? value.code : null;
}
