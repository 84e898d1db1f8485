import { and, asc, count, desc, eq, isNull, like, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import {
  branches,
  communes,
  people,
  provinces,
  registrationAnswers,
  registrationDecisions,
  registrations,
  type RegistrationStatus,
} from "../../db/schema.js";
import { findCriteriaSet, type FlowCatalog } from "../conversation/flowDefinitions.js";
import { indicatorIdOf, isCriteriaField } from "../conversation/sessionState.js";
import { scoreRegistration } from "../domain/scoring.js";
import type { Executor } from "../persistence/people.js";
import { foldedColumn, foldedContains } from "./foldedText.js";
import { mayReadPhones, registrationsInScope, type Actor, type AdminScope } from "./scope.js";

export type RegistrationFilter = {
  year: number;
  status?: RegistrationStatus | undefined;
  group?: string | undefined;
  province?: string | undefined;
  commune?: string | undefined;
  /** A branch id, or "none" for registrations not placed in any branch. */
  branch?: string | undefined;
  /** Part of the citizen's name or the branch code, with or without diacritics. */
  q?: string | undefined;
};

export type PlaceRef = { code: string; name: string };

export type RegistrationListItem = {
  id: string;
  year: number;
  status: RegistrationStatus;
  fullName: string | null;
  birthYear: number | null;
  gender: string | null;
  /** Present only for roles that may read phone numbers. */
  phone?: string | null;
  group: string | null;
  province: PlaceRef | null;
  commune: PlaceRef | null;
  branch: { id: string; code: string; name: string } | null;
  score: number | null;
  meets: boolean | null;
  submittedAt: Date | null;
  decidedAt: Date | null;
};

const registrationProvince = alias(provinces, "registration_province");
const registrationCommune = alias(communes, "registration_commune");

/**
 * Registrations matching a filter inside a scope (a filter narrows the scope, it never widens it): the admin lists
 * and exports, and the audiences of broadcasts. Without a year, every year.
 */
export function registrationFilterConditions(scope: AdminScope, filter: Omit<RegistrationFilter, "year" | "q"> & { year?: number | undefined }): SQL | undefined {
  const conditions: (SQL | undefined)[] = [registrationsInScope(scope)];
  if (filter.year !== undefined) conditions.push(eq(registrations.year, filter.year));
  if (filter.status) conditions.push(eq(registrations.status, filter.status));
  if (filter.group) conditions.push(eq(registrations.groupCode, filter.group));
  if (filter.province) conditions.push(eq(registrations.provinceCode, filter.province));
  if (filter.commune) conditions.push(eq(registrations.communeCode, filter.commune));
  if (filter.branch === "none") conditions.push(isNull(registrations.branchId));
  else if (filter.branch) conditions.push(eq(registrations.branchId, filter.branch));
  return and(...conditions);
}

/** The WHERE of a filtered list inside the actor's scope, with the search by name or branch code. */
export function registrationConditions(actor: Actor, filter: RegistrationFilter): SQL | undefined {
  const conditions: (SQL | undefined)[] = [registrationFilterConditions(actor.scope, filter)];
  if (filter.q?.trim()) {
    const pattern = foldedContains(filter.q);
    conditions.push(or(like(foldedColumn(people.fullName), pattern), like(sql`lower(${branches.code})`, pattern)));
  }
  return and(...conditions);
}

/** The select every registration read shares: the person, where they live, their branch. */
export function selectRegistrationRows(db: Executor) {
  return db
    .select({
      id: registrations.id,
      year: registrations.year,
      status: registrations.status,
      fullName: people.fullName,
      birthYear: people.birthYear,
      gender: people.gender,
      phone: people.phone,
      group: registrations.groupCode,
      provinceCode: registrations.provinceCode,
      provinceName: registrationProvince.fullName,
      communeCode: registrations.communeCode,
      communeName: registrationCommune.fullName,
      branchId: branches.id,
      branchCode: branches.code,
      branchName: branches.name,
      score: registrations.score,
      meets: registrations.meets,
      submittedAt: registrations.submittedAt,
      decidedAt: registrations.decidedAt,
      criteriaSetId: registrations.criteriaSetId,
      criteriaVersion: registrations.criteriaVersion,
      decisionReason: registrations.decisionReason,
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(registrationProvince, eq(registrationProvince.code, registrations.provinceCode))
    .leftJoin(registrationCommune, eq(registrationCommune.code, registrations.communeCode))
    .leftJoin(branches, eq(branches.id, registrations.branchId));
}

export type RegistrationRow = Awaited<ReturnType<typeof selectRegistrationRows>>[number];

export function toListItem(actor: Actor, row: RegistrationRow): RegistrationListItem {
  return {
    id: row.id,
    year: row.year,
    status: row.status,
    fullName: row.fullName,
    birthYear: row.birthYear,
    gender: row.gender,
    ...(mayReadPhones(actor) ? { phone: row.phone } : {}),
    group: row.group,
    province: row.provinceCode ? { code: row.provinceCode, name: row.provinceName ?? row.provinceCode } : null,
    commune: row.communeCode ? { code: row.communeCode, name: row.communeName ?? row.communeCode } : null,
    branch: row.branchId && row.branchCode && row.branchName ? { id: row.branchId, code: row.branchCode, name: row.branchName } : null,
    score: row.score,
    meets: row.meets,
    submittedAt: row.submittedAt,
    decidedAt: row.decidedAt,
  };
}

export type RegistrationPage = { items: RegistrationListItem[]; total: number; page: number; pageSize: number };

/** One page of registrations, newest submissions first (drafts by when they started). */
export async function listRegistrations(db: Executor, actor: Actor, filter: RegistrationFilter, paging: { page: number; pageSize: number }): Promise<RegistrationPage> {
  const where = registrationConditions(actor, filter);
  const [totalRow] = await db
    .select({ total: count() })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(branches, eq(branches.id, registrations.branchId))
    .where(where);
  const rows = await selectRegistrationRows(db)
    .where(where)
    .orderBy(desc(sql`coalesce(${registrations.submittedAt}, ${registrations.createdAt})`), asc(registrations.id))
    .limit(paging.pageSize)
    .offset((paging.page - 1) * paging.pageSize);
  return { items: rows.map((row) => toListItem(actor, row)), total: totalRow?.total ?? 0, page: paging.page, pageSize: paging.pageSize };
}

export type RegistrationDetail = RegistrationListItem & {
  answers: { field: string; raw: string; value: unknown; points: number | null; answeredAt: Date }[];
  scoreByCriterion: { criterion: number; points: number; max: number }[];
  criteriaSet: { id: string; version: number } | null;
  decisionReason: string | null;
  decisions: { round: number; action: string; reason: string | null; reopenedFields: string[] | null; decidedBy: string | null; decidedAt: Date }[];
};

/** One registration in the actor's scope with every answer as typed and as understood; null outside the scope. */
export async function registrationDetail(db: Executor, catalog: FlowCatalog, actor: Actor, id: string): Promise<RegistrationDetail | null> {
  const [row] = await selectRegistrationRows(db).where(and(eq(registrations.id, id), registrationsInScope(actor.scope)));
  if (!row) return null;
  const answers = await db
    .select({ field: registrationAnswers.field, raw: registrationAnswers.rawText, value: registrationAnswers.value, points: registrationAnswers.points, answeredAt: registrationAnswers.answeredAt })
    .from(registrationAnswers)
    .where(eq(registrationAnswers.registrationId, id))
    .orderBy(asc(registrationAnswers.answeredAt), asc(registrationAnswers.field));
  const decisionMaker = alias(people, "decision_maker");
  const decisions = await db
    .select({
      round: registrationDecisions.round,
      action: registrationDecisions.action,
      reason: registrationDecisions.reason,
      reopenedFields: registrationDecisions.reopenedFields,
      decidedBy: decisionMaker.fullName,
      decidedAt: registrationDecisions.decidedAt,
    })
    .from(registrationDecisions)
    .leftJoin(decisionMaker, eq(decisionMaker.id, registrationDecisions.decidedByPersonId))
    .where(eq(registrationDecisions.registrationId, id))
    .orderBy(asc(registrationDecisions.round));
  const set = row.criteriaSetId && row.criteriaVersion !== null ? findCriteriaSet(catalog, row.criteriaSetId, row.criteriaVersion) : undefined;
  const points = Object.fromEntries(answers.filter((answer) => isCriteriaField(answer.field)).map((answer) => [indicatorIdOf(answer.field), answer.points]));
  const visible = mayReadPhones(actor) ? answers : answers.filter((answer) => answer.field !== "phone");
  return {
    ...toListItem(actor, row),
    answers: visible,
    scoreByCriterion: set ? scoreRegistration(set, points).byCriterion : [],
    criteriaSet: set ? { id: set.id, version: set.version } : null,
    decisionReason: row.decisionReason,
    decisions,
  };
}
