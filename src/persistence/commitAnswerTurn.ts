import { randomUUID } from "node:crypto";
import { placeCode } from "../conversation/prompts.js";
import type { OutboxItem } from "../conversation/ports.js";
import type { ChannelIdentity, Effect, JsonValue, OutboundMessage } from "../conversation/types.js";
import type { TurnCommit, TurnCommitResult } from "./conversationStore.js";
import type { Database } from "./openDatabase.js";
import { runStatement } from "./runStatement.js";

type SaveAnswer = Extract<Effect, { type: "saveAnswer" }>;
type RecordConsent = Extract<Effect, { type: "recordConsent" }>;

/** Raised by lca_turn_fence (migration 0012) when an event was marked but its conversation had moved on. */
const fencedOffCode = "LC001";

/** Person columns kept in step with the answers of the same name (as applyEffect keeps them). */
const personColumns: Record<string, string> = { fullName: "full_name", birthYear: "birth_year", gender: "gender", phone: "phone" };

/** Registration columns kept in step with an answer, and the value they take from it. */
function registrationColumnOf(effect: SaveAnswer): [column: string, value: string | null] | null {
  const value = effect.value;
  switch (effect.field) {
    case "branch":
      return ["branch_id", value && typeof value === "object" && !Array.isArray(value) && typeof value.code === "string" ? value.code : null];
    case "province":
      return ["province_code", placeCode(value)];
    case "commune":
      return ["commune_code", placeCode(value)];
    case "group":
      return typeof value === "string" ? ["group_code", value] : null;
    default:
      return null;
  }
}

const sameRef = (a: { id: string; version: number } | null, b: { id: string; version: number } | null) => a?.id === b?.id && a?.version === b?.version;
const isScalar = (value: JsonValue): value is string | number | null => value === null || typeof value === "string" || typeof value === "number";

/** A turn of the common shape, as one row of commitAnswerTurns' input. */
export type AnswerTurn = {
  identity: ChannelIdentity;
  row: {
    inbound_id: number;
    channel: string;
    user_id: string;
    state: unknown;
    expected_version: number;
    at: string;
    delivered: boolean;
    messages: OutboundMessage[];
    person_id: string | null;
    /** The person is created by this turn (its consent), under `person_id` chosen here, and bound to the identity. */
    new_person: boolean;
    /** The session's language, kept on the person with a consent (later messages from others come in it). */
    locale: string | null;
    /** The consent this turn records. */
    consent: { notice_version: string; granted: boolean; guardian_consent: boolean | null; at: string } | null;
    /** The registration to upsert: its identity, and the columns the answers set (absent keys are left alone). */
    registration: { year: number; flow_id: string; flow_version: number; criteria_set_id: string | null; criteria_version: number | null; columns: Record<string, string | null> } | null;
    answers: { field: string; raw_text: string; value: JsonValue; points: number | null }[];
    /** The person's columns the answers set. */
    person: Record<string, string | number | null> | null;
  };
};

/**
 * The common turn — answers saved and the replies to them, by a person already known (or replies only, as to a
 * first message), or a consent with its answers (which creates the person the first time) — as a row for
 * commitAnswerTurns; null when the turn is of another shape (commitTurn's transaction then).
 */
export function answerTurnOf(turn: TurnCommit): AnswerTurn | null {
  const { identity, session } = turn;
  if (session.remove) return null;
  const answers: SaveAnswer[] = [];
  const messages: OutboundMessage[] = [];
  let consent: RecordConsent | null = null;
  for (const effect of turn.effects) {
    if (effect.type === "reply") messages.push(...effect.messages);
    else if (effect.type === "saveAnswer") answers.push(effect);
    else if (effect.type === "recordConsent" && !consent) consent = effect;
    else return null;
  }
  // A consent is what creates the person: its id is chosen here so that every part of the statement can name it.
  const newPerson = consent !== null && !turn.personId;
  const personId = newPerson ? randomUUID() : (turn.personId ?? null);
  const first = answers[0];
  let registration: AnswerTurn["row"]["registration"] = null;
  let person: AnswerTurn["row"]["person"] = null;
  if (first) {
    if (!personId) return null;
    // One registration upsert for the turn: every answer of the same year, flow and criteria, each field once.
    if (answers.some((answer) => answer.year !== first.year || !sameRef(answer.flow, first.flow) || !sameRef(answer.criteriaSet, first.criteriaSet))) return null;
    if (new Set(answers.map((answer) => answer.field)).size !== answers.length) return null;
    const columns = Object.fromEntries(answers.map(registrationColumnOf).filter((entry) => entry !== null));
    registration = {
      year: first.year,
      flow_id: first.flow.id,
      flow_version: first.flow.version,
      criteria_set_id: first.criteriaSet?.id ?? null,
      criteria_version: first.criteriaSet?.version ?? null,
      columns,
    };
    const personAnswers = answers.filter((answer) => answer.field in personColumns);
    if (personAnswers.some((answer) => !isScalar(answer.value))) return null;
    if (personAnswers.length > 0) person = Object.fromEntries(personAnswers.map((answer) => [personColumns[answer.field]!, answer.value as string | number | null]));
  }
  return {
    identity,
    row: {
      inbound_id: turn.inboundId,
      channel: identity.channel,
      user_id: identity.userId,
      state: session.state,
      expected_version: session.expectedVersion,
      at: new Date().toISOString(),
      // Web chat reads its rows back itself: they count as sent at once.
      delivered: identity.channel === "web",
      messages,
      person_id: first || consent ? personId : null,
      new_person: newPerson,
      locale: consent?.locale ?? null,
      consent: consent
        ? { notice_version: consent.noticeVersion, granted: consent.granted, guardian_consent: consent.guardianConsent ?? null, at: new Date(consent.at).toISOString() }
        : null,
      registration,
      answers: answers.map((answer) => ({ field: answer.field, raw_text: answer.raw, value: answer.value, points: answer.points })),
      person,
    },
  };
}

/** A registration column is set from the input only when one of the turn's answers names it. */
const keptUnlessSet = (column: string) =>
  `${column} = case when (select i.registration->'columns' ? '${column}' from input i where i.person_id = excluded.person_id and (i.registration->>'year')::int = excluded.year limit 1)
    then excluded.${column} else registrations.${column} end`;

const personColumnSet = (column: string, type: string) =>
  `${column} = case when input.person ? '${column}' then (input.person->>'${column}')::${type} else people.${column} end`;

/** The statement of commitAnswerTurns; $1: the turns' rows (AnswerTurn["row"] with their index n). */
const commitAnswerTurnsStatement = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as i(
      n int, inbound_id bigint, channel text, user_id text, state jsonb, expected_version int, at timestamptz, delivered boolean,
      messages jsonb, person_id uuid, new_person boolean, locale text, consent jsonb, registration jsonb, answers jsonb, person jsonb)
  ), marked as (
    update inbound_events e set processed_at = i.at
    from input i
    where e.id = i.inbound_id and e.processed_at is null
    returning i.n, exists (select 1 from inbound_events later where later.channel = i.channel and later.user_id = i.user_id
      and later.processed_at is null and later.id <> i.inbound_id) as more
  ), updated as (
    update conversation_sessions s set state = i.state, version = i.expected_version + 1, updated_at = i.at
    from input i join marked on marked.n = i.n
    where i.expected_version > 0 and s.channel = i.channel and s.user_id = i.user_id and s.version = i.expected_version
    returning i.n
  ), created as (
    insert into conversation_sessions (channel, user_id, state, version, updated_at)
    select i.channel, i.user_id, i.state, 1, i.at from input i join marked on marked.n = i.n where i.expected_version = 0
    on conflict do nothing
    returning (select i.n from input i where i.channel = conversation_sessions.channel and i.user_id = conversation_sessions.user_id and i.expected_version = 0 limit 1) as n
  ), fenced as (
    select n from updated union all select n from created
  ), new_person as (
    insert into people (id, locale, full_name, birth_year, gender, phone, updated_at)
    select i.person_id, coalesce(i.locale, 'vi'), i.person->>'full_name', (i.person->>'birth_year')::int, i.person->>'gender', i.person->>'phone', i.at
    from input i join fenced on fenced.n = i.n
    where i.new_person
    returning id
  ), identity as (
    insert into channel_identities (channel, user_id, person_id)
    select i.channel, i.user_id, i.person_id from input i join new_person on new_person.id = i.person_id
    on conflict (channel, user_id) do update set person_id = excluded.person_id
  ), consent as (
    insert into consent_records (person_id, channel, user_id, notice_version, granted, guardian_consent, at)
    select i.person_id, i.channel, i.user_id, i.consent->>'notice_version', (i.consent->>'granted')::boolean,
      (i.consent->>'guardian_consent')::boolean, (i.consent->>'at')::timestamptz
    from input i join fenced on fenced.n = i.n
    where jsonb_typeof(i.consent) = 'object'
  ), registration as (
    insert into registrations (person_id, year, flow_id, flow_version, criteria_set_id, criteria_version, branch_id, province_code, commune_code, group_code, updated_at)
    select i.person_id, (i.registration->>'year')::int, i.registration->>'flow_id', (i.registration->>'flow_version')::int,
      i.registration->>'criteria_set_id', (i.registration->>'criteria_version')::int,
      (i.registration->'columns'->>'branch_id')::uuid, i.registration->'columns'->>'province_code',
      i.registration->'columns'->>'commune_code', i.registration->'columns'->>'group_code', i.at
    from input i join fenced on fenced.n = i.n
    where i.registration is not null and jsonb_typeof(i.registration) = 'object'
    on conflict (person_id, year) do update set criteria_set_id = excluded.criteria_set_id, criteria_version = excluded.criteria_version,
      status = case when registrations.status = 'cancelled' then 'draft' else registrations.status end, updated_at = excluded.updated_at,
      ${keptUnlessSet("branch_id")}, ${keptUnlessSet("province_code")}, ${keptUnlessSet("commune_code")}, ${keptUnlessSet("group_code")}
    returning id, person_id, year
  ), answers as (
    insert into registration_answers (registration_id, field, raw_text, value, points, answered_at)
    select registration.id, a.field, a.raw_text, a.value, a.points, i.at
    from input i
      join registration on registration.person_id = i.person_id and registration.year = (i.registration->>'year')::int,
      jsonb_to_recordset(i.answers) as a(field text, raw_text text, value jsonb, points integer)
    on conflict (registration_id, field) do update set raw_text = excluded.raw_text, value = excluded.value, points = excluded.points, answered_at = excluded.answered_at
  ), person as (
    update people set ${personColumnSet("full_name", "text")}, ${personColumnSet("birth_year", "int")}, ${personColumnSet("gender", "text")},
      ${personColumnSet("phone", "text")}, locale = coalesce(input.locale, people.locale), updated_at = input.at
    from input join fenced on fenced.n = input.n
    where people.id = input.person_id and not input.new_person and (jsonb_typeof(input.person) = 'object' or input.locale is not null)
  ), outbox as (
    insert into outbound_messages (channel, user_id, inbound_event_id, message, status, sent_at)
    select i.channel, i.user_id, i.inbound_id, m.message, case when i.delivered then 'sent' else 'pending' end, case when i.delivered then i.at end
    from input i join fenced on fenced.n = i.n, jsonb_array_elements(i.messages) with ordinality as m(message, k)
    order by i.n, m.k
    returning id, inbound_event_id
  )
  select marked.n, marked.more, (select array_agg(outbox.id order by outbox.id) from outbox where outbox.inbound_event_id = i.inbound_id) as outbox_ids
  from marked join input i on i.n = marked.n
  where lca_turn_fence((select count(*) from marked), (select count(*) from fenced))`;

/**
 * Commits turns of the common shape, for many people at once, in ONE statement — instead of a transaction of seven
 * statements each: each turn's event marked handled, its session fenced by version, its registration and answers
 * upserted, its person's columns updated and its outbox rows inserted are data-modifying parts of one statement,
 * which PostgreSQL applies atomically. Each part is joined to the turns whose part before it wrote (the event was
 * still pending, the session still at the version the turn read). When an event was marked but its session had moved
 * on, lca_turn_fence raises and the whole statement is undone: one turn alone is then "stale"; a batch is thrown back
 * to be tried turn by turn. A turn whose event was already handled is "already processed" and writes nothing.
 */
export async function commitAnswerTurns(db: Database, turns: readonly AnswerTurn[]): Promise<TurnCommitResult[]> {
  if (turns.length === 0) return [];
  const input = turns.map((turn, n) => ({ n, ...turn.row }));
  let rows: { n: number; more: boolean; outbox_ids: (number | string)[] | null }[];
  try {
    rows = await runStatement<{ n: number; more: boolean; outbox_ids: (number | string)[] | null }>(db, commitAnswerTurnsStatement, [JSON.stringify(input)]);
  } catch (error) {
    if (isFencedOff(error) && turns.length === 1) return [{ status: "stale" }];
    throw error;
  }
  const byTurn = new Map(rows.map((row) => [row.n, row]));
  return turns.map((turn, n): TurnCommitResult => {
    const row = byTurn.get(n);
    if (!row) return { status: "already processed" };
    // Each turn's rows were inserted in its messages' order, so their ids ascend with it.
    const ids = (row.outbox_ids ?? []).map(Number).sort((a, b) => a - b);
    const { messages, expected_version } = turn.row;
    if (ids.length !== messages.length) throw new Error("could not write the outbox rows");
    const outbox: OutboxItem[] = messages.map((message, index) => ({ id: ids[index]!, channel: turn.identity.channel, userId: turn.identity.userId, message }));
    return { status: "committed", outbox, version: expected_version + 1, more: row.more };
  });
}

function isFencedOff(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  if ((error as { code?: unknown }).code === fencedOffCode) return true;
  return isFencedOff((error as { cause?: unknown }).cause, depth + 1);
}
