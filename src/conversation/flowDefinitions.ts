import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";

const identifier = z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]*$/, "use letters, digits and _ only");

const choiceOptionSchema = z.object({
  value: identifier,
  synonyms: z.array(z.string().min(1)).default([]),
});

const stepSchema = z.discriminatedUnion("kind", [
  z.object({ id: z.literal("consent"), kind: z.literal("consent") }),
  z.object({ id: z.literal("province"), kind: z.literal("province") }),
  z.object({ id: z.literal("commune"), kind: z.literal("commune") }),
  z.object({ id: z.literal("branch"), kind: z.literal("branch") }),
  z.object({ id: identifier, kind: z.literal("shortText"), maxLength: z.number().int().positive().default(100) }),
  z.object({ id: z.literal("fullName"), kind: z.literal("personName") }),
  z.object({ id: z.literal("birthYear"), kind: z.literal("birthYear") }),
  z.object({ id: z.literal("guardianConsent"), kind: z.literal("guardianConsent") }),
  z.object({ id: identifier, kind: z.literal("choice"), options: z.array(choiceOptionSchema).min(2).max(13) }),
  z.object({ id: z.literal("phone"), kind: z.literal("phone"), optional: z.boolean().default(true) }),
  z.object({ id: z.literal("criteria"), kind: z.literal("criteria") }),
  z.object({ id: identifier, kind: z.literal("freeText"), maxLength: z.number().int().positive().default(2000) }),
  z.object({ id: z.literal("summary"), kind: z.literal("summary") }),
]);

export const flowDefinitionSchema = z
  .object({
    id: identifier,
    version: z.number().int().positive(),
    consentNoticeVersion: z.string().min(1),
    guardianAgeBelow: z.number().int().min(0).max(21),
    steps: z.array(stepSchema).min(2),
  })
  .superRefine((flow, ctx) => {
    const ids = flow.steps.map((step) => step.id);
    for (const id of ids) if (ids.indexOf(id) !== ids.lastIndexOf(id)) ctx.addIssue({ code: "custom", message: `step "${id}" appears twice` });
    for (const required of ["consent", "group", "criteria", "summary"]) {
      if (!ids.includes(required)) ctx.addIssue({ code: "custom", message: `the flow needs a "${required}" step` });
    }
    if (ids[0] !== "consent") ctx.addIssue({ code: "custom", message: "consent must be the first step" });
    if (ids.at(-1) !== "summary") ctx.addIssue({ code: "custom", message: "summary must be the last step" });
  });

const indicatorSchema = z.discriminatedUnion("kind", [
  z.object({
    id: identifier,
    criterion: z.number().int().min(1).max(3),
    kind: z.literal("choice"),
    /** `fromMark`: a school mark out of 10 from this one up gives the option (a pupil types "8 điểm"). */
    options: z.array(choiceOptionSchema.extend({ points: z.number().int().min(0), fromMark: z.number().min(0).max(10).optional() })).min(2).max(13),
    /**
     * Each option includes those below it ("what do you use a phone for?"): an answer naming several ("YouTube and
     * Zalo") is the best of them. The options are then listed best first.
     */
    highestNamed: z.boolean().default(false),
  }).refine((indicator) => !indicator.highestNamed || indicator.options.every((option, index, all) => index === 0 || option.points <= (all[index - 1]?.points ?? 0)), {
    message: "highestNamed lists its options best first",
  }),
  z.object({
    id: identifier,
    criterion: z.number().int().min(1).max(3),
    kind: z.literal("weeklyHours"),
    /** Highest band first: the first band whose minHours the answer reaches gives the points. */
    bands: z.array(z.object({ minHours: z.number().min(0), points: z.number().int().min(0) })).min(2),
  }),
]);

export const criteriaSetSchema = z
  .object({
    id: identifier,
    version: z.number().int().positive(),
    appliesTo: z.object({ groups: z.array(identifier).min(1), provinces: z.array(z.string()).default([]) }),
    pass: z.object({ minTotal: z.number().int().min(0), minPerIndicator: z.number().int().min(0) }),
    maxPerIndicator: z.number().int().positive().default(10),
    indicators: z.array(indicatorSchema).min(1),
  })
  .superRefine((set, ctx) => {
    const ids = set.indicators.map((indicator) => indicator.id);
    for (const id of ids) if (ids.indexOf(id) !== ids.lastIndexOf(id)) ctx.addIssue({ code: "custom", message: `indicator "${id}" appears twice` });
    for (const indicator of set.indicators) {
      const points = indicator.kind === "choice" ? indicator.options.map((o) => o.points) : indicator.bands.map((b) => b.points);
      if (Math.max(...points) > set.maxPerIndicator) ctx.addIssue({ code: "custom", message: `indicator "${indicator.id}" gives more than ${set.maxPerIndicator} points` });
      if (indicator.kind === "weeklyHours") {
        const mins = indicator.bands.map((b) => b.minHours);
        if (mins.some((m, i) => i > 0 && m >= (mins[i - 1] ?? Infinity))) ctx.addIssue({ code: "custom", message: `indicator "${indicator.id}": bands must go from the highest minHours down` });
        if (mins.at(-1) !== 0) ctx.addIssue({ code: "custom", message: `indicator "${indicator.id}": the last band must start at 0 hours` });
      }
    }
  });

export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;
export type FlowStep = FlowDefinition["steps"][number];
export type CriteriaSet = z.infer<typeof criteriaSetSchema>;
export type Indicator = CriteriaSet["indicators"][number];

/** Every version of every flow and criteria set: running sessions keep the version they started on. */
export type FlowCatalog = {
  flows: FlowDefinition[];
  criteriaSets: CriteriaSet[];
};

export class FlowDefinitionError extends Error {
  override name = "FlowDefinitionError";
}

export const defaultFlowsDir = fileURLToPath(new URL("../../flows/", import.meta.url));

function parseFile<T>(path: string, schema: z.ZodType<T>): T {
  const result = schema.safeParse(parseYaml(readFileSync(path, "utf8")));
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join(".") || "(file)"}: ${issue.message}`);
    throw new FlowDefinitionError(`${path} is not a valid definition:\n${lines.join("\n")}`);
  }
  return result.data;
}

const yamlFiles = (dir: string) => readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort().map((name) => join(dir, name));

/** Reads and checks flows/*.yaml and flows/criteria/*.yaml; throws a FlowDefinitionError naming the file and field. */
export function loadFlowCatalog(dir: string = defaultFlowsDir): FlowCatalog {
  const catalog: FlowCatalog = {
    flows: yamlFiles(dir).map((path) => parseFile(path, flowDefinitionSchema)),
    criteriaSets: yamlFiles(join(dir, "criteria")).map((path) => parseFile(path, criteriaSetSchema)),
  };
  if (catalog.flows.length === 0) throw new FlowDefinitionError(`no flow definitions in ${dir}`);
  for (const list of [catalog.flows, catalog.criteriaSets]) {
    const keys = list.map((item) => `${item.id}@${item.version}`);
    for (const key of keys) if (keys.indexOf(key) !== keys.lastIndexOf(key)) throw new FlowDefinitionError(`${key} is defined twice in ${dir}`);
  }
  return catalog;
}

/** The newest version of a flow. */
export function latestFlow(catalog: FlowCatalog, id: string): FlowDefinition {
  const versions = catalog.flows.filter((flow) => flow.id === id).sort((a, b) => b.version - a.version);
  const newest = versions[0];
  if (!newest) throw new FlowDefinitionError(`no flow "${id}"`);
  return newest;
}

export function findFlow(catalog: FlowCatalog, id: string, version: number): FlowDefinition | undefined {
  return catalog.flows.find((flow) => flow.id === id && flow.version === version);
}

export function findCriteriaSet(catalog: FlowCatalog, id: string, version: number): CriteriaSet | undefined {
  return catalog.criteriaSets.find((set) => set.id === id && set.version === version);
}

/**
 * The newest criteria set for a group and province: a set naming the province wins over a national one.
 */
export function selectCriteriaSet(catalog: FlowCatalog, group: string, provinceCode: string | null): CriteriaSet {
  const candidates = catalog.criteriaSets
    .filter((set) => set.appliesTo.groups.includes(group))
    .filter((set) => set.appliesTo.provinces.length === 0 || (provinceCode !== null && set.appliesTo.provinces.includes(provinceCode)))
    .sort((a, b) => Number(b.appliesTo.provinces.length > 0) - Number(a.appliesTo.provinces.length > 0) || b.version - a.version);
  const chosen = candidates[0];
  if (!chosen) throw new FlowDefinitionError(`no criteria set applies to group "${group}"`);
  return chosen;
}
