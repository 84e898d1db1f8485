import { and, eq, sql, type SQL } from "drizzle-orm";
import { branches, communes, registrations } from "../../db/schema.js";
import type { Executor } from "../persistence/people.js";
import { registrationsInScope, type Actor } from "./scope.js";

export type ReportCounts = {
  /** Every registration of the year that was not cancelled, drafts included. */
  registered: number;
  /** Handed in at least once: waiting, confirmed, rejected or sent back for more information. */
  submitted: number;
  /** Waiting for a branch head's decision now. */
  awaiting: number;
  confirmed: number;
  rejected: number;
  needsInfo: number;
  /** Handed in with a self-assessment that meets the criteria (≥ 80, no indicator below 5). */
  meets: number;
  /** Handed in with a self-assessment that does not. */
  notMeets: number;
  /** meets / submitted, 0..1 (0 when nothing was handed in). */
  meetingRate: number;
};

export type Report = {
  year: number;
  totals: ReportCounts;
  byGroup: (ReportCounts & { group: string | null })[];
  byCommune: (ReportCounts & { commune: { code: string; name: string } | null })[];
  byBranch: (ReportCounts & { branch: { id: string; code: string; name: string } | null })[];
};

const handedIn = sql`${registrations.status} in ('submitted', 'confirmed', 'rejected', 'needs_info')`;

/** The counting columns every breakdown shares: one pass over the year's registrations per breakdown. */
const countColumns = {
  registered: sql<number>`count(*) filter (where ${registrations.status} <> 'cancelled')`.mapWith(Number),
  submitted: sql<number>`count(*) filter (where ${handedIn})`.mapWith(Number),
  awaiting: sql<number>`count(*) filter (where ${registrations.status} = 'submitted')`.mapWith(Number),
  confirmed: sql<number>`count(*) filter (where ${registrations.status} = 'confirmed')`.mapWith(Number),
  rejected: sql<number>`count(*) filter (where ${registrations.status} = 'rejected')`.mapWith(Number),
  needsInfo: sql<number>`count(*) filter (where ${registrations.status} = 'needs_info')`.mapWith(Number),
  meets: sql<number>`count(*) filter (where ${handedIn} and ${registrations.meets})`.mapWith(Number),
  notMeets: sql<number>`count(*) filter (where ${handedIn} and not coalesce(${registrations.meets}, false))`.mapWith(Number),
};

type RawCounts = Omit<ReportCounts, "meetingRate">;

const withRate = <T extends RawCounts>(row: T): T & { meetingRate: number } => ({ ...row, meetingRate: row.submitted === 0 ? 0 : row.meets / row.submitted });

/** The pilot reports' table within the actor's scope: totals, and the same counts by group, by commune and by branch. */
export async function buildReport(db: Executor, actor: Actor, year: number): Promise<Report> {
  const where: SQL | undefined = and(registrationsInScope(actor.scope), eq(registrations.year, year));
  const [totals, byGroup, byCommune, byBranch] = await Promise.all([
    db.select(countColumns).from(registrations).where(where),
    db.select({ group: registrations.groupCode, ...countColumns }).from(registrations).where(where).groupBy(registrations.groupCode).orderBy(registrations.groupCode),
    db
      .select({ code: registrations.communeCode, name: communes.fullName, ...countColumns })
      .from(registrations)
      .leftJoin(communes, eq(communes.code, registrations.communeCode))
      .where(where)
      .groupBy(registrations.communeCode, communes.fullName)
      .orderBy(communes.fullName),
    db
      .select({ id: branches.id, code: branches.code, name: branches.name, ...countColumns })
      .from(registrations)
      .leftJoin(branches, eq(branches.id, registrations.branchId))
      .where(where)
      .groupBy(branches.id, branches.code, branches.name)
      .orderBy(branches.code),
  ]);
  const empty: RawCounts = { registered: 0, submitted: 0, awaiting: 0, confirmed: 0, rejected: 0, needsInfo: 0, meets: 0, notMeets: 0 };
  return {
    year,
    totals: withRate(totals[0] ?? empty),
    byGroup: byGroup.map((row) => withRate(row)),
    byCommune: byCommune.map(({ code, name, ...counts }) => withRate({ commune: code ? { code, name: name ?? code } : null, ...counts })),
    byBranch: byBranch.map(({ id, code, name, ...counts }) => withRate({ branch: id && code && name ? { id, code, name } : null, ...counts })),
  };
}
