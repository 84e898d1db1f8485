import { afterCorrection } from "./afterCorrection.js";
import { normalizeText } from "./normalizeText.js";

export type PhoneParse = { status: "ok"; e164: string } | { status: "invalid" };

// Mobile prefixes in use since the 2018 renumbering (national form, with the leading 0).
const MOBILE_PREFIXES = new Set([
  "032", "033", "034", "035", "036", "037", "038", "039",
  "052", "055", "056", "058", "059",
  "070", "076", "077", "078", "079",
  "081", "082", "083", "084", "085", "086", "087", "088", "089",
  "090", "091", "092", "093", "094", "096", "097", "098", "099",
]);
// Eleven-digit numbers retired in 2018, still written on old forms and in people's memory: old prefix → new.
const RENUMBERED: Record<string, string> = {
  "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037", "0168": "038",
  "0169": "039", "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078", "0123": "083",
  "0124": "084", "0125": "085", "0127": "081", "0129": "082", "0186": "056", "0188": "058", "0199": "059",
};

/** A run of digits as written: "+84 912 345 678", "(+84) 912.345.678", "0912-345-678". */
const CANDIDATE = /\+?\s*\(?\s*\+?\d[\d\s.\-()]*\d/g;

function nationalForm(written: string): string | null {
  let digits = written.replace(/\D/g, "");
  // "0084 …" dials out of the country; "(084) …" is a country code written like an area code.
  if (digits.startsWith("0084")) digits = digits.slice(2);
  else if (digits.startsWith("084") && digits.length === 12) digits = digits.slice(1);
  const international = written.includes("+") || digits.startsWith("84");
  if (international && digits.startsWith("84") && (digits.length === 11 || digits.length === 12)) {
    digits = digits.slice(2);
    if (digits.length === 10 && digits.startsWith("0")) digits = digits.slice(1);
    if (digits.length !== 9) return null;
    digits = `0${digits}`;
  } else if (digits.length === 9 && !digits.startsWith("0")) {
    digits = `0${digits}`;
  }
  const renumbered = digits.length === 11 ? RENUMBERED[digits.slice(0, 4)] : undefined;
  if (renumbered) digits = renumbered + digits.slice(4);
  return digits.length === 10 && MOBILE_PREFIXES.has(digits.slice(0, 3)) ? digits : null;
}

const DIGIT_WORDS: Record<string, string> = {
  không: "0", khong: "0", một: "1", mot: "1", hai: "2", ba: "3", bốn: "4", bon: "4", tư: "4", năm: "5", nam: "5", lăm: "5",
  sáu: "6", sau: "6", bảy: "7", bẩy: "7", bay: "7", tám: "8", tam: "8", chín: "9", chin: "9",
};

/** A number said digit by digit, as voice typing writes it ("không chín một hai …"): seven words or more become digits. */
function digitsSaid(text: string): string {
  const words = text.split(" ");
  // Voice typing puts commas and a full stop between the groups it hears ("không chín tám tám, một hai ba.").
  const bare = words.map((word) => word.replace(/^[.,;:!?…]+|[.,;:!?…]+$/gu, ""));
  const out: string[] = [];
  for (let at = 0; at < words.length; ) {
    let end = at;
    while (end < words.length && (DIGIT_WORDS[bare[end]!] !== undefined || /^\d$/.test(bare[end]!))) end++;
    if (end - at >= 7) {
      out.push(bare.slice(at, end).map((word) => DIGIT_WORDS[word] ?? word).join(""));
      at = end;
    } else {
      out.push(words[at]!);
      at++;
    }
  }
  return out.join(" ");
}

/**
 * A Vietnamese mobile number in any common writing ("0912 345 678", "0912.345.678", "+84 912345678",
 * "84912345678", "(+84) 912 345 678", an old 11-digit 01xx number, digit by digit in words) → E.164 "+84912345678".
 * Landlines, unknown prefixes, wrong lengths and messages with two different numbers are invalid.
 */
export function parsePhone(said: string): PhoneParse {
  const input = afterCorrection(said);
  const found = new Set<string>();
  for (const match of digitsSaid(normalizeText(input)).matchAll(CANDIDATE)) {
    const national = nationalForm(match[0]);
    if (national) found.add(national);
    else if (match[0].replace(/\D/g, "").length >= 7) return { status: "invalid" };
  }
  const [only] = found;
  return found.size === 1 && only ? { status: "ok", e164: `+84${only.slice(1)}` } : { status: "invalid" };
}

// A year said beside a number ("1960 0912345678"): not a part of it.
const YEAR_BESIDE = /(?<![\d.+])(?:19|20)\d\d(?![\d.])/g;

/**
 * The one mobile number said in a message about something else ("Lê Thị Hoa 1960 0912345678", "tên Hoa, sđt 0912
 * 345 678"): its E.164 form, or null when there is none or more than one.
 */
export function findPhoneInside(said: string): string | null {
  const whole = parsePhone(said);
  if (whole.status === "ok") return whole.e164;
  const withoutYears = parsePhone(said.replace(YEAR_BESIDE, " , "));
  return withoutYears.status === "ok" ? withoutYears.e164 : null;
}
