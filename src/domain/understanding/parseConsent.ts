import { foldKey } from "./foldKey.js";
import { parseYesNo, type YesNo } from "./parseYesNo.js";

// Who may be named in an answer about a parent's agreement: "bố mẹ em đồng ý rồi", "ba má cho rồi ạ".
const GUARDIAN_WORDS = new Set([
  "bo", "me", "ba", "ma", "cha", "phu", "huynh", "gia", "dinh", "nguoi", "giam", "ho", "ong", "noi", "ngoai", "cho", "phep",
  "parents", "parent", "mom", "mum", "dad", "father", "mother", "guardian", "my", "they", "have", "has",
]);

// Beside an explicit agreement, and only then: "bố mẹ biết rồi và đồng ý" (knowing alone is not agreeing).
const GUARDIAN_WORDS_BESIDE_YES = new Set(["biet", "va", "cung", "het", "ca", "hai", "know", "knows", "and", "both"]);

// What the agreement is to, said after it: "đồng ý cho sử dụng thông tin", "tôi đồng ý lưu dữ liệu của tôi".
// Neutral words only: nothing here makes a condition or a doubt ("nếu", "nhưng", "hỏi" stay unknown).
const CONSENT_OBJECT_WORDS = new Set([
  "cho", "phep", "su", "dung", "luu", "giu", "xu", "ly", "thong", "tin", "du", "lieu", "ca", "nhan", "cua", "cac", "nay",
  "dieu", "khoan", "quy", "dinh", "chung", "ben", "voi", "cung", "cap", "tat", "xin",
  "my", "data", "information", "the", "terms", "to", "use", "all", "provide",
]);

/** Whether an "ý" stands without the "đồng" before it. */
function ideaAlone(text: string): boolean {
  const words = text.split(/[^\p{L}]+/u).filter(Boolean);
  return words.some((word, index) => word.toLowerCase() === "ý" && foldKey(words[index - 1] ?? "") !== "dong");
}

/**
 * The answer to the consent question: yes only when it is an unmistakable agreement ("đồng ý", "có", "ok",
 * "vâng ạ", a tap), no when it is a refusal, null for anything doubtful, which is asked again. Never a guess.
 */
export function parseConsent(input: string): YesNo | null {
  const answer = parseYesNo(input, { strict: true, alsoAllowed: CONSENT_OBJECT_WORDS });
  // "đã" folds to "da", the polite "dạ"; written with its marks it is "already / first" ("hỏi mẹ đã"): doubtful.
  const text = input.normalize("NFC");
  if (answer === "yes" && /(?:^|[^\p{L}])đã(?:[^\p{L}]|$)/iu.test(text)) return null;
  // Likewise "ý" alone is "an idea", not the "y" of "yes": only "đồng ý" agrees, whatever marks "đồng" was typed with.
  if (answer === "yes" && ideaAlone(text)) return null;
  return answer;
}

/**
 * The answer to "has your parent agreed?": as strict, with the parents named and "rồi" ("already") as yes; any
 * "chưa"/"không" without a yes is a no ("em chưa hỏi"): the bot then explains, it records nothing.
 */
export function parseGuardianConsent(input: string): YesNo | null {
  return parseYesNo(input, { strict: true, alsoAllowed: GUARDIAN_WORDS, besideYes: GUARDIAN_WORDS_BESIDE_YES, doneMeansYes: true, noDespiteOtherWords: true });
}
