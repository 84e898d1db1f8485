import { parseDecisionPayload } from "./decisionPayload.js";
import type { SessionState } from "./sessionState.js";
import type { DecisionAction, InboundEvent, VersionRef } from "./types.js";

/** A submitted registration as its branch heads see it on a card. */
export type DecisionCard = {
  registrationId: string;
  round: number;
  year: number;
  branchName: string;
  fullName: string | null;
  birthYear: number | null;
  groupCode: string | null;
  village: string | null;
  score: number | null;
  meets: boolean | null;
  flow: VersionRef;
  criteriaSet: VersionRef | null;
  submittedAt: number | null;
};

/** A decision already taken in a round: who (name only), when, what, and whether it was the person asking. */
export type PastDecision = { action: DecisionAction; byName: string | null; byMe: boolean; at: number };

/** What the database says about a decision token, for the person who sent it. */
export type CardFacts =
  /** No such token, or bound to somebody else: nothing is revealed. */
  | { token: string; status: "unknown" }
  /** The token is this person's, but they no longer head the registration's branch. */
  | { token: string; status: "notHead" }
  | { token: string; status: "open"; card: DecisionCard }
  /** Decided (by whom, when) or withdrawn: the card decides nothing any more. */
  | { token: string; status: "closed"; card: DecisionCard; decision: PastDecision | null };

export type HeadFacts = { name: string | null; branches: { id: string; code: string; name: string }[] };

/**
 * What the database knew at the start of a turn that the pure engine must consult: read before `step`, never
 * written by it. Races after this read are settled by the conditional updates of the effects.
 */
export type TurnFacts = {
  /** The branches this person heads; null for everyone else. */
  head: HeadFacts | null;
  /** The card a decision payload or a pending reason refers to. */
  card: CardFacts | null;
};

export const noFacts: TurnFacts = { head: null, card: null };

/** Which decision token this turn needs to know about: from the tap (or typed payload), or from a pending reason. */
export function factsNeeded(state: SessionState | null, event: InboundEvent): { token?: string } {
  const text = event.kind === "payload" ? event.payload : event.kind === "text" ? event.text : "";
  const tapped = parseDecisionPayload(text);
  if (tapped) return { token: tapped.token };
  const pending = state?.pending;
  if (pending?.kind === "decisionReason" || pending?.kind === "decisionItems") return { token: pending.token };
  return {};
}
