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
  return withoutLaughter(input.normalize("NFKC").normalize("NFC")).replace(/(\p{L})\1{2,}/giu, "$1");
}

// Laughter and faces typed beside an answer: "hihi", "hehe", "haha", "hì hì", "kkk" (never "k", không), "hic",
// "huhu"; ":D", ":P", "xD", ":v", "<3", "T_T", "^^", "=))". Their letters and digits would be read as words ("k", "3").
const LAUGHTER =
  /(?<![\p{L}\p{N}])(?:(h[aeiouàáìíèéềếòóùú])(?:\s?\1)+|(?:h[aeiou]){2,}|(?:k[aeê]){2,}|k{3,}|kk|hic+|hix+|huhu+)(?![\p{L}\p{N}])|(?<!\S)(?:[:;=][-']?[DdPpVvOo3]+|[xX]D+|<3+|T_T|=+\)+|:+\)+|:+\(+|\^+_*\^+|-_-)(?!\S)/giu;

/** The text with laughter and typed faces taken out (each a space). */
export function withoutLaughter(text: string): string {
  return text.replace(LAUGHTER, " ");
}
