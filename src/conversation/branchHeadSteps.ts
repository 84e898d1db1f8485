import { matchChoice, parseBranchClaim, parseBranchClaimRef, parseGlobalCommand, parseHeadCommand, parsePersonName } from "../domain/understanding/index.js";
import { decisionCancelPayload, decisionItemPayload, decisionItemPrefix as itemPrefix, parseDecisionPayload, pendingListPrefix as listPagePrefix } from "./decisionPayload.js";
import { citizenNameOf, criteriaFieldLabel, criteriaFieldsOf, criteriaFieldsText, pastDecisionText } from "./decisionMessages.js";
import { locales, type DecisionAction } from "./types.js";
import type { Pending } from "./sessionState.js";
import type { Input, Turn } from "./turn.js";
import type { DecisionCard } from "./turnFacts.js";

/** handled: the turn is answered; notUnderstood: say so and ask the current question again; pass: not a head's input. */
export type HeadInputResult = "handled" | "notUnderstood" | "pass";

type ItemsPending = Extract<Pending, { kind: "decisionItems" }>;
type ReasonPending = Extract<Pending, { kind: "decisionReason" }>;

const listPageSize = 5;
/** The reason reaches the citizen in one message. */
export const reasonMaxLength = 300;

/**
 * A branch head's part of the conversation: claiming a branch with an invite code, deciding from a card (a reason
 * for Từ chối and Cần bổ sung, the items for Cần bổ sung), "danh sách" and "thống kê". Whether a token or a person
 * counts is read from `turn.facts`; the decision itself is an effect the database applies only if it still holds.
 */
export function handleBranchHeadInput(turn: Turn, input: Input): HeadInputResult {
  const tap = parseDecisionPayload(input.payload ?? input.text ?? "");
  if (tap) return tapDecision(turn, tap.token, tap.action);
  const pending = turn.state.pending;
  const answered =
    pending?.kind === "decisionReason"
      ? answerReason(turn, pending, input)
      : pending?.kind === "decisionItems"
        ? answerItems(turn, pending, input)
        : pending?.kind === "headName"
          ? answerHeadName(turn, input)
          : "pass";
  if (answered !== "pass") return answered;
  if (input.payload?.startsWith(itemPrefix) || input.payload === decisionCancelPayload) {
    turn.text("decision.stale");
    return "handled";
  }
  if (input.payload === undefined && input.text !== undefined) {
    const code = parseBranchClaim(input.text);
    if (code) return claim(turn, code);
  }
  const head = turn.facts.head;
  if (input.payload?.startsWith(listPagePrefix)) {
    if (!head) return "notUnderstood";
    const page = Number(input.payload.slice(listPagePrefix.length));
    return listPending(turn, Number.isInteger(page) && page >= 1 ? page : 1);
  }
  if (head && input.payload === undefined && input.text !== undefined) {
    const command = parseHeadCommand(input.text);
    if (command === "list") return listPending(turn, 1);
    if (command === "stats") {
      turn.state.pending = null;
      turn.effects.push({ type: "reportBranchStats", year: turn.world.year });
      return "handled";
    }
  }
  return "pass";
}

/** The invite deep link: a start event with ref "chihoi_<code>". */
export function claimFromStartRef(turn: Turn, ref: string): boolean {
  const code = parseBranchClaimRef(ref);
  if (!code) return false;
  claim(turn, code);
  return true;
}

/** Asks a head's pending question again (after a sticker, a help text…); false when nothing of theirs is pending. */
export function reaskHeadPending(turn: Turn): boolean {
  const pending = turn.state.pending;
  if (pending?.kind === "headName") {
    if (!needsHeadName(turn)) return false;
    turn.text("head.askName");
    return true;
  }
  if (pending?.kind !== "decisionItems" && pending?.kind !== "decisionReason") return false;
  const card = openCard(turn, pending.token);
  if (!card) {
    turn.state.pending = null;
    return false;
  }
  if (pending.kind === "decisionItems") askItems(turn, pending, card);
  else askReason(turn, pending, card);
  return true;
}

function claim(turn: Turn, code: string): HeadInputResult {
  turn.effects.push({ type: "claimBranch", inviteCode: code, at: turn.world.now, locale: turn.state.locale });
  // Whether the code worked is known only when the effect is applied: the name is asked for in that reply, and
  // the next message counts as the name only if the database then says this person heads a branch without one.
  turn.state.pending = { kind: "headName" };
  return "handled";
}

const needsHeadName = (turn: Turn) => turn.facts.head !== null && turn.facts.head.name === null;

function answerHeadName(turn: Turn, input: Input): HeadInputResult {
  const text = input.text;
  if (!needsHeadName(turn) || input.payload !== undefined || text === undefined || parseGlobalCommand(text) || parseHeadCommand(text) || parseBranchClaim(text)) {
    turn.state.pending = null;
    return "pass";
  }
  const parsed = parsePersonName(text);
  if (parsed.status !== "ok") {
    turn.text(`name.${parsed.reason}`);
    turn.text("head.askName");
    return "handled";
  }
  turn.state.pending = null;
  turn.effects.push({ type: "setHeadName", name: parsed.name });
  turn.text("head.named", { name: parsed.name });
  return "handled";
}

/** The card of a token while it can still decide; says why not otherwise. */
function openCard(turn: Turn, token: string): DecisionCard | null {
  const facts = turn.facts.card;
  return facts?.token === token && facts.status === "open" ? facts.card : null;
}

function tapDecision(turn: Turn, token: string, action: DecisionAction): HeadInputResult {
  const facts = turn.facts.card;
  // A token that is not this person's reads exactly like one that does not exist: nothing is revealed.
  if (!facts || facts.token !== token || facts.status === "unknown") return "notUnderstood";
  turn.state.pending = null;
  if (facts.status === "notHead") {
    turn.text("decision.notHead");
    return "handled";
  }
  if (facts.status === "closed") {
    turn.reply({ text: pastDecisionText(turn.world, turn.state.locale, facts.decision) });
    return "handled";
  }
  if (action === "confirm") {
    decide(turn, token, "confirm", null, []);
    return "handled";
  }
  if (action === "reject") {
    const pending: ReasonPending = { kind: "decisionReason", token, action: "reject", items: [] };
    turn.state.pending = pending;
    askReason(turn, pending, facts.card);
    return "handled";
  }
  const pending: ItemsPending = { kind: "decisionItems", token, items: [] };
  turn.state.pending = pending;
  askItems(turn, pending, facts.card);
  return "handled";
}

function decide(turn: Turn, token: string, action: DecisionAction, reason: string | null, reopenFields: string[]): void {
  turn.state.pending = null;
  turn.effects.push({ type: "decideRegistration", token, action, reason, reopenFields, at: turn.world.now });
}

function cancelDecision(turn: Turn): HeadInputResult {
  turn.state.pending = null;
  turn.text("decision.cancelled");
  return "handled";
}

/** When the card stopped being open between the tap and this answer: the truth, and nothing pending. */
function answerForClosedCard(turn: Turn): HeadInputResult {
  const facts = turn.facts.card;
  turn.state.pending = null;
  if (facts?.status === "closed") turn.reply({ text: pastDecisionText(turn.world, turn.state.locale, facts.decision) });
  else if (facts?.status === "notHead") turn.text("decision.notHead");
  else turn.text("decision.closed");
  return "handled";
}

function askReason(turn: Turn, pending: ReasonPending, card: DecisionCard): void {
  const { world, state } = turn;
  const params = { name: citizenNameOf(world, state.locale, card), items: criteriaFieldsText(world, state.locale, card, pending.items) };
  turn.text(`decision.reasonAsk.${pending.action}`, params, [{ title: turn.say("buttons.cancelDecision"), payload: decisionCancelPayload }]);
}

function answerReason(turn: Turn, pending: ReasonPending, input: Input): HeadInputResult {
  if (input.payload === decisionCancelPayload) return cancelDecision(turn);
  if (input.payload !== undefined || input.text === undefined) return "pass";
  if (parseGlobalCommand(input.text) === "cancel") return cancelDecision(turn);
  const card = openCard(turn, pending.token);
  if (!card) return answerForClosedCard(turn);
  const reason = input.text.replace(/\s+/g, " ").trim();
  if ([...reason].length < 2) {
    turn.text("decision.reasonTooShort");
    askReason(turn, pending, card);
    return "handled";
  }
  if ([...reason].length > reasonMaxLength) {
    turn.text("decision.reasonTooLong", { max: reasonMaxLength });
    askReason(turn, pending, card);
    return "handled";
  }
  decide(turn, pending.token, pending.action, reason, pending.items);
  return "handled";
}

function askItems(turn: Turn, pending: ItemsPending, card: DecisionCard): void {
  const { world, state } = turn;
  const remaining = criteriaFieldsOf(world, card).filter((field) => !pending.items.includes(field));
  const buttons = remaining.map((field) => ({ title: criteriaFieldLabel(world, state.locale, card, field), payload: decisionItemPayload(field) }));
  buttons.push({ title: turn.say("buttons.all"), payload: decisionItemPayload("all") });
  if (pending.items.length > 0) buttons.push({ title: turn.say("buttons.done"), payload: decisionItemPayload("done") });
  if (pending.items.length === 0) turn.text("decision.items.ask", { name: citizenNameOf(world, state.locale, card) }, buttons);
  else turn.text("decision.items.chosen", { items: criteriaFieldsText(world, state.locale, card, pending.items) }, buttons);
}

/** Items are picked one tap at a time ("Xong" ends), all at once ("Tất cả"), or typed: "2, 5", "ngoại ngữ", "tất cả". */
function answerItems(turn: Turn, pending: ItemsPending, input: Input): HeadInputResult {
  if (input.payload === decisionCancelPayload) return cancelDecision(turn);
  const card = openCard(turn, pending.token);
  if (!card) return answerForClosedCard(turn);
  const all = criteriaFieldsOf(turn.world, card);
  const picks = input.payload?.startsWith(itemPrefix) ? [input.payload.slice(itemPrefix.length)] : input.payload === undefined ? typedItems(turn, input.text ?? "", all, card) : null;
  if (picks === null) return "pass";
  if (picks.length === 0) {
    if (input.text !== undefined && parseGlobalCommand(input.text) === "cancel") return cancelDecision(turn);
    if (input.text !== undefined && parseGlobalCommand(input.text)) {
      turn.state.pending = null;
      return "pass";
    }
    turn.text("decision.items.pick");
    askItems(turn, pending, card);
    return "handled";
  }
  let items = [...pending.items];
  let done = picks.length > 1;
  for (const pick of picks) {
    if (pick === "all") {
      items = all;
      done = true;
    } else if (pick === "done") {
      done = true;
    } else if (all.includes(pick) && !items.includes(pick)) {
      items.push(pick);
    }
  }
  items = all.filter((field) => items.includes(field));
  if (done && items.length === 0) {
    turn.text("decision.items.none");
    askItems(turn, pending, card);
    return "handled";
  }
  if (done || items.length === all.length) {
    const reasonPending: ReasonPending = { kind: "decisionReason", token: pending.token, action: "more", items };
    turn.state.pending = reasonPending;
    askReason(turn, reasonPending, card);
    return "handled";
  }
  const next: ItemsPending = { ...pending, items };
  turn.state.pending = next;
  askItems(turn, next, card);
  return "handled";
}

/** Typed picks: numbers of the offered buttons ("2, 5"), "tất cả", "xong", or an item's name. */
function typedItems(turn: Turn, text: string, all: string[], card: DecisionCard): string[] {
  const trimmed = text.trim();
  const payloadOf = (n: number) => turn.state.offered[n - 1]?.payload;
  if (/^\d{1,2}(\s*(,|;|và|va|and|&|\s)\s*\d{1,2})*$/i.test(trimmed)) {
    const payloads = (trimmed.match(/\d{1,2}/g) ?? []).map((n) => payloadOf(Number(n)));
    if (payloads.every((payload) => payload?.startsWith(itemPrefix))) return payloads.map((payload) => (payload ?? "").slice(itemPrefix.length));
    return [];
  }
  const options = [
    ...all.map((field) => ({ value: field, labels: locales.map((locale) => criteriaFieldLabel(turn.world, locale, card, field)), synonyms: [] })),
    { value: "all", labels: locales.map((locale) => turn.world.translate(locale, "buttons.all")), synonyms: ["tat ca", "ca", "het", "all", "everything"] },
    { value: "done", labels: locales.map((locale) => turn.world.translate(locale, "buttons.done")), synonyms: ["xong", "xong roi", "du roi", "done", "ok"] },
  ];
  const match = matchChoice(trimmed, options);
  return match.status === "matched" && match.confidence === "high" ? [match.value] : [];
}

/** "danh sách": the pending registrations of the head's branches, a page at a time, with the card buttons. */
function listPending(turn: Turn, page: number): HeadInputResult {
  turn.state.pending = null;
  turn.effects.push({ type: "listPendingRegistrations", page, pageSize: listPageSize });
  return "handled";
}
