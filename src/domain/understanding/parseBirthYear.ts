import { afterCorrection } from "./afterCorrection.js";
import { normalizeText } from "./normalizeText.js";
import { readNumber } from "./readNumber.js";
import { CLAUSE_BREAK, tokenizeQuantities, type QuantityToken } from "./tokenizeQuantities.js";

export type BirthYear = { status: "ok"; year: number } | { status: "confirm"; year: number } | { status: "none" };

export const MIN_AGE = 6;
export const MAX_AGE = 110;

const AGE_WORDS = new Set(["tuoi", "yo", "age", "aged"]);
const PRONOUNS = new Set(["toi", "em", "minh", "chau", "con", "bac", "anh", "chi", "duoc", "da", "i", "am", "im"]);
// Who speaks before their age: "bác 70 rồi", "tôi 50", "em 14 ạ" are ages, not 1970, 1950, 2014.
const SELF_WORDS = new Set(["toi", "em", "minh", "chau", "con", "bac", "anh", "chi", "chu", "co", "ong", "ba", "di", "cau", "im", "am", "tron"]);
/**
 * The speaker said just before the number: "tôi 50", "bác 70 rồi", "I am 40", "I'm 40" (read as "i m"), "năm nay 50",
 * "năm nay tròn 50" (this year I am).
 */
const saysSelf = (tokens: readonly QuantityToken[], at: number) =>
  SELF_WORDS.has(tokens[at - 1]?.key ?? "") ||
  (tokens[at - 1]?.key === "m" && tokens[at - 2]?.key === "i") ||
  (tokens[at - 1]?.key === "nay" && tokens[at - 2]?.key === "nam");
// What makes "năm" the number five: "năm mươi", "năm trăm", "năm nghìn".
const NUMBER_AFTER_FIVE = new Set(["muoi", "tram", "nghin", "ngan"]);
const LEAD_WORDS = new Set(["toi", "em", "minh", "sinh", "sn", "nam", "born", "in"]);
// An age said roughly ("ngoài 60", "hơn 50 tuổi", "gần 70", "tầm 45"): no year can be read from it; asked again.
const ROUGHLY = new Set(["ngoai", "hon", "tren", "duoi", "gan", "khoang", "tam", "chung", "ngot", "over", "about", "around", "almost"]);
const DIGIT_WORDS: Record<string, number> = {
  khong: 0, mot: 1, hai: 2, ba: 3, bon: 4, nam: 5, lam: 5, sau: 6, bay: 7, tam: 8, chin: 9,
};
// The last digit as said after tens: "bảy mốt" (71), "sáu tư" (64).
const LAST_DIGIT_WORDS: Record<string, number> = { mot: 1, tu: 4 };
// A date of birth: 12/5/1985, 12-05-85, 12.5.1985, or month and year 05/1985.
const DATE = /(?:^|\D)(?:\d{1,2}\s*[/.-]\s*)?\d{1,2}\s*[/.-]\s*(\d{4}|\d{2})(?!\d)/u;
// Written year first, as forms and phones print it: "1970-03-05", "1970/3/5".
const YEAR_FIRST_DATE = /(?:^|\D)(\d{4})\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{1,2}(?!\d)/u;
// "U70", "U60" (in one's seventies, sixties): an age roughly, not the year 1970.
const AGE_BRACKET = /(?:^|[^\p{L}\d])u\d0(?![\p{L}\d])/iu;

function plausible(year: number, currentYear: number): boolean {
  const age = currentYear - year;
  return age >= MIN_AGE && age <= MAX_AGE;
}

/** "85" → 1985 or 2085…: the reading that gives a plausible age, preferring this century; always to confirm. */
function twoDigitYear(value: number, currentYear: number): BirthYear {
  const recent = 2000 + value;
  const older = 1900 + value;
  if (plausible(recent, currentYear)) return { status: "confirm", year: recent };
  if (plausible(older, currentYear)) return { status: "confirm", year: older };
  return { status: "none" };
}

function fromYear(value: number, digits: number, currentYear: number): BirthYear {
  if (!Number.isInteger(value)) return { status: "none" };
  if (digits === 2 && value < 100) return twoDigitYear(value, currentYear);
  return value >= 1000 && plausible(value, currentYear) ? { status: "ok", year: value } : { status: "none" };
}

/** "một chín tám lăm", "sinh năm 1 9 8 5": a year said digit by digit (`count` digits: four, or the last two). */
function digitByDigit(tokens: QuantityToken[], count = 4): number | null {
  let start = 0;
  while (tokens.length - start > count && LEAD_WORDS.has(tokens[start]?.key ?? "")) start++;
  const said = tokens.slice(start);
  if (said.length !== count) return null;
  // Words only when two: "bảy hai" is 72, but "7 2" is not a year anyone writes.
  if (count === 2 && said.some((t) => /^\d/.test(t.key))) return null;
  const digits = said.map((t) => (/^\d$/.test(t.key) ? Number(t.key) : (DIGIT_WORDS[t.key] ?? (count === 2 ? LAST_DIGIT_WORDS[t.key] : undefined))));
  return digits.every((d) => d !== undefined) ? Number(digits.join("")) : null;
}

function isAgeMarker(tokens: QuantityToken[], at: number): boolean {
  const key = tokens[at]?.key ?? "";
  return AGE_WORDS.has(key) || (key === "years" && tokens[at + 1]?.key === "old") || key === "t";
}

const EN_UNITS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"];
const EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const EN_YEAR = new RegExp(
  `(?<![\\p{L}])(nineteen|twenty)[\\s-]+(?:(${EN_TEENS.join("|")})|(${EN_TENS.join("|")})(?:[\\s-]+(${EN_UNITS.join("|")}))?|(?:oh|o)[\\s-]+(${EN_UNITS.join("|")}))(?![\\p{L}])`,
  "iu",
);

/** A year said the English way, in two pairs: "nineteen seventy", "nineteen eighty-five", "twenty oh five". */
function englishYear(text: string): number | null {
  const said = EN_YEAR.exec(text);
  if (!said) return null;
  const [, century = "", teen, tens, unit, ohUnit] = said;
  const first = century.toLowerCase() === "nineteen" ? 1900 : 2000;
  if (teen) return first + 10 + EN_TEENS.indexOf(teen.toLowerCase());
  if (tens) return first + 20 + 10 * EN_TENS.indexOf(tens.toLowerCase()) + (unit ? EN_UNITS.indexOf(unit.toLowerCase()) + 1 : 0);
  return first + EN_UNITS.indexOf((ohUnit ?? "").toLowerCase()) + 1;
}

/**
 * A year said in two parts, as "nineteen sixty" is: "mười chín sáu mươi" (19 60), "hai mươi mười hai" (20 12), "2
 * nghìn 12" (2000 and 12), "19 60". The first part in words (19 or 20), "19"/"20" before two digits, or a written 2000;
 * the second right after it.
 */
function centuryAndYear(tokens: QuantityToken[]): number | null {
  for (let at = 0; at < tokens.length; at++) {
    const first = readNumber(tokens, at);
    if (!first) continue;
    const inWords = !/^\d+$/.test(tokens[at]?.key ?? "") || first.end > at + 1;
    // "19 60" typed with a space: two pairs of digits.
    const pairs = first.end === at + 1 && /^(?:19|20)$/.test(tokens[at]?.key ?? "") && /^\d\d$/.test(tokens[at + 1]?.key ?? "");
    // "một chín bảy mươi", "hai không mười": the century said digit by digit.
    const digitWords = !inWords || first.value > 9 ? null : readNumber(tokens, first.end);
    const byDigits = digitWords && digitWords.end === first.end + 1 && digitWords.value < 10 && !/^\d/.test(tokens[first.end]?.key ?? "") ? first.value * 10 + digitWords.value : null;
    if (byDigits === 19 || byDigits === 20) {
      const rest = readNumber(tokens, first.end + 1);
      if (rest && rest.value >= 10 && rest.value < 100 && Number.isInteger(rest.value) && rest.end > first.end + 2 && !isAgeMarker(tokens, rest.end)) return byDigits * 100 + rest.value;
    }
    const century = (first.value === 19 || first.value === 20) && (inWords || pairs) ? first.value * 100 : first.value === 2000 && first.end > at + 1 ? 2000 : null;
    const rest = century === null ? null : readNumber(tokens, first.end);
    if (century !== null && rest && rest.value < 100 && Number.isInteger(rest.value) && !isAgeMarker(tokens, rest.end)) return century + rest.value;
    at = first.end - 1;
  }
  return null;
}

/**
 * A birth year from "1985", "sinh năm 85", "năm 1990", "sn 1978", "12/5/1985", "42 tuổi" (→ currentYear − 42),
 * "năm nay 42", "born in 1985", "I'm 42 years old". Four digits or an age → ok; two digits → confirm with the
 * century that gives a plausible age; ages outside 6..110 → none.
 */
export function parseBirthYear(said: string, currentYear: number): BirthYear {
  const input = afterCorrection(said);
  const yearFirst = YEAR_FIRST_DATE.exec(normalizeText(input));
  if (yearFirst?.[1]) return fromYear(Number(yearFirst[1]), 4, currentYear);
  const date = DATE.exec(normalizeText(input));
  if (date?.[1]) return fromYear(Number(date[1]), date[1].length, currentYear);
  if (AGE_BRACKET.test(normalizeText(input))) return { status: "none" };

  // "2k5": born in 2005, as young people write it.
  const genZ = /(?:^|[^\p{L}\d])2k(\d{0,2})(?![\p{L}\d])/u.exec(normalizeText(input));
  if (genZ) return fromYear(2000 + Number(genZ[1] || 0), 4, currentYear);

  const english = englishYear(normalizeText(input));
  if (english !== null) return fromYear(english, 4, currentYear);

  const centuryThen = centuryAndYear(tokenizeQuantities(input));
  if (centuryThen !== null) return fromYear(centuryThen, 4, currentYear);

  const tokens = tokenizeQuantities(input).filter((t) => t.key !== CLAUSE_BREAK);
  const spelled = digitByDigit(tokens);
  if (spelled !== null) return fromYear(spelled, 4, currentYear);
  // "sinh năm bảy hai", "tám mốt": a year said as its last two digits, each a word.
  const twoSaid = digitByDigit(tokens, 2);
  if (twoSaid !== null && twoSaid >= 10) return twoDigitYear(twoSaid, currentYear);

  const years: BirthYear[] = [];
  let ageRead: BirthYear | null = null;
  let candidates = 0;
  const fromAge = (age: number): BirthYear =>
    Number.isInteger(age) && age >= MIN_AGE && age <= MAX_AGE ? { status: "ok", year: currentYear - age } : { status: "none" };
  for (let at = 0; at < tokens.length; ) {
    const key = tokens[at]?.key ?? "";
    const next = tokens[at + 1]?.key ?? "";
    // "năm 85", "năm sinh 1980", "năm nay 42": here "năm" means year, not five ("năm mươi hai", "năm trăm" are numbers).
    if (key === "nam" && !NUMBER_AFTER_FIVE.has(next) && (next === "sinh" || next === "nay" || readNumber(tokens, at + 1) !== null)) {
      at += next === "sinh" || next === "nay" ? 2 : 1;
      if (next !== "nay") continue;
      while (PRONOUNS.has(tokens[at]?.key ?? "")) at++;
      const age = readNumber(tokens, at);
      if (age && !isAgeMarker(tokens, age.end)) {
        ageRead = fromAge(age.value);
        candidates++;
        at = age.end;
      }
      continue;
    }
    const read = key === "khong" ? null : readNumber(tokens, at);
    if (!read) {
      at++;
      continue;
    }
    candidates++;
    if (ROUGHLY.has(tokens[at - 1]?.key ?? "") && read.value < 100) {
      at = read.end;
      continue;
    }
    const token = tokens[at] as QuantityToken;
    const digits = /^\d+$/.test(token.key) && read.end === at + 1 ? token.key.length : read.value < 100 ? 2 : 4;
    const saidAge = isAgeMarker(tokens, read.end) || AGE_WORDS.has(tokens[at - 1]?.key ?? "");
    const after = tokens[read.end]?.key;
    const selfAge =
      !saidAge && digits === 2 && saysSelf(tokens, at) && (tokens[at - 1]?.key === "nay" || !["sinh", "nam", "sn"].includes(tokens[at - 2]?.key ?? "")) && (after === undefined || after === "roi" || after === "a");
    if (selfAge) {
      const age = fromAge(read.value);
      if (age.status === "ok") ageRead = { status: "confirm", year: age.year };
    } else if (saidAge && read.value < 1000) ageRead = fromAge(read.value);
    // A number word under ten ("không nhớ năm": the "năm" of a year, read as five) is no year.
    else if (!(read.value < 10 && !/^\d/.test(token.key))) years.push(fromYear(read.value, digits, currentYear));
    at = read.end;
  }
  if (ageRead?.status === "confirm" && years.length === 0) return ageRead;
  // "1970 hay 1971 gì đó": two years, neither sure.
  if (new Set(years.flatMap((y) => (y.status === "ok" ? [y.year] : []))).size > 1) return { status: "none" };
  const yearRead = years.find((y) => y.status === "ok") ?? years.find((y) => y.status === "confirm") ?? years[0] ?? null;
  if (yearRead && yearRead.status !== "none") return yearRead;
  // An age is trusted when it is about all the message says, not one number among many.
  if (ageRead && candidates <= 2) return ageRead;
  return yearRead ?? ageRead ?? { status: "none" };
}
