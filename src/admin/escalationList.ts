import { and, asc, eq, lt } from "drizzle-orm";
import { registrations } from "../../db/schema.js";
import type { Executor } from "../persistence/people.js";
import { selectRegistrationRows, toListItem, type PlaceRef, type RegistrationListItem } from "./registrationQueries.js";
import { registrationsInScope, type Actor } from "./scope.js";

export type EscalationGroup = { commune: PlaceRef | null; items: (RegistrationListItem & { daysWaiting: number })[] };

/** Registrations waiting for a branch head longer than ESCALATE_AFTER_DAYS, oldest first, grouped per commune. */
export async function listEscalations(db: Executor, actor: Actor, options: { afterDays: number; now: Date; limit?: number }): Promise<EscalationGroup[]> {
  const since = new Date(options.now.getTime() - options.afterDays * 24 * 3600_000);
  const rows = await selectRegistrationRows(db)
    .where(and(registrationsInScope(actor.scope), eq(registrations.status, "submitted"), lt(registrations.submittedAt, since)))
    .orderBy(asc(registrations.submittedAt))
    .limit(options.limit ?? 1000);
  const groups = new Map<string, EscalationGroup>();
  for (const row of rows) {
    const item = toListItem(actor, row);
    const key = item.commune?.code ?? "";
    const group = groups.get(key) ?? { commune: item.commune, items: [] };
    const waited = options.now.getTime() - (row.submittedAt?.getTime() ?? options.now.getTime());
    group.items.push({ ...item, daysWaiting: Math.floor(waited / (24 * 3600_000)) });
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => (a.commune?.name ?? "").localeCompare(b.commune?.name ?? "", "vi"));
}
