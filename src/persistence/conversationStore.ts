import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import {
  branches,
  formerCommunes,
  communes,
  consentRecords,
  conversationSessions,
  inboundEvents,
  outboundMessages,
  people,
  provinces,
  registrationAnswers,
  registrationDecisions,
  registrations,
  type RegistrationStatus,
} from "../../db/schema.js";
import type { EffectOutcome, RenderOutcome } from "../conversation/effectOutcomes.js";
import type { HeadFacts } from "../conversation/turnFacts.js";
import { placeCode } from "../conversation/prompts.js";
import { sessionStateSchema, type SessionState } from "../conversation/sessionState.js";
import type { OutboxItem, RecordResult } from "../conversation/ports.js";
import type { ChannelIdentity, Effect, InboundEvent, JsonValue, OutboundMessage } from "../conversation/types.js";
import type { BranchEntry, CommuneEntry, FormerCommuneEntry, ProvinceEntry } from "../conversation/world.js";
import { applyBranchStats, applyClaimBranch, applyDecision, applyListPending, applySetHeadName, notifyHeadsOf } from "./branchHeadStore.js";
import type { Database } from "./openDatabase.js";
import { ensurePerson, forgetPeople, personIdOf, rememberPerson, type Transaction } from "./people.js";
import { runStatement } from "./runStatement.js";
import { sanitizeForDatabase } from "./sanitizeForDatabase.js";
import { answerTurnOf, commitAnswerTurns, type AnswerTurn } from "./commitAnswerTurn.js";

const recordEventsStatement = `
    with input as (
      select * from jsonb_to_recordset($1::jsonb)
        as i(n int, channel text, event_id text, user_id text, event jsonb, at timestamptz, touch boolean)
    ), inserted as (
      insert into inbound_events (channel, event_id, user_id, event)
      select channel, event_id, user_id, event from input order by n
      on conflict do nothing
      returning id, channel, event_id
    ), touched as (
      insert into channel_identities (channel, user_id, last_inbound_at)
      select i.channel, i.user_id, max(i.at) from input i join inserted x on x.channel = i.channel and x.event_id = i.event_id
      where i.touch group by i.channel, i.user_id
      on conflict (channel, user_id) do update
        set last_inbound_at = greatest(channel_identities.last_inbound_at, excluded.last_inbound_at), unreachable_at = null, outside_window_at = null
    )
    select id, channel, event_id from inserted`;

/**
 * Records inbound events once per (channel, eventId) and notes each person's last interaction, in one statement
 * (its data-modifying parts commit together): an identity is touched only for an event that is new, and not for an
 * unfollow. Events get ids in the order given; a repeat of an event (recorded before, or earlier in this call) is a
 * duplicate.
 */
export async function recordInboundEvents(db: Database, received: readonly InboundEvent[]): Promise<RecordResult[]> {
  if (received.length === 0) return [];
  const rows = received.map((one, index) => {
    const event = { ...sanitizeForDatabase(one), at: plausibleTime(one.at) };
    return { n: index, channel: event.channel, event_id: event.eventId, user_id: event.userId, event, at: new Date(event.at).toISOString(), touch: event.kind !== "unfollow" };
  });
  const inserted = await runStatement<{ id: number | string; channel: string; event_id: string }>(db, recordEventsStatement, [JSON.stringify(rows)]);
  const ids = new Map(inserted.map((row) => [`${row.channel}\u0000${row.event_id}`, Number(row.id)]));
  return rows.map((row): RecordResult => {
    const key = `${row.channel}\u0000${row.event_id}`;
    const id = ids.get(key);
    if (id === undefined) return { status: "duplicate" };
    ids.delete(key); // a second copy in the same call is the duplicate
    return { status: "recorded", id };
  });
}

/**
 * A platform's timestamp as a time we can store and trust: one that is not a number, is out of range or lies more
 * than a few minutes ahead becomes now (a far-future "last message" would hold the messaging window open for ever).
 */
function plausibleTime(at: number, now = Date.now()): number {
  return Number.isFinite(at) && at > 0 && at <= now + 5 * 60_000 ? at : now;
}

export type PendingEvent = { id: number; event: InboundEvent };

/** A try that was fenced off (not the event's fault) does not count towards dead-lettering. */
export async function uncountTurnAttempt(db: Database, inboundId: number): Promise<void> {
  await db
    .update(inboundEvents)
    .set({ attempts: sql`greatest(${inboundEvents.attempts} - 1, 0)` })
    .where(and(eq(inboundEvents.id, inboundId), isNull(inboundEvents.processedAt)));
}

/**
 * Gives up on an event whose turn keeps failing: it leaves the inbox (so the person's next message is handled),
 * keeps its error class for the operators, and the person gets the apology in the same transaction's outbox.
 */
export async function deadLetterEvent(db: Database, turn: { identity: ChannelIdentity; inboundId: number; errorClass: string; apology: OutboundMessage }): Promise<OutboxItem[]> {
  return db.transaction(async (tx) => {
    const marked = await tx
      .update(inboundEvents)
      .set({ processedAt: new Date(), deadLetteredAt: new Date(), errorClass: turn.errorClass })
      .where(and(eq(inboundEvents.id, turn.inboundId), isNull(inboundEvents.processedAt)))
      .returning({ id: inboundEvents.id });
    if (marked.length === 0) return [];
    return [await insertOutboxRow(tx, turn.identity, turn.apology, turn.inboundId)];
  });
}

/**
 * Recipients with outbox rows committed a while ago and still pending, for the relay: their turn committed but the
 * process died before handing them to delivery (or delivery has not got to them yet). One item per recipient, their
 * newest pending row: delivery sends all of a recipient's pending rows in order. Only channels that can deliver.
 */
export async function pendingOutboxOlderThan(db: Database, olderThan: Date, channels: readonly string[], limit = 1000): Promise<OutboxItem[]> {
  if (channels.length === 0) return [];
  const rows = await db
    .selectDistinctOn([outboundMessages.channel, outboundMessages.userId], {
      id: outboundMessages.id,
      channel: outboundMessages.channel,
      userId: outboundMessages.userId,
      message: outboundMessages.message,
    })
    .from(outboundMessages)
    .where(and(eq(outboundMessages.status, "pending"), lt(outboundMessages.createdAt, olderThan), inArray(outboundMessages.channel, [...channels])))
    .orderBy(outboundMessages.channel, outboundMessages.userId, desc(outboundMessages.id))
    .limit(limit);
  return rows.map((row) => ({ id: row.id, channel: row.channel as OutboxItem["channel"], userId: row.userId, message: row.message as OutboundMessage }));
}

/** People with events recorded but not handled for a while: a process died between recording and handling. */
export async function stalledIdentities(db: Database, olderThan: Date): Promise<ChannelIdentity[]> {
  const rows = await db
    .selectDistinct({ channel: inboundEvents.channel, userId: inboundEvents.userId })
    .from(inboundEvents)
    .where(and(isNull(inboundEvents.processedAt), lt(inboundEvents.receivedAt, olderThan)))
    .limit(500);
  return rows as ChannelIdentity[];
}

export type PersonSnapshot = {
  personId: string;
  locale: string;
  consentAt: number | null;
  registration: {
    status: RegistrationStatus;
    flowId: string;
    flowVersion: number;
    criteriaSetId: string | null;
    criteriaVersion: number | null;
    decisionReason: string | null;
    /** The items a branch head reopened ("Cần bổ sung") when the status is needs_info. */
    reopened: string[];
    answers: Record<string, { raw: string; value: JsonValue; points: number | null }>;
  } | null;
};

/** What the database knows of a person for a year: enough to rebuild a lost session. */
export async function loadPersonSnapshot(db: Database, identity: ChannelIdentity, year: number): Promise<PersonSnapshot | null> {
  const personId = await personIdOf(db, identity);
  if (!personId) return null;
  const [person] = await db.select({ locale: people.locale }).from(people).where(eq(people.id, personId));
  if (!person) return null;
  const [consent] = await db
    .select({ at: consentRecords.at })
    .from(consentRecords)
    .where(and(eq(consentRecords.personId, personId), eq(consentRecords.granted, true), isNull(consentRecords.guardianConsent)))
    .orderBy(sql`${consentRecords.at} desc`)
    .limit(1);
  const [registration] = await db.select().from(registrations).where(and(eq(registrations.personId, personId), eq(registrations.year, year)));
  let snapshotRegistration: PersonSnapshot["registration"] = null;
  if (registration) {
    const answers = await db.select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, registration.id));
    const [decision] =
      registration.status === "needs_info"
        ? await db
            .select({ reopened: registrationDecisions.reopenedFields })
            .from(registrationDecisions)
            .where(eq(registrationDecisions.registrationId, registration.id))
            .orderBy(desc(registrationDecisions.round))
            .limit(1)
        : [];
    snapshotRegistration = {
      status: registration.status,
      flowId: registration.flowId,
      flowVersion: registration.flowVersion,
      criteriaSetId: registration.criteriaSetId,
      criteriaVersion: registration.criteriaVersion,
      decisionReason: registration.decisionReason,
      reopened: decision?.reopened ?? [],
      answers: Object.fromEntries(answers.map((a) => [a.field, { raw: a.rawText, value: (a.value ?? null) as JsonValue, points: a.points }])),
    };
  }
  return { personId, locale: person.locale, consentAt: consent ? consent.at.getTime() : null, registration: snapshotRegistration };
}

/** A person's stored conversation; `state` is null when the stored one can no longer be read (an older shape). */
export type StoredConversation = { state: SessionState | null; version: number };

/** What a turn reads before it runs, fetched in one round trip. */
export type TurnContext = {
  stored: StoredConversation | null;
  personId: string | null;
  /** The person's registration status per year (a branch head's decision is seen at the next turn). */
  statusByYear: Record<string, RegistrationStatus>;
  /** The branches this person heads (null: none), as loadTurnFacts reports them. */
  head: HeadFacts | null;
};

type TurnContextRow = {
  state: unknown;
  version: number | null;
  person_id: string | null;
  statuses: Record<string, RegistrationStatus> | null;
  heads: { id: string; code: string; name: string; personName: string | null }[] | null;
};

/**
 * Each person's oldest pending event, its try counted, with what its turn reads (state, person, statuses per year,
 * headships); $1: [{channel, user_id}].
 */
const takeNextTurnsStatement = `
  with wanted as (
    select distinct channel, user_id from jsonb_to_recordset($1::jsonb) as w(channel text, user_id text)
  ), oldest as (
    select (select p.id from inbound_events p
            where p.channel = w.channel and p.user_id = w.user_id and p.processed_at is null
            order by p.id limit 1) as id
    from wanted w
  ), next as (
    update inbound_events e set attempts = e.attempts + 1
    from oldest
    where e.id = oldest.id and e.processed_at is null
    returning e.id, e.event, e.attempts, e.channel, e.user_id
  )
  select next.id, next.event, next.attempts, next.channel, next.user_id, s.state, s.version, ci.person_id,
    (select json_object_agg(r.year, r.status) from registrations r where r.person_id = ci.person_id) as statuses,
    (select json_agg(json_build_object('id', b.id, 'code', b.code, 'name', b.name, 'personName', p.full_name) order by b.code)
       from branch_heads bh join branches b on b.id = bh.branch_id join people p on p.id = bh.person_id
       where bh.person_id = ci.person_id) as heads
  from next
    left join conversation_sessions s on s.channel = next.channel and s.user_id = next.user_id
    left join channel_identities ci on ci.channel = next.channel and ci.user_id = next.user_id`;

function turnContextOf(row: TurnContextRow): TurnContext {
  const parsed = row.version === null ? null : sessionStateSchema.safeParse(row.state);
  const heads = row.heads ?? [];
  return {
    stored: parsed && row.version !== null ? { state: parsed.success ? parsed.data : null, version: row.version } : null,
    personId: row.person_id,
    statusByYear: row.statuses ?? {},
    head: heads.length > 0 ? { name: heads[0]?.personName ?? null, branches: heads.map(({ id, code, name }) => ({ id, code, name })) } : null,
  };
}

export type TakenTurn = { pending: PendingEvent & { attempts: number }; context: TurnContext };

/**
 * Each person's oldest pending event with one more try counted on it, and what its turn must read (its
 * TurnContext), in one statement for them all; null for a person whose inbox is empty. The caller holds each
 * person's turn lock.
 */
export async function takeNextTurns(db: Database, identities: readonly ChannelIdentity[]): Promise<(TakenTurn | null)[]> {
  if (identities.length === 0) return [];
  const wanted = identities.map((identity) => ({ channel: identity.channel, user_id: identity.userId }));
  const rows = await runStatement<TurnContextRow & { id: number | string; event: unknown; attempts: number; channel: string; user_id: string }>(db, takeNextTurnsStatement, [
    JSON.stringify(wanted),
  ]);
  const taken = new Map(
    rows.map((row) => [
      `${row.channel}\u0000${row.user_id}`,
      { pending: { id: Number(row.id), event: row.event as InboundEvent, attempts: row.attempts }, context: turnContextOf(row) },
    ]),
  );
  return identities.map((identity) => taken.get(`${identity.channel}\u0000${identity.userId}`) ?? null);
}

/** Forgets conversations untouched since `before` (their registrations stay; a later message rebuilds from them). */
export async function purgeIdleConversations(db: Database, before: Date): Promise<number> {
  const removed = await db.delete(conversationSessions).where(lt(conversationSessions.updatedAt, before)).returning({ version: conversationSessions.version });
  return removed.length;
}

/**
 * Data minimisation for the inbox: handled events older than `textsBefore` lose what was typed (the row stays, so a
 * late redelivery is still recognised); handled events older than `rowsBefore` go. Pending events are never touched.
 */
export async function purgeHandledEvents(db: Database, cutoffs: { textsBefore: Date; rowsBefore: Date }): Promise<{ stripped: number; deleted: number }> {
  const stripped = await db
    .update(inboundEvents)
    .set({ event: sql`jsonb_build_object('kind', ${inboundEvents.event}->'kind', 'purged', true)` })
    .where(and(lt(inboundEvents.receivedAt, cutoffs.textsBefore), sql`${inboundEvents.processedAt} is not null`, sql`not (${inboundEvents.event} ? 'purged')`))
    .returning({ id: inboundEvents.id });
  const deleted = await db
    .delete(inboundEvents)
    .where(and(lt(inboundEvents.receivedAt, cutoffs.rowsBefore), sql`${inboundEvents.processedAt} is not null`))
    .returning({ id: inboundEvents.id });
  return { stripped: stripped.length, deleted: deleted.length };
}

export type TurnCommit = {
  identity: ChannelIdentity;
  inboundId: number;
  effects: Effect[];
  /** Words for the effects whose outcome only the database knows (a claimed invite, a decision that won or lost). */
  render: RenderOutcome;
  /** The state the turn ends in, fenced by the version it started from (0: there was none); removed after "xóa dữ liệu". */
  session: { state: SessionState; expectedVersion: number; remove: boolean };
  /** The person behind the identity when the turn read its context (under the turn lock). */
  personId?: string | null;
};

export type TurnCommitResult = { status: "committed"; outbox: OutboxItem[]; version: number; more: boolean } | { status: "already processed" } | { status: "stale" };

class AlreadyProcessed extends Error {}
class StaleTurn extends Error {}

/** Writes the turn's end state if the stored version is still the one the turn read; throws StaleTurn otherwise. */
async function fenceSession(tx: Transaction, identity: ChannelIdentity, session: TurnCommit["session"]): Promise<number> {
  const where = and(eq(conversationSessions.channel, identity.channel), eq(conversationSessions.userId, identity.userId), eq(conversationSessions.version, session.expectedVersion));
  if (session.remove) {
    if (session.expectedVersion > 0 && (await tx.delete(conversationSessions).where(where).returning({ version: conversationSessions.version })).length === 0) throw new StaleTurn();
    return 0;
  }
  const version = session.expectedVersion + 1;
  const written =
    session.expectedVersion === 0
      ? await tx
          .insert(conversationSessions)
          .values({ channel: identity.channel, userId: identity.userId, state: session.state, version })
          .onConflictDoNothing()
          .returning({ version: conversationSessions.version })
      : await tx.update(conversationSessions).set({ state: session.state, version, updatedAt: new Date() }).where(where).returning({ version: conversationSessions.version });
  if (written.length === 0) throw new StaleTurn();
  return version;
}

/**
 * Applies one turn atomically: the person's data changes, the outbox rows of the replies (and of the messages to
 * others: cards to branch heads, a decision to the citizen), the conversation's new state and the event marked
 * handled. If another process handled the event first, or wrote a newer state since this turn read it (a lock that
 * expired mid-turn), nothing is written. Replies chosen by an effect's outcome come before the engine's own.
 */
export async function commitTurn(
  db: Database,
  turn: TurnCommit,
  /** How a turn of the common shape is committed: alone by default, or through a batcher sharing the statement. */
  commitAnswers: (answerTurn: AnswerTurn) => Promise<TurnCommitResult> = async (answerTurn) => (await commitAnswerTurns(db, [answerTurn]))[0]!,
): Promise<TurnCommitResult> {
  const answerTurn = answerTurnOf(turn);
  return answerTurn ? commitAnswers(answerTurn) : commitTurnInTransaction(db, turn);
}

/** commitTurn's transaction, for a turn of any shape (answerTurnOf turns commit in one statement instead). */
async function commitTurnInTransaction(db: Database, turn: TurnCommit): Promise<TurnCommitResult> {
  try {
    return await db.transaction(async (tx) => {
      const marked = await tx
        .update(inboundEvents)
        .set({ processedAt: new Date() })
        .where(and(eq(inboundEvents.id, turn.inboundId), isNull(inboundEvents.processedAt)))
        .returning({
          id: inboundEvents.id,
          // Whether the person wrote more meanwhile: if not, the drain ends without asking again. (One recorded
          // after this statement finds the lock held, and its own drain takes the lock once it is released.)
          more: sql<boolean>`exists (select 1 from inbound_events later where later.channel = ${turn.identity.channel} and later.user_id = ${turn.identity.userId} and later.processed_at is null and later.id <> ${turn.inboundId})`,
        });
      if (marked.length === 0) throw new AlreadyProcessed();
      const more = marked[0]!.more;
      if (turn.personId) rememberPerson(tx, turn.identity, turn.personId);
      const version = await fenceSession(tx, turn.identity, turn.session);
      const messages: OutboundMessage[] = [];
      const notifications: { recipient: ChannelIdentity; message: OutboundMessage }[] = [];
      for (const effect of turn.effects) {
        if (effect.type === "reply") {
          messages.push(...effect.messages);
          continue;
        }
        const outcome = await applyEffect(tx, turn.identity, effect);
        if (!outcome) continue;
        const rendered = turn.render(outcome);
        messages.push(...rendered.replies);
        notifications.push(...rendered.notifications);
      }
      // Messages to others are not replies: no inbound event, so channels treat them as proactive.
      const outbox = await insertOutboxRows(tx, [
        ...messages.map((message) => ({ recipient: turn.identity, message, inboundEventId: turn.inboundId })),
        ...notifications.map(({ recipient, message }) => ({ recipient, message, inboundEventId: null })),
      ]);
      return { status: "committed", outbox, version, more } as const;
    });
  } catch (error) {
    if (error instanceof AlreadyProcessed) return { status: "already processed" };
    if (error instanceof StaleTurn) return { status: "stale" };
    throw error;
  }
}

/** Outbox rows in one statement, in the given order (ids ascending); web chat rows count as sent at once. */
export async function insertOutboxRows(
  tx: Transaction | Database,
  rows: readonly { recipient: ChannelIdentity; message: OutboundMessage; inboundEventId: number | null }[],
): Promise<OutboxItem[]> {
  if (rows.length === 0) return [];
  const now = new Date();
  const inserted = await tx
    .insert(outboundMessages)
    .values(
      rows.map(({ recipient, message, inboundEventId }) => {
        const delivered = recipient.channel === "web";
        return { channel: recipient.channel, userId: recipient.userId, inboundEventId, message, status: delivered ? ("sent" as const) : ("pending" as const), sentAt: delivered ? now : null };
      }),
    )
    .returning({ id: outboundMessages.id });
  if (inserted.length !== rows.length) throw new Error("could not write the outbox rows");
  // A multi-row insert takes its ids from the sequence in the order of its rows.
  const ids = inserted.map((row) => row.id).sort((a, b) => a - b);
  return rows.map(({ recipient, message }, index) => ({ id: ids[index]!, channel: recipient.channel, userId: recipient.userId, message }));
}

/** One outbox row; the web chat reads its rows back itself, so they count as sent at once. */
export async function insertOutboxRow(tx: Transaction | Database, recipient: ChannelIdentity, message: OutboundMessage, inboundEventId: number | null): Promise<OutboxItem> {
  const delivered = recipient.channel === "web";
  const [row] = await tx
    .insert(outboundMessages)
    .values({ channel: recipient.channel, userId: recipient.userId, inboundEventId, message, status: delivered ? "sent" : "pending", sentAt: delivered ? new Date() : null })
    .returning({ id: outboundMessages.id });
  if (!row) throw new Error("could not write an outbox row");
  return { id: row.id, channel: recipient.channel, userId: recipient.userId, message };
}

async function registrationFor(tx: Transaction, personId: string, effect: Extract<Effect, { type: "saveAnswer" }>): Promise<string> {
  const [row] = await tx
    .insert(registrations)
    .values({
      personId,
      year: effect.year,
      flowId: effect.flow.id,
      flowVersion: effect.flow.version,
      criteriaSetId: effect.criteriaSet?.id ?? null,
      criteriaVersion: effect.criteriaSet?.version ?? null,
    })
    .onConflictDoUpdate({
      target: [registrations.personId, registrations.year],
      set: {
        criteriaSetId: effect.criteriaSet?.id ?? null,
        criteriaVersion: effect.criteriaSet?.version ?? null,
        status: sql`case when ${registrations.status} = 'cancelled' then 'draft' else ${registrations.status} end`,
        updatedAt: new Date(),
      },
    })
    .returning({ id: registrations.id });
  if (!row) throw new Error("could not upsert the registration");
  return row.id;
}

/** Person columns kept in step with the answers of the same name. */
const personColumnOf: Record<string, "fullName" | "birthYear" | "gender" | "phone"> = {
  fullName: "fullName",
  birthYear: "birthYear",
  gender: "gender",
  phone: "phone",
};

async function applyEffect(tx: Transaction, identity: ChannelIdentity, effect: Exclude<Effect, { type: "reply" }>): Promise<EffectOutcome | null> {
  switch (effect.type) {
    case "recordConsent": {
      const personId = await ensurePerson(tx, identity, effect.locale);
      await tx.insert(consentRecords).values({
        personId,
        channel: identity.channel,
        userId: identity.userId,
        noticeVersion: effect.noticeVersion,
        granted: effect.granted,
        guardianConsent: effect.guardianConsent ?? null,
        at: new Date(effect.at),
      });
      return null;
    }
    case "saveAnswer": {
      const personId = await ensurePerson(tx, identity);
      const registrationId = await registrationFor(tx, personId, effect);
      await tx
        .insert(registrationAnswers)
        .values({ registrationId, field: effect.field, rawText: effect.raw, value: effect.value, points: effect.points })
        .onConflictDoUpdate({
          target: [registrationAnswers.registrationId, registrationAnswers.field],
          set: { rawText: effect.raw, value: effect.value, points: effect.points, answeredAt: new Date() },
        });
      const column = personColumnOf[effect.field];
      if (column) await tx.update(people).set({ [column]: effect.value, updatedAt: new Date() }).where(eq(people.id, personId));
      if (effect.field === "branch") {
        const value = effect.value;
        const branchId = value && typeof value === "object" && !Array.isArray(value) && typeof value.code === "string" ? value.code : null;
        await tx.update(registrations).set({ branchId }).where(eq(registrations.id, registrationId));
      }
      if (effect.field === "province" || effect.field === "commune") {
        const column = effect.field === "province" ? "provinceCode" : "communeCode";
        await tx.update(registrations).set({ [column]: placeCode(effect.value) }).where(eq(registrations.id, registrationId));
      }
      if (effect.field === "group" && typeof effect.value === "string") {
        await tx.update(registrations).set({ groupCode: effect.value }).where(eq(registrations.id, registrationId));
      }
      return null;
    }
    case "clearAnswers": {
      const registrationId = await currentRegistrationId(tx, identity, effect.year);
      if (!registrationId || effect.fields.length === 0) return null;
      await tx.delete(registrationAnswers).where(and(eq(registrationAnswers.registrationId, registrationId), inArray(registrationAnswers.field, effect.fields)));
      if (effect.fields.includes("branch")) await tx.update(registrations).set({ branchId: null }).where(eq(registrations.id, registrationId));
      if (effect.fields.includes("province")) await tx.update(registrations).set({ provinceCode: null }).where(eq(registrations.id, registrationId));
      if (effect.fields.includes("commune")) await tx.update(registrations).set({ communeCode: null }).where(eq(registrations.id, registrationId));
      return null;
    }
    case "submitRegistration": {
      // Found, submitted and read back for the heads' cards in one statement.
      const personId = await personIdOf(tx, identity);
      if (!personId) throw new Error("submit without a person");
      const [submitted] = await tx
        .update(registrations)
        .set({
          status: "submitted",
          score: effect.score,
          meets: effect.meets,
          criteriaSetId: effect.criteriaSet.id,
          criteriaVersion: effect.criteriaSet.version,
          submittedAt: new Date(),
          decidedAt: null,
          decidedByPersonId: null,
          decisionReason: null,
          submissionRound: sql`${registrations.submissionRound} + 1`,
          updatedAt: new Date(),
        })
        .where(and(eq(registrations.personId, personId), eq(registrations.year, effect.year)))
        .returning({ id: registrations.id, branchId: registrations.branchId, personId: registrations.personId, round: registrations.submissionRound });
      if (!submitted) throw new Error("submit without a registration");
      return notifyHeadsOf(tx, submitted, new Date());
    }
    case "cancelRegistration": {
      const registrationId = await currentRegistrationId(tx, identity, effect.year);
      if (!registrationId) return null;
      await tx.delete(registrationAnswers).where(eq(registrationAnswers.registrationId, registrationId));
      await tx
        .update(registrations)
        .set({ status: "cancelled", branchId: null, groupCode: null, provinceCode: null, communeCode: null, score: null, meets: null, updatedAt: new Date() })
        .where(eq(registrations.id, registrationId));
      return null;
    }
    case "deletePersonalData": {
      const personId = await personIdOf(tx, identity);
      if (personId) await tx.delete(people).where(eq(people.id, personId));
      forgetPeople(tx);
      // What the person typed is personal data too: drop their recorded messages (this turn's is already marked).
      await tx.delete(inboundEvents).where(and(eq(inboundEvents.channel, identity.channel), eq(inboundEvents.userId, identity.userId)));
      await tx.delete(outboundMessages).where(and(eq(outboundMessages.channel, identity.channel), eq(outboundMessages.userId, identity.userId)));
      return null;
    }
    case "forgetTypedMessages":
      await tx
        .update(inboundEvents)
        .set({ event: sql`jsonb_build_object('kind', ${inboundEvents.event}->'kind', 'purged', true)` })
        .where(and(eq(inboundEvents.channel, identity.channel), eq(inboundEvents.userId, identity.userId)));
      return null;
    case "setReminders": {
      const personId = await personIdOf(tx, identity);
      if (personId) await tx.update(people).set({ remindersOffAt: effect.on ? null : new Date(effect.at) }).where(eq(people.id, personId));
      return null;
    }
    case "setLocale": {
      const personId = await personIdOf(tx, identity);
      if (personId) await tx.update(people).set({ locale: effect.locale }).where(eq(people.id, personId));
      return null;
    }
    case "claimBranch":
      return applyClaimBranch(tx, identity, effect);
    case "setHeadName":
      await applySetHeadName(tx, identity, effect);
      return null;
    case "decideRegistration":
      return applyDecision(tx, identity, effect);
    case "listPendingRegistrations":
      return applyListPending(tx, identity, effect);
    case "reportBranchStats":
      return applyBranchStats(tx, identity, effect);
  }
}

async function currentRegistrationId(tx: Transaction, identity: ChannelIdentity, year: number): Promise<string | null> {
  const personId = await personIdOf(tx, identity);
  if (!personId) return null;
  const [row] = await tx.select({ id: registrations.id }).from(registrations).where(and(eq(registrations.personId, personId), eq(registrations.year, year)));
  return row?.id ?? null;
}

/** The reference data the engine matches places against. */
export async function loadPlaceData(db: Database): Promise<{ provinces: ProvinceEntry[]; communes: CommuneEntry[]; branches: BranchEntry[]; formerCommunes: FormerCommuneEntry[] }> {
  const [provinceRows, communeRows, branchRows, formerRows] = await Promise.all([
    db.select({ code: provinces.code, name: provinces.name, fullName: provinces.fullName, type: provinces.type }).from(provinces).orderBy(asc(provinces.code)),
    db
      .select({ code: communes.code, name: communes.name, fullName: communes.fullName, type: communes.type, provinceCode: communes.provinceCode })
      .from(communes)
      .orderBy(asc(communes.code)),
    db
      .select({ id: branches.id, code: branches.code, name: branches.name, communeCode: branches.communeCode })
      .from(branches)
      .where(eq(branches.active, true))
      .orderBy(asc(branches.code)),
    db
      .select({ communeCode: formerCommunes.communeCode, provinceCode: formerCommunes.provinceCode, formerName: formerCommunes.formerName, formerDistrict: formerCommunes.formerDistrict })
      .from(formerCommunes)
      .orderBy(asc(formerCommunes.id)),
  ]);
  return { provinces: provinceRows, communes: communeRows, branches: branchRows, formerCommunes: formerRows };
}

export type TranscriptEntry = { id: string; from: "user" | "bot"; text: string; buttons?: OutboundMessage["buttons"]; at: number };

/** The web chat's history for one visitor: what they sent and what the bot answered, in order. */
export async function webTranscript(db: Database, userId: string, afterOutboxId = 0): Promise<{ entries: TranscriptEntry[]; lastOutboxId: number }> {
  // What the visitor sent is only needed for the whole history (a page load); afterwards the page shows it itself.
  const [inbound, outbound] = await Promise.all([
    afterOutboxId > 0
      ? []
      : db
          .select({ id: inboundEvents.id, event: inboundEvents.event, at: inboundEvents.receivedAt })
          .from(inboundEvents)
          .where(and(eq(inboundEvents.channel, "web"), eq(inboundEvents.userId, userId))),
    db
      .select({ id: outboundMessages.id, message: outboundMessages.message, at: outboundMessages.createdAt, inboundEventId: outboundMessages.inboundEventId })
      .from(outboundMessages)
      .where(and(eq(outboundMessages.channel, "web"), eq(outboundMessages.userId, userId), gt(outboundMessages.id, afterOutboxId)))
      .orderBy(asc(outboundMessages.id)),
  ]);
  const entries: (TranscriptEntry & { order: [number, number] })[] = [];
  for (const row of inbound) {
    const event = row.event as InboundEvent;
    const text = event.kind === "text" ? event.text : event.kind === "payload" ? (event.text ?? "") : "";
    if (text) entries.push({ id: `in-${row.id}`, from: "user", text, at: row.at.getTime(), order: [row.id, 0] });
  }
  // A message that answers nothing (a card to a head, a decision to a citizen) goes after what the person had sent by then.
  const sentBefore = (at: Date) => Math.max(0, ...inbound.filter((row) => row.at.getTime() <= at.getTime()).map((row) => row.id));
  for (const row of outbound) {
    const message = row.message as OutboundMessage;
    const order: [number, number] = [row.inboundEventId ?? sentBefore(row.at), row.id];
    entries.push({ id: `out-${row.id}`, from: "bot", text: message.text, buttons: message.buttons, at: row.at.getTime(), order });
  }
  entries.sort((a, b) => a.order[0] - b.order[0] || a.order[1] - b.order[1]);
  return {
    entries: entries.map(({ order: _order, ...entry }) => entry),
    lastOutboxId: outbound.at(-1)?.id ?? afterOutboxId,
  };
}
