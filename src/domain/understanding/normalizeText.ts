// Zero-width characters some keyboards and copy-paste insert between letters.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;

/**
 * NFKC (full-width digits and letters from some keyboards become plain ones: "１９７０"), invisible characters
 * removed, a letter held down written once, whitespace collapsed and trimmed, lower-cased; diacritics are kept.
 */
export function normalizeText(input: string): string {
  return plainLetters(input).replace(INVISIBLE, "").toLowerCase().replace(/\s+/gu, " ").trim();
}

/**
 * NFKC then NFC, and a letter held down for emphasis written once ("đồng ýýý", "okkkk", "khônggg": no Vietnamese or
 * English word has one three times), whatever its case.
 */
export function plainLetters(input: string): string {
  return input.normalize("NFKC").normalize("NFC").replace(/(\p{L})\1{2,}/giu, "$1");
}
