import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it, expect } from "vitest";
import { loadFlowCatalog } from "../src/conversation/flowDefinitions.js";

/** Checks locales/<lang>/<namespace>.json: same keys and variables in every language, platform length limits, coverage of the flows. */

const localesDir = fileURLToPath(new URL("../locales/", import.meta.url));
const languages = ["vi", "en"] as const;
const namespaces = ["common", "flow", "admin"] as const;
type Language = (typeof languages)[number];
type Namespace = (typeof namespaces)[number];

/** Longest text we send in one message part. */
const maxText = 300;
/** Messenger quick replies and Zalo buttons both cap titles at 20 characters. */
const maxButtonTitle = 20;
/** Messenger sends at most 13 quick replies. */
const maxChoiceOptions = 13;

type Texts = Map<string, string>;

/** Flattens a JSON tree to dotted keys; a leaf that is not a string is recorded as such so the test can report it. */
function flatten(tree: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (tree !== null && typeof tree === "object" && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree)) flatten(value, prefix ? `${prefix}.${key}` : key, out);
  } else {
    out.set(prefix, tree);
  }
  return out;
}

function readLeaves(language: Language, namespace: Namespace): Map<string, unknown> {
  const json: unknown = JSON.parse(readFileSync(`${localesDir}${language}/${namespace}.json`, "utf8"));
  return flatten(json, "", new Map());
}

const leaves = Object.fromEntries(
  languages.map((language) => [language, Object.fromEntries(namespaces.map((ns) => [ns, readLeaves(language, ns)]))]),
) as Record<Language, Record<Namespace, Map<string, unknown>>>;

/** Every string of a language, keyed "<namespace>:<dotted.key>" as the bot looks them up. */
const texts = Object.fromEntries(
  languages.map((language) => {
    const all: Texts = new Map();
    for (const ns of namespaces) {
      for (const [key, value] of leaves[language][ns]) if (typeof value === "string") all.set(`${ns}:${key}`, value);
    }
    return [language, all];
  }),
) as Record<Language, Texts>;

const variablesOf = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*([^{}]+?)\s*\}\}/g)].map((m) => m[1] ?? ""))].sort();
const length = (text: string): number => [...text.normalize("NFC")].length;

const commonButtonKeys = new Set([
  "consent.yes",
  "consent.no",
  "guardian.yes",
  "guardian.no",
  "cancel.yes",
  "cancel.no",
  "delete.yes",
  "delete.no",
  "summary.submit",
  "summary.edit",
  "branch.notListed",
]);

/** Texts shown as a button title: quick replies, yes/no pairs, and the edit menu (field.* and indicators' .short). */
function isButtonTitle(fullKey: string): boolean {
  const [ns, key = ""] = fullKey.split(":", 2);
  if (/(^|\.)options\.[^.]+$/.test(key) || /(^|\.)short$/.test(key)) return true;
  if (ns !== "common") return false;
  return commonButtonKeys.has(key) || key.startsWith("buttons.") || key.startsWith("field.");
}

describe("locale files", () => {
  it("hold only strings", () => {
    const notStrings: string[] = [];
    for (const language of languages) {
      for (const ns of namespaces) {
        for (const [key, value] of leaves[language][ns]) if (typeof value !== "string") notStrings.push(`${language}/${ns}:${key}`);
      }
    }
    expect(notStrings).toEqual([]);
  });

  it("have the same keys in every language", () => {
    const viKeys = [...texts.vi.keys()].sort();
    for (const language of languages) expect([...texts[language].keys()].sort(), `keys of locales/${language}`).toEqual(viKeys);
  });

  it("use the same {{variables}} for a key in every language", () => {
    const mismatches: string[] = [];
    for (const [key, viText] of texts.vi) {
      const expected = variablesOf(viText).join(", ");
      for (const language of languages) {
        const text = texts[language].get(key);
        if (text === undefined) continue;
        const actual = variablesOf(text).join(", ");
        if (actual !== expected) mismatches.push(`${language} ${key}: {${actual}} instead of {${expected}}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("are already NFC-normalized", () => {
    const notNfc: string[] = [];
    for (const language of languages) {
      for (const [key, text] of texts[language]) if (text !== text.normalize("NFC")) notNfc.push(`${language} ${key}`);
    }
    expect(notNfc).toEqual([]);
  });

  it(`keep every text within ${maxText} characters`, () => {
    const tooLong: string[] = [];
    for (const language of languages) {
      for (const [key, text] of texts[language]) if (length(text) > maxText) tooLong.push(`${language} ${key} (${length(text)})`);
    }
    expect(tooLong).toEqual([]);
  });

  it.each(languages)(`keep every button title within ${maxButtonTitle} characters (%s)`, (language) => {
    const titles = [...texts[language]].filter(([key]) => isButtonTitle(key));
    expect(titles.length).toBeGreaterThan(0);
    const tooLong = titles.filter(([, text]) => length(text) > maxButtonTitle).map(([key, text]) => `${key}: "${text}" (${length(text)})`);
    expect(tooLong).toEqual([]);
  });

  it("contain Vietnamese diacritics in the Vietnamese files", () => {
    const vietnamese = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]/iu;
    for (const ns of namespaces) {
      const all = [...leaves.vi[ns].values()].filter((value) => typeof value === "string").join("\n");
      expect(vietnamese.test(all.normalize("NFC")), `locales/vi/${ns}.json has no Vietnamese diacritics`).toBe(true);
    }
  });
});

describe("flow and criteria texts", () => {
  const catalog = loadFlowCatalog();

  /** The keys each flow step and criteria indicator needs, with where they come from. */
  const needed: { key: string; from: string }[] = [];
  const choiceSizes: { from: string; options: number }[] = [];
  for (const flow of catalog.flows) {
    for (const step of flow.steps) {
      const from = `flow ${flow.id}@${flow.version} step ${step.id}`;
      if (step.kind === "consent" || step.kind === "criteria" || step.kind === "summary") continue;
      needed.push({ key: `flow:registration.${step.id}.prompt`, from });
      if (step.kind === "choice") {
        choiceSizes.push({ from, options: step.options.length });
        for (const option of step.options) needed.push({ key: `flow:registration.${step.id}.options.${option.value}`, from });
      }
    }
  }
  for (const set of catalog.criteriaSets) {
    for (const indicator of set.indicators) {
      const from = `criteria ${set.id}@${set.version} indicator ${indicator.id}`;
      const prefix = `flow:criteria.${set.id}.${indicator.id}`;
      needed.push({ key: `${prefix}.prompt`, from }, { key: `${prefix}.short`, from });
      if (indicator.kind === "choice") {
        choiceSizes.push({ from, options: indicator.options.length });
        for (const option of indicator.options) needed.push({ key: `${prefix}.options.${option.value}`, from });
      }
    }
  }

  it("loads at least one flow and one criteria set", () => {
    expect(catalog.flows.length).toBeGreaterThan(0);
    expect(catalog.criteriaSets.length).toBeGreaterThan(0);
  });

  it("has every step, indicator and option text in every language", () => {
    const missing: string[] = [];
    for (const language of languages) {
      for (const { key, from } of needed) {
        if (!texts[language].get(key)?.trim()) missing.push(`${language} ${key} (${from})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it(`asks no choice question with more than ${maxChoiceOptions} options`, () => {
    expect(choiceSizes.length).toBeGreaterThan(0);
    expect(choiceSizes.filter((choice) => choice.options > maxChoiceOptions)).toEqual([]);
  });
});
