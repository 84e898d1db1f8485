/** A lone UTF-16 surrogate: valid in a JS string, refused by PostgreSQL's UTF-8 text and jsonb. */
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string PostgreSQL accepts in text and jsonb: NUL removed, lone surrogates replaced by U+FFFD. */
export const sanitizeText = (text: string): string => text.replaceAll("\u0000", "").replace(loneSurrogate, "\uFFFD");

/**
 * A value with every string in it made storable. What a person typed can hold anything (a NUL from a broken
 * keyboard app, half an emoji): refusing it would answer the platform 500 on every redelivery and lose the batch.
 */
export function sanitizeForDatabase<T>(value: T): T {
  if (typeof value === "string") return sanitizeText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => sanitizeForDatabase(item)) as T;
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [sanitizeText(key), sanitizeForDatabase(item)])) as T;
  }
  return value;
}
