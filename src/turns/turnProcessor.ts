import type { Logger } from "pino";
import {
  commitTurn,
  deadLetterEvent,
  loadPersonSnapshot,
  recordInboundEvents,
  takeNextTurns,
  type TurnContext,
  uncountTurnAttempt,
  type PersonSnapshot,
  type TurnCommit,
  type TurnCommitResult,
} from "../persistence/conversationStore.js";
import { commitAnswerTurns, type AnswerTurn } from "../persistence/commitAnswerTurn.js";
import { loadTurnFacts } from "../persistence/branchHeadStore.js";
import { isDatabaseUnavailable } from "../persistence/isDatabaseUnavailable.js";
import type { Database } from "../persistence/openDatabase.js";
import { safeError } from "../safeError.js";
import { criteriaSetOf, firstUnanswered } from "../conversation/flowSteps.js";
import { batchCalls } from "../persistence/batchCalls.js";
import { dispatchByChannel } from "./dispatchByChannel.js";
import type { ConversationInbox, OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import { renderEffectOutcome } from "../conversation/renderEffectOutcome.js";
import { factsNeeded } from "../conversation/turnFacts.js";
import { locales, type ChannelIdentity, type ChannelName, type InboundEvent, type Locale } from "../conversation/types.js";
import { newSession, step } from "../conversation/step.js";
import type { SessionState } from "../conversation/sessionState.js";
import type { TurnLock } from "./turnLock.js";
import type { World } from "../conversation/world.js";

export type TurnProcessorDeps = {
  db: Database;
  lock: TurnLock;
  world: () => Promise<World>;
  dispatchers: Partial<Record<ChannelName, OutboundDispatcher>>;
  logger: Logger;
  /** Failed turns on one event before it is dead-lettered (TURN_MAX_ATTEMPTS). */
  maxAttempts?: number;
};

/** "handled" with the outbox rows to send once the person's lock is released; "stale" when fenced off. */
type TurnResult = { status: "handled"; outbox: OutboxItem[]; more: boolean } | { status: "stale" };
/** `more`: whether other events of the person may be pending (false only when the commit saw none). */
const handled = (outbox: OutboxItem[] = [], more = true): TurnResult => ({ status: "handled", outbox, more });

/**
 * Records events and handles them one turn at a time per person: the turn lock serialises processes, PostgreSQL
 * holds the inbox (in arrival order), the conversation's state and the truth. A turn commits its effects, its
 * replies' outbox rows and the new state together, fenced by the state's version: a turn that lost its lock to
 * another process commits nothing, and the events it did not finish stay in the inbox.
 */
export function createTurnProcessor(deps: TurnProcessorDeps): ConversationInbox {
  const { db, lock, logger } = deps;
  const maxAttempts = deps.maxAttempts ?? 3;
  // Webhooks arriving while one is being recorded are recorded together in the next statement; likewise the next
  // turns of the people whose locks were taken meanwhile are read together.
  const record = batchCalls((events: readonly InboundEvent[]) => recordInboundEvents(db, events), { isDatabaseUnavailable });
  const takeNextTurn = batchCalls((identities: readonly ChannelIdentity[]) => takeNextTurns(db, identities), { isDatabaseUnavailable });
  // Turns of the common shape (answers and replies) that end meanwhile commit together; others in their own transaction.
  const commitAnswerTurn = batchCalls((turns: readonly AnswerTurn[]) => commitAnswerTurns(db, turns), { isDatabaseUnavailable });
  const commit = (turn: TurnCommit): Promise<TurnCommitResult> => commitTurn(db, turn, commitAnswerTurn);

  /** One event's turn (its try already counted), tried at most maxAttempts times; a poisonous event is dead-lettered with an apology. */
  async function attempt(identity: ChannelIdentity, pending: { id: number; event: InboundEvent; attempts: number }, context: TurnContext): Promise<TurnResult> {
    const attempts = pending.attempts;
    try {
      return await handle(identity, pending.id, pending.event, context);
    } catch (error) {
      const fields = { err: error, channel: identity.channel, inboundId: pending.id, attempts };
      // The database being away is not the event's fault: it stays in the inbox however often that happens.
      if (attempts < maxAttempts || isDatabaseUnavailable(error)) {
        logger.error(fields, "turn failed; the event stays in the inbox and is tried again");
        throw error;
      }
      logger.error(fields, "turn failed too often: the event is dead-lettered and the person told");
      const described = safeError(error);
      const errorClass = typeof described === "string" ? "Error" : [described.class, described.code ?? described.cause?.code].filter(Boolean).join(":");
      // The apology in the conversation's language, as read with the event.
      const locale = context.stored?.state?.locale ?? "vi";
      const world = await deps.world();
      return handled(await deadLetterEvent(db, { identity, inboundId: pending.id, errorClass, apology: { text: world.translate(locale, "turnFailed") } }));
    }
  }

  /** One turn; `context` (state, person, statuses, headships) was read with the event, under the person's lock. */
  async function handle(identity: ChannelIdentity, inboundId: number, event: InboundEvent, context: TurnContext): Promise<TurnResult> {
    const world = await deps.world();
    const stored = context.stored;
    let previous = stored?.state ?? null;
    // No person behind the identity (read with the event, under the lock): nothing in the database to rebuild from.
    if (!previous) previous = context.personId === null ? null : rebuildSession(await loadPersonSnapshot(db, identity, world.year), world);
    else {
      const status = context.statusByYear[String(previous.year)] ?? null;
      // A head's "Cần bổ sung" cleared answers in the database: the session follows it and asks them again.
      if (status === "needs_info" && previous.registrationStatus !== "needs_info") {
        previous = rebuildSession(await loadPersonSnapshot(db, identity, previous.year), world) ?? previous;
      } else previous = { ...previous, registrationStatus: status ?? previous.registrationStatus };
    }
    const facts = await loadTurnFacts(db, identity, factsNeeded(previous, event), { head: context.head, personId: context.personId });
    const { state, effects } = step(previous, event, world, facts);
    const render = (outcome: Parameters<typeof renderEffectOutcome>[0]) => renderEffectOutcome(outcome, world, state.locale);
    const remove = effects.some((effect) => effect.type === "deletePersonalData");
    const committed = await commit({ identity, inboundId, effects, render, session: { state, expectedVersion: stored?.version ?? 0, remove }, personId: context.personId });
    if (committed.status === "already processed") return handled();
    if (committed.status === "stale") {
      // Another process wrote a newer state since this turn read it: nothing of this turn was kept.
      logger.warn({ channel: identity.channel, inboundId }, "turn fenced off: the conversation moved on meanwhile; nothing committed");
      return { status: "stale" };
    }
    logger.debug({ channel: identity.channel, inboundId, kind: event.kind, stage: state.stage, replies: committed.outbox.length }, "turn handled");
    return handled(committed.outbox, committed.more);
  }

  async function drainHoldingLock(identity: ChannelIdentity, outbox: OutboxItem[]): Promise<void> {
    const held = await lock.acquire(`${identity.channel}:${identity.userId}`);
    try {
      for (;;) {
        // The oldest pending event, its try counted and its turn's context read in the same statement.
        const next = await takeNextTurn(identity);
        if (!next) return;
        const { pending } = next;
        const result = await attempt(identity, pending, next.context);
        if (result.status === "stale") {
          // Whoever moved the conversation on holds the person now and drains the rest (else the sweeper does).
          await uncountTurnAttempt(db, pending.id);
          return;
        }
        outbox.push(...result.outbox);
        if (!result.more) return;
        if (!(await held.extend())) {
          logger.warn({ channel: identity.channel }, "turn lock lost: leaving this person's inbox to its new holder");
          return;
        }
      }
    } finally {
      await held.release();
    }
  }

  return {
    record,
    async drain(identity) {
      // Replies go out after the person's lock is released: their order is the outbox's (ids, one sender per
      // recipient), so the next turn need not wait for the platform.
      const outbox: OutboxItem[] = [];
      try {
        await drainHoldingLock(identity, outbox);
      } finally {
        if (outbox.length > 0) await dispatchByChannel(deps.dispatchers, outbox);
      }
    },
  };
}

/**
 * A session rebuilt from the registration in the database, when the stored state is missing (purged after
 * SESSION_TTL_DAYS, or from before conversation_sessions) or after a branch head reopened items: the person
 * continues where they were, and reopened items (cleared in the database) are asked again.
 */
export function rebuildSession(snapshot: PersonSnapshot | null, world: World): SessionState | null {
  if (!snapshot) return null;
  const locale: Locale = (locales as readonly string[]).includes(snapshot.locale) ? (snapshot.locale as Locale) : "vi";
  const state = newSession(world, locale);
  state.consentAt = snapshot.consentAt;
  const registration = snapshot.registration;
  if (!registration || registration.status === "cancelled") return state;
  state.flow = { id: registration.flowId, version: registration.flowVersion };
  state.criteriaSet =
    registration.criteriaSetId && registration.criteriaVersion !== null ? { id: registration.criteriaSetId, version: registration.criteriaVersion } : null;
  state.answers = { ...registration.answers };
  state.registrationStatus = registration.status;
  state.reopened = registration.status === "needs_info" ? registration.reopened.filter((field) => !(field in state.answers)) : [];
  if (registration.status !== "draft" && registration.status !== "needs_info") {
    state.stage = "done";
    return state;
  }
  if (state.consentAt === null || !("consent" in state.answers)) return state;
  criteriaSetOf(state, world); // fails loudly, naming the set, if its pinned version was removed from flows/
  state.stage = firstUnanswered(state, world)?.field ?? "summary";
  return state;
}
