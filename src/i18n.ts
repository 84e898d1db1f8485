import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import i18next, { type i18n, type Resource } from "i18next";
import { locales, type Locale } from "./conversation/types.js";

export const localesDir = fileURLToPath(new URL("../locales/", import.meta.url));

export type Translate = (locale: Locale, key: string, params?: Record<string, string | number>) => string;

export class MissingTranslationError extends Error {
  override name = "MissingTranslationError";
}

/** Reads locales/<lang>/<namespace>.json for every supported language. */
export function loadLocaleResources(dir: string = localesDir): Record<string, Record<string, unknown>> {
  const resources: Record<string, Record<string, unknown>> = {};
  for (const locale of locales) {
    resources[locale] = {};
    for (const file of readdirSync(`${dir}${locale}`).filter((name) => name.endsWith(".json"))) {
      resources[locale][file.replace(/\.json$/, "")] = JSON.parse(readFileSync(`${dir}${locale}/${file}`, "utf8"));
    }
  }
  return resources;
}

/**
 * One i18next instance for the whole process. A key missing in the person's language falls back to Vietnamese;
 * a key missing everywhere throws, so a typo can never show a raw key to a citizen.
 */
export function createTranslator(dir: string = localesDir): { translate: Translate; instance: i18n } {
  const instance = i18next.createInstance();
  void instance.init({
    resources: loadLocaleResources(dir) as Resource,
    lng: "vi",
    fallbackLng: "vi",
    ns: ["common", "flow", "admin"],
    defaultNS: "common",
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    showSupportNotice: false,
  });
  // The resources never change after start: what exists, and the texts without parameters, are looked up once.
  const exists = new Map<string, boolean>();
  const plainTexts = new Map<string, string>();
  const translate: Translate = (locale, key, params) => {
    const cacheKey = `${locale}\u0000${key}`;
    if (!params) {
      const text = plainTexts.get(cacheKey);
      if (text !== undefined) return text;
    }
    const [ns, path] = key.includes(":") ? (key.split(":", 2) as [string, string]) : ["common", key];
    let found = exists.get(cacheKey);
    if (found === undefined) exists.set(cacheKey, (found = instance.exists(path, { ns, lng: locale }) || instance.exists(path, { ns, lng: "vi" })));
    if (!found) throw new MissingTranslationError(`No text for "${key}" in locales/${locale} or locales/vi`);
    const text = instance.t(path, { ns, lng: locale, ...params });
    if (!params) plainTexts.set(cacheKey, text);
    return text;
  };
  return { translate, instance };
}

/** The text for a key, or `fallback` when no locale has one (a value the locales do not name, such as an old group code). */
export function translateOr(translate: Translate, locale: Locale, key: string, fallback: string): string {
  try {
    return translate(locale, key);
  } catch (error) {
    if (error instanceof MissingTranslationError) return fallback;
    throw error;
  }
}
