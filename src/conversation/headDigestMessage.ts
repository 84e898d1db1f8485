import type { Translate } from "../i18n.js";
import { pendingListPayload } from "./decisionPayload.js";
import type { DecisionCard } from "./turnFacts.js";
import type { Locale, OutboundMessage } from "./types.js";

const dayMs = 24 * 3600_000;

/** The morning digest to a head: how many wait, the oldest few with how long, and a button to "danh sách". */
export function headDigestMessage(
  translate: Translate,
  locale: Locale,
  digest: { headName: string | null; total: number; oldest: DecisionCard[]; now: Date },
): OutboundMessage {
  const t = (key: string, params?: Record<string, string | number>) => translate(locale, key, params);
  const unknown = t("decision.unknown");
  const lines = [t("digest.header", { name: digest.headName ?? t("digest.greetingFallback"), count: digest.total })];
  for (const card of digest.oldest) {
    const days = card.submittedAt === null ? 0 : Math.max(0, Math.floor((digest.now.getTime() - card.submittedAt) / dayMs));
    lines.push(
      t("digest.line", {
        citizen: card.fullName ?? t("decision.unnamed"),
        birthYear: card.birthYear ?? unknown,
        score: card.score ?? unknown,
        branch: card.branchName,
        days,
      }),
    );
  }
  if (digest.total > digest.oldest.length) lines.push(t("digest.rest", { rest: digest.total - digest.oldest.length }));
  lines.push(t("digest.footer"));
  return { text: lines.join("\n"), buttons: [{ title: t("buttons.seeList"), payload: pendingListPayload(1) }] };
}
