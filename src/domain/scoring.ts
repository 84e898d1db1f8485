import type { CriteriaSet, Indicator } from "../conversation/flowDefinitions.js";

export type RegistrationScore = {
  total: number;
  max: number;
  /** Indicators answered with fewer points than the set's minimum per indicator. */
  belowMinimum: string[];
  /** Indicators not answered yet. */
  missing: string[];
  /** The provisional result: every indicator answered, total ≥ the pass mark, none below the minimum. */
  meets: boolean;
  byCriterion: { criterion: number; points: number; max: number }[];
};

/** Scores a registration against its criteria set (QĐ 324: ≥ 80 of 100 and no indicator below 5). */
export function scoreRegistration(set: CriteriaSet, pointsByIndicator: Readonly<Record<string, number | null | undefined>>): RegistrationScore {
  let total = 0;
  const belowMinimum: string[] = [];
  const missing: string[] = [];
  const criteria = new Map<number, { points: number; max: number }>();
  for (const indicator of set.indicators) {
    const entry = criteria.get(indicator.criterion) ?? { points: 0, max: 0 };
    entry.max += set.maxPerIndicator;
    const points = pointsByIndicator[indicator.id];
    if (points === null || points === undefined) {
      missing.push(indicator.id);
    } else {
      total += points;
      entry.points += points;
      if (points < set.pass.minPerIndicator) belowMinimum.push(indicator.id);
    }
    criteria.set(indicator.criterion, entry);
  }
  return {
    total,
    max: set.indicators.length * set.maxPerIndicator,
    belowMinimum,
    missing,
    meets: missing.length === 0 && belowMinimum.length === 0 && total >= set.pass.minTotal,
    byCriterion: [...criteria.entries()].sort(([a], [b]) => a - b).map(([criterion, value]) => ({ criterion, ...value })),
  };
}

/** Points for an hours-per-week answer: the first band (highest first) whose minimum the hours reach. */
export function pointsForWeeklyHours(indicator: Extract<Indicator, { kind: "weeklyHours" }>, hours: number): number {
  return indicator.bands.find((band) => hours >= band.minHours)?.points ?? 0;
}
