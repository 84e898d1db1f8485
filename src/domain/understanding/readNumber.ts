import type { QuantityToken } from "./tokenizeQuantities.js";

export type NumberRead = { value: number; end: number };

// Spellings with diacritics that are number words; a marked word outside this list is another word that folds
// the same way ("tầm" about, "bà" grandmother, "từ" from) and is not read as a number.
export const MARKED_NUMBER_WORDS: ReadonlySet<string> = new Set([
  "không", "một", "mốt", "hai", "ba", "bốn", "tư", "năm", "lăm", "nhăm", "sáu", "bảy", "bẩy", "tám", "chín",
  "mười", "mươi", "chục", "trăm", "nghìn", "ngàn", "triệu", "linh", "lẻ", "rưỡi", "rưởi", "nửa",
]);
// Folded words that are unambiguous whatever marks were typed on them.
const ROBUST_WORDS = new Set(["muoi", "chuc", "nghin", "trieu", "ruoi"]);

const UNITS: Record<string, number> = { khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, sau: 6, bay: 7, tam: 8, chin: 9 };
// Forms a unit digit takes after a tens word: hai mươi mốt (21), mười lăm (15), ba mươi tư (34).
const AFTER_TENS: Record<string, number> = { mot: 1, lam: 5, nham: 5, tu: 4 };
const SCALES: Record<string, number> = { nghin: 1_000, ngan: 1_000, trieu: 1_000_000 };

const EN_SMALL: Record<string, number> = {
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Record<string, number> = {
  twenty: 20, thirty: 30, forty: 40, fourty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
};
const EN_SCALES: Record<string, number> = { hundred: 100, thousand: 1_000, million: 1_000_000 };

function vietnameseWord(token: QuantityToken | undefined): string | undefined {
  if (!token) return undefined;
  if (token.marked && !MARKED_NUMBER_WORDS.has(token.text) && !ROBUST_WORDS.has(token.key)) return undefined;
  return token.key;
}

function isNumeral(token: QuantityToken | undefined): boolean {
  return token !== undefined && /^\d+(\.\d+)?$/.test(token.key);
}

/** "rưỡi" (and a half) after a number or a scale word: a half of the last unit said. */
function readHalf(tokens: QuantityToken[], at: number): number | null {
  const key = vietnameseWord(tokens[at]);
  if (key === "ruoi") return at + 1;
  if (tokens[at]?.key === "and" && tokens[at + 1]?.key === "a" && tokens[at + 2]?.key === "half") return at + 3;
  return null;
}

function readNumeral(tokens: QuantityToken[], start: number): NumberRead | null {
  const token = tokens[start];
  if (!token || !isNumeral(token)) return null;
  let value = Number(token.key);
  let end = start + 1;
  let lastUnit = 1;
  const scale = vietnameseWord(tokens[end]);
  const scaleValue = scale === "tram" ? 100 : (SCALES[scale ?? ""] ?? EN_SCALES[tokens[end]?.key ?? ""]);
  if (scaleValue !== undefined) {
    value *= scaleValue;
    lastUnit = scaleValue;
    end += 1;
  }
  const half = readHalf(tokens, end);
  if (half !== null) return { value: value + lastUnit / 2, end: half };
  return { value, end };
}

type Phase = "start" | "digit" | "tens" | "done" | "hundred" | "hundredDigit" | "scale" | "scaleDigit" | "linh";

function readVietnamese(tokens: QuantityToken[], start: number): NumberRead | null {
  let total = 0;
  let group = 0;
  let digit = 0;
  let phase: Phase = "start";
  let lastScale = 1;
  let end = start;

  const pending = (): number =>
    phase === "digit" ? digit : phase === "hundredDigit" ? digit * 10 : phase === "scaleDigit" ? (digit * lastScale) / 10 : 0;

  for (let i = start; i < tokens.length; i++) {
    const key = vietnameseWord(tokens[i]);
    if (key === undefined) break;
    if (key === "nua" && i === start) return { value: 0.5, end: i + 1 };
    if (key === "ruoi") {
      if (i === start) break;
      return { value: total + group + pending() + (phase === "hundred" || phase === "scale" ? lastScale / 2 : 0.5), end: i + 1 };
    }
    const unit = UNITS[key];
    const afterTens = AFTER_TENS[key];
    if (phase === "digit" && afterTens !== undefined && !(tokens[i]?.marked && tokens[i]?.text === "một")) {
      group += digit * 10 + afterTens;
      phase = "done";
    } else if (unit !== undefined || (afterTens !== undefined && (phase === "tens" || phase === "linh"))) {
      const value = unit ?? afterTens ?? 0;
      if (phase === "tens" || phase === "linh") {
        group += value;
        phase = "done";
      } else if (phase === "start") {
        if (afterTens !== undefined && unit === undefined) break;
        digit = value;
        phase = "digit";
      } else if (phase === "hundred") {
        digit = value;
        phase = "hundredDigit";
      } else if (phase === "scale") {
        digit = value;
        phase = "scaleDigit";
      } else break;
    } else if (key === "muoi" || key === "chuc") {
      if (phase === "start" || phase === "hundred" || phase === "scale") group += 10;
      else if (phase === "digit" || phase === "hundredDigit" || phase === "scaleDigit") group += digit * 10;
      else break;
      phase = "tens";
    } else if (key === "tram") {
      if (phase === "start") group += 100;
      else if (phase === "digit" || phase === "scaleDigit") group += digit * 100;
      else break;
      phase = "hundred";
      lastScale = 100;
    } else if (SCALES[key] !== undefined) {
      const scale = SCALES[key] ?? 1;
      if (phase === "linh") break;
      const amount = group + pending() || 1;
      total += amount * scale;
      group = 0;
      phase = "scale";
      lastScale = scale;
    } else if (key === "linh" || key === "le") {
      if (phase !== "hundred" && phase !== "scale") break;
      phase = "linh";
    } else break;
    end = i + 1;
  }
  if (end === start || phase === "linh") return null;
  return { value: total + group + pending(), end };
}

type EnglishKind = "none" | "small" | "tens" | "hundred" | "scale" | "and";

function readEnglish(tokens: QuantityToken[], start: number): NumberRead | null {
  let total = 0;
  let group = 0;
  let lastUnit = 1;
  let prev: EnglishKind = "none";
  let end = start;
  for (let i = start; i < tokens.length; i++) {
    // English has no marks: "tên" (a name) is not "ten", "bốn" not "bon".
    if (tokens[i]?.marked) break;
    const key = tokens[i]?.key ?? "";
    const next = tokens[i + 1]?.key ?? "";
    const small = EN_SMALL[key];
    const tens = EN_TENS[key];
    const canStart = prev === "none" || prev === "hundred" || prev === "scale" || prev === "and";
    if (key === "half" && prev === "none") return { value: 0.5, end: i + 1 };
    // "a couple of hours": two.
    if (key === "a" && next === "couple" && prev === "none") return { value: 2, end: i + (tokens[i + 2]?.key === "of" ? 3 : 2) };
    if ((key === "a" || key === "an") && prev === "none" && EN_SCALES[next] !== undefined) {
      group = 1;
      prev = "small";
    } else if (small !== undefined && (canStart || (prev === "tens" && small > 0 && small < 10))) {
      group += small;
      prev = "small";
    } else if (tens !== undefined && canStart) {
      group += tens;
      prev = "tens";
    } else if (key === "hundred" && prev === "small") {
      group *= 100;
      lastUnit = 100;
      prev = "hundred";
    } else if ((key === "thousand" || key === "million") && (prev === "small" || prev === "tens" || prev === "hundred")) {
      const scale = EN_SCALES[key] ?? 1;
      total += group * scale;
      group = 0;
      lastUnit = scale;
      prev = "scale";
    } else if (key === "and" && (prev === "hundred" || prev === "scale") && (EN_SMALL[next] ?? EN_TENS[next]) !== undefined) {
      prev = "and";
    } else if (key === "dozen" && prev === "small") {
      group *= 12;
    } else break;
    end = i + 1;
  }
  if (end === start || prev === "and") return null;
  const value = total + group;
  const half = readHalf(tokens, end);
  if (half !== null) return { value: value + lastUnit / 2, end: half };
  return { value, end };
}

/**
 * Reads the number that starts at `tokens[start]`: digits ("2", "1.5"), Vietnamese number words ("hai mươi mốt",
 * "mười lăm", "một trăm linh năm", "một rưỡi", "nửa") or English ones ("twenty one", "one and a half").
 * Returns the value and the index after the last word read, or null when no number starts there.
 */
export function readNumber(tokens: QuantityToken[], start: number): NumberRead | null {
  const reads = [readNumeral(tokens, start), readVietnamese(tokens, start), readEnglish(tokens, start)];
  let best: NumberRead | null = null;
  for (const read of reads) if (read && (!best || read.end > best.end)) best = read;
  return best;
}
