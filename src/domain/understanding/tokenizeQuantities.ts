import { expandChatSpelling } from "./expandChatSpelling.js";
import { expandDialect } from "./expandDialect.js";
import { normalizeText } from "./normalizeText.js";
import { stripDiacritics } from "./stripDiacritics.js";

/** One word of a message read for quantities: `key` is folded, `text` keeps the diacritics typed. */
export type QuantityToken = {
  key: string;
  text: string;
  /** The person typed diacritics on this word, so "tầm" (about) is not "tám" (eight). */
  marked: boolean;
};

/** A clause boundary ("," ";" "." and the like) kept as its own token. */
export const CLAUSE_BREAK = ",";

/**
 * Vietnamese writes "1.000" for a thousand and "1,5" for one and a half; people also type "1.5".
 * A dot followed by groups of exactly three digits groups thousands; any other single separator is a decimal point.
 */
function canonicalNumber(literal: string): string {
  const separators = literal.match(/[.,]/g) ?? [];
  const groups = literal.split(/[.,]/);
  const thousands = groups.slice(1).every((g) => g.length === 3) && !literal.startsWith("0");
  if (separators.length === 1) {
    return separators[0] === "." && thousands ? groups.join("") : groups.join(".");
  }
  if (new Set(separators).size === 1) return thousands ? groups.join("") : groups.join(" ");
  const lastSeparator = Math.max(literal.lastIndexOf("."), literal.lastIndexOf(","));
  return `${literal.slice(0, lastSeparator).replace(/[.,]/g, "")}.${literal.slice(lastSeparator + 1)}`;
}

// Words of quantity that the Red River delta says with "l" for "n" and the other way ("lăm tiếng", "mỗi nần"), as
// typed with their marks: "năm" (five), "lần" (times); "nửa" (half) for "lửa" before a time ("lửa tiếng"; "tối lửa
// tắt đèn" is fire).
const HEARD_QUANTITIES: ReadonlyMap<string, string> = new Map([
  ["lăm", "năm"],
  ["nần", "lần"],
]);
const HALF_HEARD = /(?<!\p{L})lửa(?=\s+(?:tiếng|tieng|giờ|gio|buổi|buoi|ngày|ngay|h)(?!\p{L}))/giu;
// After these, "lăm" is the five of "mười lăm", "hai mươi lăm", "ba lăm" (35), "một trăm lăm".
const TENS = new Set(["muoi", "chuc", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "tram", "nghin", "ngan"]);

function heardQuantity(word: string, previous: string | undefined): string {
  const lower = word.toLowerCase();
  const heard = HEARD_QUANTITIES.get(lower);
  return heard === undefined || (lower === "lăm" && TENS.has(previous ?? "")) ? word : heard;
}

/**
 * Splits a message into folded words and numbers for reading quantities: "1,5" → "1.5"; letters and digits are
 * separated ("2h30" → 2 h 30); "30'" → 30 phut; "/" → "moi" (per); a dash not inside a word → "den" (a range: "2-3", "8h-9h", "t2-t6").
 */
export function tokenizeQuantities(input: string): QuantityToken[] {
  const text = expandDialect(normalizeText(input))
    .replace(HALF_HEARD, "nửa")
    .replace(/\d+(?:[.,]\d+)+/g, canonicalNumber)
    .replace(/(\d)\s*['’′]/g, "$1 phút ")
    .replace(/(?<!\p{L})[-–—~]|[-–—~](?!\p{L})/gu, " đến ")
    .replace(/\//g, " mỗi ");
  const tokens: QuantityToken[] = [];
  for (const match of text.matchAll(/\d+(?:\.\d+)?|[\p{L}\p{M}]+|[,;.!?:]/gu)) {
    const word = match[0];
    if (/^[,;.!?:]$/.test(word)) {
      if (tokens.at(-1)?.key !== CLAUSE_BREAK) tokens.push({ key: CLAUSE_BREAK, text: word, marked: false });
      continue;
    }
    const heard = heardQuantity(word, tokens.at(-1)?.key);
    const folded = stripDiacritics(heard).toLowerCase();
    const marked = folded !== heard;
    for (const key of expandChatSpelling(folded).split(" ")) tokens.push({ key, text: heard, marked });
  }
  return tokens;
}
