import { scoreRegistration } from "../domain/scoring.js";
import type { FieldStep } from "./flowSteps.js";
import { criteriaSetOf, fieldsOf, flowOf } from "./flowSteps.js";
import { indicatorIdOf, isCriteriaField, type Answer, type SessionState } from "./sessionState.js";
import type { Button, OutboundMessage } from "./types.js";
import type { World } from "./world.js";

export const optionPayload = (field: string, value: string) => `opt:${field}:${value}`;
export const confirmPayload = (answer: "yes" | "no") => `opt:confirm:${answer}`;

/** Translates in the session's language. */
export function say(state: SessionState, world: World, key: string, params?: Record<string, string | number>): string {
  return world.translate(state.locale, key, params);
}

/** The i18n key prefix of a question's texts. */
export function textKey(fieldStep: FieldStep): string {
  return fieldStep.type === "indicator" ? `flow:criteria.${fieldStep.set.id}.${fieldStep.indicator.id}` : `flow:registration.${fieldStep.field}`;
}

/** The labels of a choice question's options, in the session's language, in button order. */
export function choiceButtons(state: SessionState, world: World, fieldStep: FieldStep): Button[] {
  const options =
    fieldStep.type === "indicator"
      ? fieldStep.indicator.kind === "choice"
        ? fieldStep.indicator.options
        : []
      : fieldStep.step.kind === "choice"
        ? fieldStep.step.options
        : [];
  return options.map((option) => ({
    title: say(state, world, `${textKey(fieldStep)}.options.${option.value}`),
    payload: optionPayload(fieldStep.field, option.value),
  }));
}

export function yesNoButtons(state: SessionState, world: World, yesKey = "buttons.yes", noKey = "buttons.no"): Button[] {
  return [
    { title: say(state, world, yesKey), payload: confirmPayload("yes") },
    { title: say(state, world, noKey), payload: confirmPayload("no") },
  ];
}

/** The question for a field, with its buttons. */
export function questionFor(state: SessionState, world: World, fieldStep: FieldStep): OutboundMessage[] {
  const key = textKey(fieldStep);
  if (fieldStep.type === "indicator") {
    const progress = say(state, world, "progress", { n: fieldStep.index + 1, total: fieldStep.count });
    const text = `${progress} ${say(state, world, `${key}.prompt`)}`;
    return [{ text, buttons: fieldStep.indicator.kind === "choice" ? choiceButtons(state, world, fieldStep) : undefined }];
  }
  const step = fieldStep.step;
  switch (step.kind) {
    case "consent": {
      const flow = flowOf(state, world);
      return [
        { text: say(state, world, "consent.notice1") },
        { text: say(state, world, "consent.notice2", { version: flow.consentNoticeVersion }) },
        { text: say(state, world, "consent.question"), buttons: yesNoButtons(state, world, "consent.yes", "consent.no") },
      ];
    }
    case "commune": {
      const provinceCode = placeCode(state.answers.province?.value);
      const province = provinceCode ? world.directory.province(provinceCode) : undefined;
      const example = provinceCode ? world.directory.communes(provinceCode)[0]?.name : undefined;
      return [{ text: say(state, world, `${key}.prompt`, { province: province?.fullName ?? "", example: example ?? "" }) }];
    }
    case "branch": {
      const communeCode = placeCode(state.answers.commune?.value);
      const branches = communeCode ? world.directory.branches(communeCode) : [];
      const buttons = branches.map((branch) => ({ title: branch.name, payload: optionPayload("branch", branch.id) }));
      buttons.push({ title: say(state, world, "branch.notListed"), payload: optionPayload("branch", "none") });
      return [{ text: say(state, world, `${key}.prompt`), buttons }];
    }
    case "choice":
      return [{ text: say(state, world, `${key}.prompt`), buttons: choiceButtons(state, world, fieldStep) }];
    case "guardianConsent":
      return [{ text: say(state, world, `${key}.prompt`), buttons: yesNoButtons(state, world, "guardian.yes", "guardian.no") }];
    case "phone":
      return [{ text: say(state, world, `${key}.prompt`), buttons: [{ title: say(state, world, "buttons.skip"), payload: optionPayload("phone", "skip") }] }];
    case "summary":
      return summaryMessages(state, world);
    default:
      return [{ text: say(state, world, `${key}.prompt`) }];
  }
}

/** Answers, score out of 100 and the provisional result, with Gửi / Sửa. */
export function summaryMessages(state: SessionState, world: World): OutboundMessage[] {
  const lines = [say(state, world, "summary.header")];
  for (const fieldStep of fieldsOf(state, world)) {
    const answer = state.answers[fieldStep.field];
    if (!answer || fieldStep.type === "indicator") continue;
    if (fieldStep.step.kind === "consent" || fieldStep.step.kind === "guardianConsent" || fieldStep.step.kind === "summary") continue;
    lines.push(`• ${say(state, world, `field.${fieldStep.field}`)}: ${displayAnswer(state, world, fieldStep, answer)}`);
  }
  const set = criteriaSetOf(state, world);
  const messages: OutboundMessage[] = [{ text: lines.join("\n") }];
  if (set) {
    const score = scoreRegistration(set, pointsByIndicator(state));
    // Each of the ten answers in a few words, then the result in plain words (no "chỉ số", no "tạm tính").
    const scoreLines = [say(state, world, "summary.answersHeader")];
    for (const fieldStep of fieldsOf(state, world)) {
      const answer = state.answers[fieldStep.field];
      if (!answer || fieldStep.type !== "indicator") continue;
      scoreLines.push(`• ${say(state, world, `${textKey(fieldStep)}.short`)}: ${displayAnswer(state, world, fieldStep, answer)}`);
    }
    scoreLines.push(say(state, world, "summary.score", { total: score.total, max: score.max }));
    if (score.meets) scoreLines.push(say(state, world, "summary.meets"));
    else {
      scoreLines.push(say(state, world, "summary.notMeets", { minTotal: set.pass.minTotal, minPerIndicator: set.pass.minPerIndicator }));
      if (score.belowMinimum.length > 0) {
        const names = score.belowMinimum.map((id) => say(state, world, `flow:criteria.${set.id}.${id}.short`));
        scoreLines.push(say(state, world, "summary.below", { items: names.join(", "), min: set.pass.minPerIndicator }));
      }
    }
    messages.push({ text: scoreLines.join("\n") });
  }
  messages.push({
    text: say(state, world, "summary.question"),
    buttons: [
      { title: say(state, world, "summary.submit"), payload: "nav:submit" },
      { title: say(state, world, "summary.edit"), payload: "nav:edit" },
    ],
  });
  return messages;
}

export function pointsByIndicator(state: SessionState): Record<string, number | null> {
  const points: Record<string, number | null> = {};
  for (const [field, answer] of Object.entries(state.answers)) {
    if (isCriteriaField(field)) points[indicatorIdOf(field)] = answer.points;
  }
  return points;
}

/** How an answer reads back to the person. */
export function displayAnswer(state: SessionState, world: World, fieldStep: FieldStep, answer: Answer): string {
  const value = answer.value;
  if (fieldStep.type === "indicator") {
    if (fieldStep.indicator.kind === "weeklyHours" && typeof value === "number") return say(state, world, "hoursPerWeek", { hours: formatHours(value) });
    if (typeof value === "string") return say(state, world, `${textKey(fieldStep)}.options.${value}`);
    return answer.raw;
  }
  switch (fieldStep.step.kind) {
    case "province":
    case "commune":
    case "branch":
      // Shown back as what happens next, not as the button's "Không có ở đây".
      if (value === null) return say(state, world, "branch.toBeAssigned");
      return placeName(value) ?? answer.raw;
    case "choice":
      return typeof value === "string" ? say(state, world, `${textKey(fieldStep)}.options.${value}`) : answer.raw;
    case "phone":
      return typeof value === "string" ? value : say(state, world, "notGiven");
    default:
      return typeof value === "string" || typeof value === "number" ? String(value) : answer.raw;
  }
}

export function formatHours(hours: number): string {
  return String(Math.round(hours * 10) / 10);
}

export function placeName(value: unknown): string | null {
  if (value && typeof value === "object" && "name" in value && typeof value.name === "string") return value.name;
  return null;
}

/** A stored place answer is { code, name }; older or hand-made values may be a bare code. */
export function placeCode(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && "code" in value && typeof value.code === "string") return value.code;
  return null;
}
