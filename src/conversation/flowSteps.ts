import { findCriteriaSet, findFlow, type CriteriaSet, type FlowDefinition, type FlowStep, type Indicator } from "./flowDefinitions.js";
import { criteriaField, type SessionState } from "./sessionState.js";
import type { World } from "./world.js";

/** One question of the running flow: a flow step, or one indicator of the chosen criteria set. */
export type FieldStep =
  | { type: "step"; field: string; step: FlowStep }
  | { type: "indicator"; field: string; indicator: Indicator; set: CriteriaSet; index: number; count: number };

export function flowOf(state: SessionState, world: World): FlowDefinition {
  const flow = findFlow(world.catalog, state.flow.id, state.flow.version);
  if (!flow) throw new Error(`The session uses flow ${state.flow.id}@${state.flow.version}, which is not in flows/: keep old versions`);
  return flow;
}

export function criteriaSetOf(state: SessionState, world: World): CriteriaSet | null {
  if (!state.criteriaSet) return null;
  const set = findCriteriaSet(world.catalog, state.criteriaSet.id, state.criteriaSet.version);
  if (!set) throw new Error(`The session uses criteria set ${state.criteriaSet.id}@${state.criteriaSet.version}, which is not in flows/criteria/`);
  return set;
}

export function isMinor(state: SessionState, world: World): boolean {
  const birthYear = state.answers.birthYear?.value;
  return typeof birthYear === "number" && state.year - birthYear < flowOf(state, world).guardianAgeBelow;
}

/** The questions of this session in order, with criteria expanded and conditional steps applied. */
export function fieldsOf(state: SessionState, world: World): FieldStep[] {
  const fields: FieldStep[] = [];
  for (const step of flowOf(state, world).steps) {
    if (step.kind === "guardianConsent" && !isMinor(state, world)) continue;
    if (step.kind === "criteria") {
      const set = criteriaSetOf(state, world);
      if (!set) continue;
      set.indicators.forEach((indicator, index) =>
        fields.push({ type: "indicator", field: criteriaField(indicator.id), indicator, set, index, count: set.indicators.length }),
      );
      continue;
    }
    fields.push({ type: "step", field: step.id, step });
  }
  return fields;
}

export function findField(state: SessionState, world: World, field: string): FieldStep | undefined {
  return fieldsOf(state, world).find((candidate) => candidate.field === field);
}

/** The first question without an answer (the summary counts as never answered). */
export function firstUnanswered(state: SessionState, world: World): FieldStep | undefined {
  return fieldsOf(state, world).find((candidate) => !(candidate.field in state.answers));
}

/** Fields a person can go back and change from the summary, in flow order. */
export function editableFields(state: SessionState, world: World): FieldStep[] {
  return fieldsOf(state, world).filter(
    (candidate) =>
      candidate.field in state.answers &&
      !(candidate.type === "step" && ["consent", "summary", "commune", "branch", "guardianConsent"].includes(candidate.step.kind)),
  );
}

/** Answers that depend on another: changing the key clears the values after it. */
export const dependentFields: Record<string, string[]> = {
  province: ["commune", "branch"],
  commune: ["branch"],
};
