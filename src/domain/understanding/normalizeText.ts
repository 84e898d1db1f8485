// Zero-width characters some keyboards and copy-paste insert between letters.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/** NFC, invisible characters removed, whitespace collapsed and trimmed, lower-cased; diacritics are kept. */
export function normalizeText(input: string): string {
  return input.normalize("NFC").replace(INVISIBLE, "").replace(/\s+/gu, " ").trim().toLowerCase();
}
