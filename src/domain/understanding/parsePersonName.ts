import { foldKey } from "./foldKey.js";

export type PersonNameParse =
  | { status: "ok"; name: string }
  | { status: "invalid"; reason: "empty" | "digits" | "tooShort" | "tooLong" };

export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 80;

// Words a person calls themselves by in Vietnamese: "chú là …", "bác tên là …".
const SELF = ["toi", "em", "minh", "chau", "con", "chu", "bac", "co", "di", "anh", "chi", "ong", "ba"];
// Introductions stripped from the start, folded; longest first so "ten toi la" wins over "toi la".
const INTRODUCTIONS = [
  ...SELF.flatMap((who) => [`ten cua ${who} la`, `${who} ten la`, `ten ${who} la`]),
  "ho va ten cua toi la", "ho ten cua toi la", "ten day du cua toi la", "ten cua toi la", "ten cua em la",
  "ten cua minh la", "ho va ten la", "ho va ten", "ho ten la", "ho ten", "ten toi la", "toi ten la", "ten em la",
  "em ten la", "ten minh la", "minh ten la", "chau ten la", "con ten la", "ten la", "toi ten", "em ten", "minh ten",
  ...SELF.flatMap((who) => [`${who} ten`, `${who} la`]),
  "my full name is", "my name is", "i am", "im", "this is",
]
  .map((p) => p.split(" "))
  .sort((a, b) => b.length - a.length);
const TRAILING_PARTICLES = new Set(["ạ", "nhé", "nha", "ah"]);

function stripIntroduction(words: string[]): string[] {
  const folded = words.map((w) => foldKey(w));
  for (const intro of INTRODUCTIONS) {
    if (intro.length <= words.length && intro.every((w, i) => folded[i] === w)) return words.slice(intro.length);
  }
  // "Tên Nguyễn Văn An": a leading "tên" typed with its mark, or "ten" before a full name.
  if (words[0]?.toLowerCase() === "tên" || (folded[0] === "ten" && words.length >= 3)) return words.slice(1);
  return words;
}

function capitalize(word: string): string {
  return word.toLowerCase().replace(/(^|['’-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * A person's name as typed: NFC, introductions such as "tôi là", "tên tôi là", "my name is" stripped, punctuation
 * and emoji removed, each word capitalized ("nguyen van an" → "Nguyen Van An"); diacritics are never added.
 * Invalid when empty, with digits, shorter than 2 or longer than 80 characters.
 */
export function parsePersonName(input: string): PersonNameParse {
  const cleaned = input
    .normalize("NFC")
    // A label before a colon ("Họ tên: …", "Name: …") and remarks in brackets ("(bố)").
    .replace(/^[^:\d]{1,20}:/u, "")
    .replace(/\([^)]*\)|\[[^\]]*\]/gu, " ")
    .replace(/[^\p{L}\p{M}\p{N}\s'’-]+/gu, " ")
    .replace(/(^|\s)['’-]+|['’-]+(?=\s|$)/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  let words = stripIntroduction(cleaned === "" ? [] : cleaned.split(" "));
  while (words.length > 1 && TRAILING_PARTICLES.has((words.at(-1) ?? "").toLowerCase())) words = words.slice(0, -1);
  const name = words.map(capitalize).join(" ");
  if (name === "") return { status: "invalid", reason: "empty" };
  if (/\p{N}/u.test(name)) return { status: "invalid", reason: "digits" };
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH) return { status: "invalid", reason: "tooShort" };
  if (length > NAME_MAX_LENGTH) return { status: "invalid", reason: "tooLong" };
  return { status: "ok", name };
}
