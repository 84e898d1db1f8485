import { sql, type SQL } from "drizzle-orm";
import { placeCode } from "../conversation/prompts.js";
import type { OutboxItem } from "../conversation/ports.js";
import type { Effect, OutboundMessage } from "../conversation/types.js";
import type { TurnCommit, TurnCommitResult } from "./conversationStore.js";
import type { Database } from "./openDatabase.js";

type SaveAnswer = Extract<Effect, { type: "saveAnswer" }>;

/** Raised by lca_turn_fence (migration 0012) when the event was marked but the session had moved on. */
const fencedOffCode = "LC001";

/** Person columns kept in step with the answers of the same name (as applyEffect keeps them). */
const personColumns: Record<string, SQL> = {
  fullName: sql.raw("full_name"),
  birthYear: sql.raw("birth_year"),
  gender: sql.raw("gender"),
  phone: sql.raw("phone"),
};

/** Registration columns kept in step with an answer, and the value they take from it. */
function registrationColumnOf(effect: SaveAnswer): { column: SQL; value: unknown } | null {
  const value = effect.value;
  switch (effect.field) {
    case "branch":
      return { column: sql.raw("branch_id"), value: value && typeof value === "object" && !Array.isArray(value) && typeof value.code === "string" ? value.code : null };
    case "province":
      return { column: sql.raw("province_code"), value: placeCode(value) };
    case "commune":
      return { column: sql.raw("commune_code"), value: placeCode(value) };
    case "group":
      return typeof value === "string" ? { column: sql.raw("group_code"), value } : null;
    default:
      return null;
  }
}

const sameRef = (a: { id: string; version: number } | null, b: { id: string; version: number } | null) => a?.id === b?.id && a?.version === b?.version;

/**
 * The common turn — an answer saved and the replies to it, by a person already known, in a conversation already
 * stored — committed in ONE statement instead of a transaction of seven: the event marked handled, the fenced
 * session, the registration and its answers, the person's own columns and the outbox rows are data-modifying parts
 * of one statement, which PostgreSQL applies atomically. Each part runs only when the one before it wrote (the event
 * was still pending, the session still at the version the turn read); when the event was marked but the session had
 * moved on, lca_turn_fence raises and the whole statement is undone, as the transaction's rollback would.
 * Null when the turn is not of that shape: commitTurn's transaction handles it.
 */
export function answerTurnStatement(turn: TurnCommit): ((db: Database) => Promise<TurnCommitResult>) | null {
  const { identity, session } = turn;
  if (session.remove || session.expectedVersion === 0) return null;
  const answers: SaveAnswer[] = [];
  const messages: OutboundMessage[] = [];
  for (const effect of turn.effects) {
    if (effect.type === "reply") messages.push(...effect.messages);
    else if (effect.type === "saveAnswer") answers.push(effect);
    else return null;
  }
  const personId = turn.personId ?? null;
  const first = answers[0];
  if (first) {
    if (!personId) return null;
    // One registration upsert for the turn: every answer of the same year, flow and criteria, each field once.
    if (answers.some((answer) => answer.year !== first.year || !sameRef(answer.flow, first.flow) || !sameRef(answer.criteriaSet, first.criteriaSet))) return null;
    if (new Set(answers.map((answer) => answer.field)).size !== answers.length) return null;
  }
  const at = new Date();
  const atText = at.toISOString();
  const { channel, userId } = identity;
  const version = session.expectedVersion + 1;

  const parts: SQL[] = [
    sql`marked as (
      update inbound_events set processed_at = ${atText}::timestamptz
      where id = ${turn.inboundId} and processed_at is null
      returning exists (select 1 from inbound_events later where later.channel = ${channel} and later.user_id = ${userId}
        and later.processed_at is null and later.id <> ${turn.inboundId}) as more
    )`,
    sql`fenced as (
      update conversation_sessions set state = ${JSON.stringify(session.state)}::jsonb, version = ${version}, updated_at = ${atText}::timestamptz
      where channel = ${channel} and user_id = ${userId} and version = ${session.expectedVersion} and exists (select 1 from marked)
      returning version
    )`,
  ];
  if (first && personId) {
    const columns = answers.map(registrationColumnOf).filter((entry) => entry !== null);
    const extraColumns = columns.map((entry) => sql`, ${entry.column}`);
    const extraValues = columns.map((entry) => sql`, ${entry.value}`);
    const extraUpdates = columns.map((entry) => sql`, ${entry.column} = excluded.${entry.column}`);
    parts.push(sql`registration as (
      insert into registrations (person_id, year, flow_id, flow_version, criteria_set_id, criteria_version${sql.join(extraColumns)})
      select ${personId}::uuid, ${first.year}::int, ${first.flow.id}, ${first.flow.version}::int, ${first.criteriaSet?.id ?? null}, ${first.criteriaSet?.version ?? null}::int${sql.join(extraValues)}
      where exists (select 1 from fenced)
      on conflict (person_id, year) do update set criteria_set_id = excluded.criteria_set_id, criteria_version = excluded.criteria_version,
        status = case when registrations.status = 'cancelled' then 'draft' else registrations.status end, updated_at = ${atText}::timestamptz${sql.join(extraUpdates)}
      returning id
    )`);
    const rows = answers.map((answer) => ({ field: answer.field, raw_text: answer.raw, value: answer.value, points: answer.points }));
    parts.push(sql`answers as (
      insert into registration_answers (registration_id, field, raw_text, value, points)
      select registration.id, a.field, a.raw_text, a.value, a.points
      from registration, jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as a(field text, raw_text text, value jsonb, points integer)
      on conflict (registration_id, field) do update set raw_text = excluded.raw_text, value = excluded.value, points = excluded.points, answered_at = ${atText}::timestamptz
    )`);
    const personUpdates = answers.filter((answer) => answer.field in personColumns).map((answer) => sql`${personColumns[answer.field]!} = ${answer.value}, `);
    if (personUpdates.length > 0) {
      parts.push(sql`person as (
        update people set ${sql.join(personUpdates)}updated_at = ${atText}::timestamptz
        where id = ${personId}::uuid and exists (select 1 from fenced)
      )`);
    }
  }
  // Web chat reads its rows back itself: they count as sent at once.
  const delivered = channel === "web";
  if (messages.length > 0) {
    parts.push(sql`outbox as (
      insert into outbound_messages (channel, user_id, inbound_event_id, message, status, sent_at)
      select ${channel}, ${userId}, ${turn.inboundId}::bigint, m.message, ${delivered ? "sent" : "pending"}, ${delivered ? atText : null}::timestamptz
      from fenced, jsonb_array_elements(${JSON.stringify(messages)}::jsonb) with ordinality as m(message, n)
      order by m.n
      returning id
    )`);
  }
  const outboxIds = messages.length > 0 ? sql`array(select id from outbox order by id)` : sql`'{}'::bigint[]`;
  const statement = sql`with ${sql.join(parts, sql`, `)}
    select (select count(*) from marked)::int as marked, coalesce((select more from marked), false) as more,
      lca_turn_fence((select count(*) from marked), (select count(*) from fenced)) as fenced, ${outboxIds} as outbox_ids`;

  return async (db) => {
    let row: { marked: number; more: boolean; outbox_ids: (number | string)[] } | undefined;
    try {
      const result = (await db.execute(statement)) as unknown as { rows: { marked: number; more: boolean; outbox_ids: (number | string)[] }[] };
      row = result.rows[0];
    } catch (error) {
      if (isFencedOff(error)) return { status: "stale" };
      throw error;
    }
    if (!row || row.marked === 0) return { status: "already processed" };
    // The rows were inserted in the messages' order, so their ids ascend with it.
    const ids = row.outbox_ids.map(Number).sort((a, b) => a - b);
    if (ids.length !== messages.length) throw new Error("could not write the outbox rows");
    const outbox: OutboxItem[] = messages.map((message, index) => ({ id: ids[index]!, channel, userId, message }));
    return { status: "committed", outbox, version, more: row.more };
  };
}

function isFencedOff(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if ((error as { code?: unknown }).code === fencedOffCode) return true;
  return isFencedOff((error as { cause?: unknown }).cause, depth + 1);
}
