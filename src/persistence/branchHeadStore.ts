import { randomBytes } from "node:crypto";
import { and, asc, count, eq, gt, inArray, isNull, ne } from "drizzle-orm";
import {
  branches,
  branchHeads,
  branchInvites,
  channelIdentities,
  decisionTokens,
  people,
  registrationAnswers,
  registrationDecisions,
  registrations,
  type CardStatus,
  type RegistrationStatus,
} from "../../db/schema.js";
import type { EffectOutcome, Recipient } from "../conversation/effectOutcomes.js";
import { isCriteriaField } from "../conversation/sessionState.js";
import type { CardFacts, DecisionCard, HeadFacts, PastDecision, TurnFacts } from "../conversation/turnFacts.js";
import type { ChannelIdentity, DecisionAction, Effect } from "../conversation/types.js";
import { ensurePerson, personIdOf, reachPerson, type Executor, type Transaction } from "./people.js";

type EffectOf<T extends Effect["type"]> = Extract<Effect, { type: T }>;

/** 128 random bits, base64url: what a decision button carries instead of anything guessable. */
export const newDecisionToken = () => randomBytes(16).toString("base64url");

const statusOfAction: Record<DecisionAction, RegistrationStatus> = { confirm: "confirmed", reject: "rejected", more: "needs_info" };

/**
 * What the engine must know before a turn: the branches this person heads (one query, paid by every turn), and
 * what a decision token stands for (only when the turn is about one).
 */
export async function loadTurnFacts(db: Executor, identity: ChannelIdentity, needs: { token?: string }, known?: { head: HeadFacts | null; personId: string | null }): Promise<TurnFacts> {
  // Read with the rest of the turn's context already (takeNextTurns): only a decision token needs more.
  if (known) {
    if (needs.token === undefined) return { head: known.head, card: null };
    return { head: known.head, card: known.personId ? await cardFactsFor(db, known.personId, needs.token) : { token: needs.token, status: "unknown" } };
  }
  const rows = await db
    .select({ personId: channelIdentities.personId, personName: people.fullName, id: branches.id, code: branches.code, name: branches.name })
    .from(channelIdentities)
    .innerJoin(branchHeads, eq(branchHeads.personId, channelIdentities.personId))
    .innerJoin(branches, eq(branches.id, branchHeads.branchId))
    .innerJoin(people, eq(people.id, branchHeads.personId))
    .where(and(eq(channelIdentities.channel, identity.channel), eq(channelIdentities.userId, identity.userId)))
    .orderBy(asc(branches.code));
  const head: HeadFacts | null = rows.length > 0 ? { name: rows[0]?.personName ?? null, branches: rows.map(({ id, code, name }) => ({ id, code, name })) } : null;
  if (needs.token === undefined) return { head, card: null };
  const me = rows[0]?.personId ?? (await personIdOf(db, identity));
  return { head, card: me ? await cardFactsFor(db, me, needs.token) : { token: needs.token, status: "unknown" } };
}

async function headFactsOf(db: Executor, personId: string): Promise<HeadFacts | null> {
  const rows = await db
    .select({ id: branches.id, code: branches.code, name: branches.name, personName: people.fullName })
    .from(branchHeads)
    .innerJoin(branches, eq(branches.id, branchHeads.branchId))
    .innerJoin(people, eq(people.id, branchHeads.personId))
    .where(eq(branchHeads.personId, personId))
    .orderBy(asc(branches.code));
  if (rows.length === 0) return null;
  return { name: rows[0]?.personName ?? null, branches: rows.map(({ id, code, name }) => ({ id, code, name })) };
}

async function isHeadOf(db: Executor, personId: string, branchId: string): Promise<boolean> {
  const rows = await db.select({ id: branchHeads.id }).from(branchHeads).where(and(eq(branchHeads.personId, personId), eq(branchHeads.branchId, branchId)));
  return rows.length > 0;
}

async function cardFactsFor(db: Executor, me: string, token: string): Promise<CardFacts> {
  const [bound] = await db.select().from(decisionTokens).where(eq(decisionTokens.token, token));
  if (!bound || bound.headPersonId !== me) return { token, status: "unknown" };
  const [registration] = await db
    .select({ id: registrations.id, branchId: registrations.branchId, status: registrations.status, round: registrations.submissionRound })
    .from(registrations)
    .where(eq(registrations.id, bound.registrationId));
  if (!registration) return { token, status: "unknown" };
  if (!registration.branchId || !(await isHeadOf(db, me, registration.branchId))) return { token, status: "notHead" };
  const card = (await loadDecisionCards(db, [registration.id])).get(registration.id);
  if (!card) return { token, status: "unknown" };
  if (registration.status === "submitted" && registration.round === bound.round) return { token, status: "open", card };
  return { token, status: "closed", card, decision: await pastDecision(db, registration.id, bound.round, me) };
}

async function pastDecision(db: Executor, registrationId: string, round: number, me: string | null): Promise<PastDecision | null> {
  const [row] = await db
    .select({ action: registrationDecisions.action, at: registrationDecisions.decidedAt, by: registrationDecisions.decidedByPersonId, name: people.fullName })
    .from(registrationDecisions)
    .leftJoin(people, eq(people.id, registrationDecisions.decidedByPersonId))
    .where(and(eq(registrationDecisions.registrationId, registrationId), eq(registrationDecisions.round, round)));
  return row ? { action: row.action, byName: row.name, byMe: row.by !== null && row.by === me, at: row.at.getTime() } : null;
}

/** Registrations as cards: who (name, birth year, group, village), where (branch) and the self-assessed result. */
export async function loadDecisionCards(db: Executor, registrationIds: string[]): Promise<Map<string, DecisionCard>> {
  if (registrationIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: registrations.id,
      round: registrations.submissionRound,
      year: registrations.year,
      flowId: registrations.flowId,
      flowVersion: registrations.flowVersion,
      criteriaSetId: registrations.criteriaSetId,
      criteriaVersion: registrations.criteriaVersion,
      groupCode: registrations.groupCode,
      score: registrations.score,
      meets: registrations.meets,
      submittedAt: registrations.submittedAt,
      fullName: people.fullName,
      birthYear: people.birthYear,
      branchName: branches.name,
    })
    .from(registrations)
    .innerJoin(people, eq(people.id, registrations.personId))
    .leftJoin(branches, eq(branches.id, registrations.branchId))
    .where(inArray(registrations.id, registrationIds));
  const villages = await db
    .select({ registrationId: registrationAnswers.registrationId, value: registrationAnswers.value })
    .from(registrationAnswers)
    .where(and(inArray(registrationAnswers.registrationId, registrationIds), eq(registrationAnswers.field, "village")));
  const villageOf = new Map(villages.map((row) => [row.registrationId, typeof row.value === "string" ? row.value : null]));
  return new Map(
    rows.map((row) => [
      row.id,
      {
        registrationId: row.id,
        round: row.round,
        year: row.year,
        branchName: row.branchName ?? "",
        fullName: row.fullName,
        birthYear: row.birthYear,
        groupCode: row.groupCode,
        village: villageOf.get(row.id) ?? null,
        score: row.score,
        meets: row.meets,
        flow: { id: row.flowId, version: row.flowVersion },
        criteriaSet: row.criteriaSetId && row.criteriaVersion !== null ? { id: row.criteriaSetId, version: row.criteriaVersion } : null,
        submittedAt: row.submittedAt?.getTime() ?? null,
      },
    ]),
  );
}

/**
 * "chihoi <code>": the invite is spent by a conditional update (unused, not expired) in the turn's transaction, so
 * two people sending the same code at once cannot both become heads. Every failure reads the same.
 */
export async function applyClaimBranch(tx: Transaction, identity: ChannelIdentity, effect: EffectOf<"claimBranch">): Promise<EffectOutcome> {
  const at = new Date(effect.at);
  const [invite] = await tx
    .select({ id: branchInvites.id, branchId: branchInvites.branchId, usedAt: branchInvites.usedAt, expiresAt: branchInvites.expiresAt, branchName: branches.name })
    .from(branchInvites)
    .innerJoin(branches, eq(branches.id, branchInvites.branchId))
    .where(eq(branchInvites.code, effect.inviteCode));
  if (!invite) return { type: "branchClaim", result: "invalid" };
  const existing = await personIdOf(tx, identity);
  if (existing && (await isHeadOf(tx, existing, invite.branchId))) {
    return { type: "branchClaim", result: "alreadyHead", branchName: invite.branchName, needsName: await lacksName(tx, existing) };
  }
  if (invite.usedAt !== null || invite.expiresAt.getTime() <= at.getTime()) return { type: "branchClaim", result: "invalid" };
  const personId = await ensurePerson(tx, identity, effect.locale);
  const spent = await tx
    .update(branchInvites)
    .set({ usedAt: at, usedByPersonId: personId })
    .where(and(eq(branchInvites.id, invite.id), isNull(branchInvites.usedAt), gt(branchInvites.expiresAt, at)))
    .returning({ id: branchInvites.id });
  if (spent.length === 0) return { type: "branchClaim", result: "invalid" };
  await tx.insert(branchHeads).values({ branchId: invite.branchId, personId, createdAt: at }).onConflictDoNothing();
  return { type: "branchClaim", result: "claimed", branchName: invite.branchName, needsName: await lacksName(tx, personId) };
}

async function lacksName(tx: Executor, personId: string): Promise<boolean> {
  const [person] = await tx.select({ fullName: people.fullName }).from(people).where(eq(people.id, personId));
  return !person?.fullName;
}

export async function applySetHeadName(tx: Transaction, identity: ChannelIdentity, effect: EffectOf<"setHeadName">): Promise<void> {
  const personId = await personIdOf(tx, identity);
  if (personId) await tx.update(people).set({ fullName: effect.name, updatedAt: new Date() }).where(eq(people.id, personId));
}

/**
 * A head's decision. Only the head the token was made for, still a head of the registration's branch, and only
 * while the registration is submitted in the token's round: the conditional update makes the first decision win
 * (a concurrent one waits for it, then matches no row) and every later tap learns who decided and when.
 */
export async function applyDecision(tx: Transaction, identity: ChannelIdentity, effect: EffectOf<"decideRegistration">): Promise<EffectOutcome> {
  const refused = { type: "decision", result: "refused" } as const;
  const me = await personIdOf(tx, identity);
  const [bound] = await tx.select().from(decisionTokens).where(eq(decisionTokens.token, effect.token));
  if (!me || !bound || bound.headPersonId !== me) return refused;
  const [registration] = await tx
    .select({ id: registrations.id, branchId: registrations.branchId, personId: registrations.personId })
    .from(registrations)
    .where(eq(registrations.id, bound.registrationId));
  if (!registration?.branchId || !(await isHeadOf(tx, me, registration.branchId))) return refused;
  const at = new Date(effect.at);
  const reason = effect.action === "confirm" ? null : effect.reason;
  const decided = await tx
    .update(registrations)
    .set({ status: statusOfAction[effect.action], decidedAt: at, decidedByPersonId: me, decisionReason: reason, updatedAt: at })
    .where(and(eq(registrations.id, registration.id), eq(registrations.status, "submitted"), eq(registrations.submissionRound, bound.round)))
    .returning({ id: registrations.id });
  if (decided.length === 0) return { type: "decision", result: "alreadyDecided", decision: await pastDecision(tx, registration.id, bound.round, me) };
  const reopen = effect.action === "more" ? effect.reopenFields.filter(isCriteriaField) : [];
  await tx.insert(registrationDecisions).values({
    registrationId: registration.id,
    round: bound.round,
    action: effect.action,
    reason,
    reopenedFields: reopen.length > 0 ? reopen : null,
    decidedByPersonId: me,
    decidedAt: at,
  });
  // Reopened answers are cleared: the citizen's session, rebuilt from the database, asks exactly them again.
  if (reopen.length > 0) {
    await tx.delete(registrationAnswers).where(and(eq(registrationAnswers.registrationId, registration.id), inArray(registrationAnswers.field, reopen)));
  }
  const card = (await loadDecisionCards(tx, [registration.id])).get(registration.id);
  if (!card) throw new Error("a decided registration has no card");
  const citizen = await reachPerson(tx, registration.personId, at);
  return { type: "decision", result: "decided", action: effect.action, reason, reopenFields: reopen, card, citizen: citizen?.recipient ?? null };
}

/** The token of a head for a registration's current round, made on first need. */
async function tokenFor(tx: Transaction, registrationId: string, headPersonId: string, round: number, cardStatus: CardStatus): Promise<string> {
  await tx.insert(decisionTokens).values({ token: newDecisionToken(), registrationId, headPersonId, round, cardStatus }).onConflictDoNothing();
  const [row] = await tx
    .select({ token: decisionTokens.token })
    .from(decisionTokens)
    .where(and(eq(decisionTokens.registrationId, registrationId), eq(decisionTokens.headPersonId, headPersonId), eq(decisionTokens.round, round)));
  if (!row) throw new Error("could not make a decision token");
  return row.token;
}

export type SubmittedRegistration = { id: string; branchId: string | null; personId: string; round: number };

/**
 * After a submission: a fresh token and a card for every head of the branch (never the citizen themself). A head
 * outside their messaging window gets no message now: the card is held for the digest and "danh sách".
 */
export async function notifyBranchHeads(tx: Transaction, registrationId: string, now: Date): Promise<EffectOutcome> {
  const [registration] = await tx
    .select({ id: registrations.id, branchId: registrations.branchId, personId: registrations.personId, round: registrations.submissionRound })
    .from(registrations)
    .where(eq(registrations.id, registrationId));
  return registration ? notifyHeadsOf(tx, registration, now) : { type: "submission", card: null, cards: [] };
}

/** notifyBranchHeads for a registration already read (as the submission's update returns it). */
export async function notifyHeadsOf(tx: Transaction, registration: SubmittedRegistration, now: Date): Promise<EffectOutcome> {
  const registrationId = registration.id;
  if (!registration.branchId) return { type: "submission", card: null, cards: [] };
  const heads = await tx
    .select({ personId: branchHeads.personId })
    .from(branchHeads)
    .where(and(eq(branchHeads.branchId, registration.branchId), ne(branchHeads.personId, registration.personId)));
  const card = (await loadDecisionCards(tx, [registrationId])).get(registrationId) ?? null;
  const cards: { recipient: Recipient; token: string }[] = [];
  for (const head of heads) {
    const reach = await reachPerson(tx, head.personId, now);
    const open = reach?.windowOpen ?? false;
    const token = await tokenFor(tx, registrationId, head.personId, registration.round, open ? "sent" : "held");
    if (reach && open) cards.push({ recipient: reach.recipient, token });
  }
  return { type: "submission", card, cards };
}

/** Submitted registrations of the branches a person heads (their own excepted), oldest first. */
export async function pendingForHead(db: Executor, personId: string, page: { limit: number; offset: number }): Promise<{ total: number; ids: string[] }> {
  const headed = db.select({ id: branchHeads.branchId }).from(branchHeads).where(eq(branchHeads.personId, personId));
  const where = and(inArray(registrations.branchId, headed), eq(registrations.status, "submitted"), ne(registrations.personId, personId));
  const [{ total } = { total: 0 }] = await db.select({ total: count() }).from(registrations).where(where);
  const rows = await db
    .select({ id: registrations.id })
    .from(registrations)
    .where(where)
    .orderBy(asc(registrations.submittedAt), asc(registrations.id))
    .limit(page.limit)
    .offset(page.offset);
  return { total, ids: rows.map((row) => row.id) };
}

export async function applyListPending(tx: Transaction, identity: ChannelIdentity, effect: EffectOf<"listPendingRegistrations">): Promise<EffectOutcome> {
  const me = await personIdOf(tx, identity);
  if (!me) return { type: "pendingList", page: 1, pageSize: effect.pageSize, total: 0, items: [] };
  let page = effect.page;
  let pending = await pendingForHead(tx, me, { limit: effect.pageSize, offset: (page - 1) * effect.pageSize });
  if (pending.ids.length === 0 && pending.total > 0) {
    // An old "Xem thêm" after decisions shrank the list: show the last page there is.
    page = Math.ceil(pending.total / effect.pageSize);
    pending = await pendingForHead(tx, me, { limit: effect.pageSize, offset: (page - 1) * effect.pageSize });
  }
  const cards = await loadDecisionCards(tx, pending.ids);
  const items: { token: string; card: DecisionCard }[] = [];
  for (const id of pending.ids) {
    const card = cards.get(id);
    if (card) items.push({ token: await tokenFor(tx, id, me, card.round, "listed"), card });
  }
  return { type: "pendingList", page, pageSize: effect.pageSize, total: pending.total, items };
}

export async function applyBranchStats(tx: Transaction, identity: ChannelIdentity, effect: EffectOf<"reportBranchStats">): Promise<EffectOutcome> {
  const me = await personIdOf(tx, identity);
  const head = me ? await headFactsOf(tx, me) : null;
  if (!head) return { type: "branchStats", year: effect.year, branches: [] };
  const rows = await tx
    .select({ branchId: registrations.branchId, status: registrations.status, total: count() })
    .from(registrations)
    .where(and(inArray(registrations.branchId, head.branches.map((branch) => branch.id)), eq(registrations.year, effect.year)))
    .groupBy(registrations.branchId, registrations.status);
  return {
    type: "branchStats",
    year: effect.year,
    branches: head.branches.map((branch) => ({
      name: branch.name,
      counts: Object.fromEntries(rows.filter((row) => row.branchId === branch.id).map((row) => [row.status, row.total])),
    })),
  };
}
