import type { EffectOutcome, RenderedOutcome } from "./effectOutcomes.js";
import { pendingListPayload } from "./decisionPayload.js";
import { citizenNameOf, criteriaFieldsText, decisionCardMessage, pastDecisionText } from "./decisionMessages.js";
import { fieldsOf } from "./flowSteps.js";
import { questionFor } from "./prompts.js";
import { newSession } from "./step.js";
import type { DecisionCard } from "./turnFacts.js";
import type { Locale, OutboundMessage } from "./types.js";
import type { World } from "./world.js";

const nothing: RenderedOutcome = { replies: [], notifications: [] };

/**
 * Words for an effect's outcome: the reply to the person of the turn (in `locale`) and the messages to others, each
 * in the recipient's language. Pure, like the engine: the persistence layer calls it inside the turn's transaction.
 */
export function renderEffectOutcome(outcome: EffectOutcome, world: World, locale: Locale): RenderedOutcome {
  const t = (key: string, params?: Record<string, string | number>) => world.translate(locale, key, params);
  const replies = (...texts: string[]): RenderedOutcome => ({ replies: texts.map((text) => ({ text })), notifications: [] });
  switch (outcome.type) {
    case "branchClaim": {
      if (outcome.result === "invalid") return replies(t("head.inviteInvalid"));
      const first = t(outcome.result === "claimed" ? "head.claimed" : "head.alreadyHead", { branch: outcome.branchName });
      return replies(first, t(outcome.needsName ? "head.askName" : "head.ready"));
    }
    case "submission": {
      const card = outcome.card;
      if (!card) return nothing;
      return {
        replies: [],
        notifications: outcome.cards.map(({ recipient, token }) => ({
          recipient: recipient.identity,
          message: decisionCardMessage(world, recipient.locale, card, token, true),
        })),
      };
    }
    case "decision": {
      if (outcome.result === "refused") return replies(t("notUnderstood"));
      if (outcome.result === "alreadyDecided") return replies(pastDecisionText(world, locale, outcome.decision));
      const reply = t(`decision.done.${outcome.action}`, { name: citizenNameOf(world, locale, outcome.card) });
      const citizen = outcome.citizen;
      const messages = citizen ? citizenDecisionMessages(world, citizen.locale, outcome.action, outcome.card, outcome.reason ?? "", outcome.reopenFields) : [];
      return {
        replies: [{ text: reply }],
        notifications: citizen ? messages.map((message) => ({ recipient: citizen.identity, message })) : [],
      };
    }
    case "pendingList": {
      if (outcome.total === 0) return replies(t("decision.list.empty"));
      const from = (outcome.page - 1) * outcome.pageSize + 1;
      const to = from + outcome.items.length - 1;
      const messages: OutboundMessage[] = [{ text: t("decision.list.header", { from, to, total: outcome.total }) }];
      for (const item of outcome.items) messages.push(decisionCardMessage(world, locale, item.card, item.token, false));
      if (to < outcome.total) {
        messages.push({ text: t("decision.list.more", { rest: outcome.total - to }), buttons: [{ title: t("buttons.seeMore"), payload: pendingListPayload(outcome.page + 1) }] });
      }
      return { replies: messages, notifications: [] };
    }
    case "branchStats": {
      const lines = [t("stats.header", { year: outcome.year })];
      for (const branch of outcome.branches) {
        const count = (status: keyof typeof branch.counts) => branch.counts[status] ?? 0;
        lines.push(
          t("stats.branch", {
            branch: branch.name,
            submitted: count("submitted"),
            confirmed: count("confirmed"),
            rejected: count("rejected"),
            needs_info: count("needs_info"),
            draft: count("draft"),
          }),
        );
      }
      return replies(lines.join("\n"));
    }
  }
}

/** The decision as the citizen reads it; "Cần bổ sung" ends with the first reopened question, ready to answer. */
function citizenDecisionMessages(world: World, locale: Locale, action: "confirm" | "reject" | "more", card: DecisionCard, reason: string, reopenFields: string[]): OutboundMessage[] {
  const t = (key: string, params?: Record<string, string | number>) => world.translate(locale, key, params);
  const base = { branch: card.branchName, year: card.year };
  if (action === "confirm") return [{ text: t("citizenDecision.confirmed", base) }];
  if (action === "reject") return [{ text: t("citizenDecision.rejected", { ...base, reason }) }, { text: t("citizenDecision.rejectedHint") }];
  const messages: OutboundMessage[] = [
    { text: t("citizenDecision.needsInfo", { ...base, items: criteriaFieldsText(world, locale, card, reopenFields), reason }) },
    { text: t("citizenDecision.needsInfoHint") },
  ];
  // The citizen's session is rebuilt from the database at their next message: its first unanswered field is this one.
  const state = { ...newSession(world, locale), flow: card.flow, criteriaSet: card.criteriaSet };
  const first = fieldsOf(state, world).find((fieldStep) => reopenFields.includes(fieldStep.field));
  if (first) messages.push(...questionFor(state, world, first));
  return messages;
}
