import { findCriteriaSet } from "./flowDefinitions.js";
import { decisionPayload } from "./decisionPayload.js";
import { criteriaField, indicatorIdOf } from "./sessionState.js";
import type { DecisionCard, PastDecision } from "./turnFacts.js";
import type { Locale, OutboundMessage } from "./types.js";
import type { World } from "./world.js";

/** "09:05 02/03/2026" in Asia/Ho_Chi_Minh: when a decision was taken, as a head reads it. */
export function formatDecisionTime(at: number, locale: Locale): string {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Ho_Chi_Minh",
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
    year: "numeric",
    hourCycle: "h23",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  const date = `${part("day")}/${part("month")}/${part("year")}`;
  return locale === "vi" ? `${part("hour")}:${part("minute")} ngày ${date}` : `${part("hour")}:${part("minute")} on ${date}`;
}

export function citizenNameOf(world: World, locale: Locale, card: DecisionCard): string {
  return card.fullName ?? world.translate(locale, "decision.unnamed");
}

/** The compact card a head decides from, with Xác nhận / Từ chối / Cần bổ sung carrying the head's own token. */
export function decisionCardMessage(world: World, locale: Locale, card: DecisionCard, token: string, fresh: boolean): OutboundMessage {
  const t = (key: string, params?: Record<string, string | number>) => world.translate(locale, key, params);
  const unknown = t("decision.unknown");
  const body = t("decision.card", {
    branch: card.branchName,
    name: citizenNameOf(world, locale, card),
    birthYear: card.birthYear ?? unknown,
    group: card.groupCode ? t(`flow:registration.group.options.${card.groupCode}`) : unknown,
    village: card.village ?? unknown,
    score: card.score ?? unknown,
    result: card.meets === null ? unknown : t(card.meets ? "decision.meets" : "decision.notMeets"),
  });
  return {
    text: fresh ? `${t("decision.cardNew")}\n${body}` : body,
    buttons: [
      { title: t("buttons.confirm"), payload: decisionPayload(token, "confirm") },
      { title: t("buttons.reject"), payload: decisionPayload(token, "reject") },
      { title: t("buttons.more"), payload: decisionPayload(token, "more") },
    ],
  };
}

/** "Already decided by … at …", or that the registration no longer waits. */
export function pastDecisionText(world: World, locale: Locale, decision: PastDecision | null): string {
  if (!decision) return world.translate(locale, "decision.closed");
  const params = { action: world.translate(locale, `decision.action.${decision.action}`), time: formatDecisionTime(decision.at, locale) };
  if (decision.byMe) return world.translate(locale, "decision.alreadyByYou", params);
  return world.translate(locale, "decision.already", { ...params, name: decision.byName ?? world.translate(locale, "decision.someone") });
}

/** The criteria fields of the card's criteria set, in order ("criteria.reading", …). */
export function criteriaFieldsOf(world: World, card: DecisionCard): string[] {
  const set = card.criteriaSet ? findCriteriaSet(world.catalog, card.criteriaSet.id, card.criteriaSet.version) : undefined;
  return set ? set.indicators.map((indicator) => criteriaField(indicator.id)) : [];
}

/** Short names of criteria fields, for buttons and for telling the citizen what to complete. */
export function criteriaFieldLabel(world: World, locale: Locale, card: DecisionCard, field: string): string {
  return card.criteriaSet ? world.translate(locale, `flow:criteria.${card.criteriaSet.id}.${indicatorIdOf(field)}.short`) : field;
}

export function criteriaFieldsText(world: World, locale: Locale, card: DecisionCard, fields: string[]): string {
  const all = criteriaFieldsOf(world, card);
  if (fields.length > 1 && all.every((field) => fields.includes(field))) return world.translate(locale, "decision.items.allLabel");
  return fields.map((field) => criteriaFieldLabel(world, locale, card, field)).join(", ");
}
