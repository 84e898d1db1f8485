import { afterCorrection } from "./afterCorrection.js";
import { foldKey } from "./foldKey.js";
import { withoutLaughter } from "./normalizeText.js";
import { MARKED_NUMBER_WORDS } from "./readNumber.js";
import { stripDiacritics } from "./stripDiacritics.js";

export type PersonNameParse =
  /** `check`: show it back before storing: written without diacritics, or a title or filler was taken off. */
  | { status: "ok"; name: string; check: "noDiacritics" | "trimmed" | null }
  | { status: "invalid"; reason: "empty" | "digits" | "tooShort" | "tooLong" | "notName" };

export const NAME_MIN_LENGTH = 2;
export const NAME_MAX_LENGTH = 80;

// Words a person calls themselves by in Vietnamese: "chú là …", "bác tên là …"; in the Centre "tau" (I), "o" (cô), "eng" (anh).
const SELF = ["toi", "em", "minh", "chau", "con", "chu", "bac", "co", "di", "anh", "chi", "ong", "ba", "tau", "tao", "o", "eng"];
// Introductions stripped from the start, folded; longest first so "ten toi la" wins over "toi la".
const INTRODUCTIONS = [
  ...SELF.flatMap((who) => [`ten cua ${who} la`, `${who} ten la`, `ten ${who} la`]),
  // "tên tôi Giàng A Lử": the "là" left out, as those who learnt Vietnamese second often do.
  ...["toi", "em", "minh", "chau", "con", "tui", "tao"].map((who) => `ten ${who}`),
  ...SELF.flatMap((who) => [`ho ten ${who} la`, `ho va ten ${who} la`, `ho ten cua ${who} la`, `ho va ten cua ${who} la`]),
  "ho va ten cua toi la", "ho ten cua toi la", "ten day du cua toi la", "ten cua toi la", "ten cua em la",
  "ten cua minh la", "ho va ten la", "ho va ten", "ho ten la", "ho ten", "ten toi la", "toi ten la", "ten em la",
  "em ten la", "ten minh la", "minh ten la", "chau ten la", "con ten la", "ten la", "toi ten", "em ten", "minh ten",
  ...SELF.flatMap((who) => [`${who} ten`, `${who} la`]),
  "my full name is", "my name is", "i am", "im", "this is", "call me", "you can call me", "its", "it is", "name is",
]
  .map((p) => p.split(" "))
  .sort((a, b) => b.length - a.length);
const TRAILING_PARTICLES = new Set(["ạ", "nhé", "nha", "ah", "nhe", "á", "ák", "nè", "nghen", "nghe"]);
// Words before an answer that are not part of it: "dạ", "vâng", "thưa", "xin chào". Compared as typed (lower case,
// marks kept): "Vàng" is a Hmong surname, not "vâng"; "A" a middle name ("Giàng A Páo", "A Sa"), not "à"; so
// unmarked "vang" and "a" are kept, and only the unmistakable unmarked ones ("da", "thua", "chao") are taken off.
const LEADING_FILLERS = [
  ["dạ", "thưa"], ["da", "thua"], ["xin", "chào"], ["xin", "chao"], ["dạ"], ["da"], ["vâng"], ["thưa"], ["thua"], ["à"], ["ạ"], ["ừ"], ["ờ"], ["u"],
  ["chào"], ["chao"], ["hi"], ["hello"], ["ok"],
];
// How people are addressed, not named: stripped when a full name follows ("bác Nguyễn Văn Ba", "cô giáo Lê Thị Mai").
// Compared with their marks ("Chu" is a surname, "chú" a title); without any mark only the unmistakable ones.
const TITLES = ["cô giáo", "thầy giáo", "bác sĩ", "bác", "chú", "cô", "dì", "cậu", "ông", "bà", "anh", "chị", "em", "cháu", "thầy", "mr", "mrs", "ms"].map((title) => title.split(" "));
// The middle names that say a full name has begun: a surname comes before them, never a title.
const MIDDLE_NAMES = new Set(["van", "thi"]);
// Titles that are also surnames.
const SURNAME_TITLES = new Set(["ong"]);
const BARE_TITLES = [["co", "giao"], ["thay", "giao"], ["bac"], ["anh"], ["chi"], ["em"], ["chau"], ["mr"], ["mrs"], ["ms"]];
// Answers that are not names at all (compared with their marks where a name could fold to the same letters, as "Dũng" and "đúng").
const NOT_NAMES = new Set(["ok", "oke", "okay", "không", "khong", "ko", "có", "co", "vâng", "vang", "dạ", "đúng", "đúng rồi", "rồi", "roi", "chưa", "chua", "bỏ qua", "bo qua", "không biết", "khong biet", "yes", "no", "không có", "khong co", "hủy", "huy", "xong", "gửi", "gui", "tiếp", "tiếp tục", "tiep tuc", "alo", "hello", "hi", "xin chào", "chào", "test", "abc", "đồng ý", "dong y", "bí mật", "bi mat", "không muốn nói", "khong muon noi"]);

const FOLDED_NOT_NAMES = new Set([...NOT_NAMES].map(foldKey));

// Words no Vietnamese name has: a sentence, not a name ("ngày nào cũng xem thời sự", "không có điện thoại").
// Compared with their marks ("Cung", "La", "Di", "Nhung", "Khổng" are names; "cũng", "là", "đi", "nhưng", "không"
// are not); unmarked, only the few that fold to no name. ("Học", "Được", "Hay" are given names: not listed.)
const SENTENCE_WORDS = new Set([
  "cũng", "nào", "xem", "không", "của", "với", "rồi", "những", "các", "gì", "sẽ", "đã", "đang", "làm", "ở", "thì",
  "mà", "này", "đó", "nhưng", "vì", "nên", "lắm", "quá", "nữa", "đâu", "chưa", "muốn", "biết",
]);
const SENTENCE_WORDS_UNMARKED = new Set(["xem", "cua", "voi", "roi", "cac", "gi", "chua", "biet"]);

// Number words as typed, and "tuổi" said after them.
const NUMBER_WORDS: ReadonlySet<string> = new Set([...MARKED_NUMBER_WORDS, "tuổi"]);

function isSentence(words: readonly string[]): boolean {
  return words.some((word) => {
    const lower = word.toLowerCase();
    return /[^\p{ASCII}]/u.test(lower) ? SENTENCE_WORDS.has(lower) : SENTENCE_WORDS_UNMARKED.has(lower);
  });
}

function stripLeading(words: string[], phrases: string[][], minLeft: number, compare: (word: string) => string = foldKey): { words: string[]; stripped: boolean } {
  let stripped = false;
  for (let changed = true; changed; ) {
    changed = false;
    const folded = words.map(compare);
    for (const phrase of phrases) {
      if (words.length - phrase.length >= minLeft && phrase.every((w, i) => folded[i] === w)) {
        words = words.slice(phrase.length);
        stripped = changed = true;
        break;
      }
    }
  }
  return { words, stripped };
}

// A relative introduced by the one registering them: "bố em tên là …", "tên bà ngoại em là …", "họ tên của mẹ em là
// …", "ông nội cháu là …". A relative and "là" alone is not enough: "Ông La Văn Cầu" is a name.
const RELATIVE_INTRODUCTION =
  /^(?:(?<named>ho va ten|ho ten|ten)\s+(?:cua\s+)?)?(?:bo|ba|cha|me|ma|u|ong|chong|vo)(?<kin>\s+(?:noi|ngoai|nha))?(?<owner>\s+(?:em|toi|minh|chau|con|tui))?\s+(?<verb>ten la|ten|la)\s+(?=\S)/;

function stripRelativeIntroduction(words: string[], folded: string[]): string[] | null {
  const found = RELATIVE_INTRODUCTION.exec(folded.join(" "));
  const { named, kin, owner, verb } = found?.groups ?? {};
  if (!found || !(named || kin || owner || verb !== "la")) return null;
  const length = found[0].trim().split(" ").length;
  return words[length - 1] === "La" ? null : words.slice(length);
}

function stripIntroduction(words: string[]): string[] {
  const folded = words.map((w) => foldKey(w));
  const relative = stripRelativeIntroduction(words, folded);
  if (relative) return relative;
  for (const intro of INTRODUCTIONS) {
    // "Ông La Văn Cầu": a capital "La" after a title is the surname La, not "là".
    const surnameLa = intro.at(-1) === "la" && words[intro.length - 1] === "La";
    if (intro.length <= words.length && intro.every((w, i) => folded[i] === w) && !surnameLa) return words.slice(intro.length);
  }
  // "Tên Nguyễn Văn An": a leading "tên" typed with its mark, or "ten" before a full name.
  if (words[0]?.toLowerCase() === "tên" || (folded[0] === "ten" && words.length >= 3)) return words.slice(1);
  return words;
}

// Where what follows is no longer the name: "… ở bản Na Sang", "… quê Thái Bình", "… sinh năm 1965". (Not an unmarked
// "nam sinh": "Trần Văn Nam sinh 1958" is Nam, born in 1958.)
const AFTER_NAME = /\s(?:ở|o|quê|que|sinh năm|sinh nam|năm sinh|sn|lớp|lop|học lớp|hoc lop)\s.*$/iu;
// A number after the name, said with what it is or of four digits or more (a year, a phone): "… 1960", "… sinh
// 1958", "… sđt 0912 345 678". ("Nguyen Van 2" stays a name with a digit; "… lớp 7" is cut as a class.)
const NUMBER_AFTER_NAME = /\s(?:(?:sinh năm|sinh nam|năm sinh|sinh ngày|sinh ngay|sinh|sn|sđt|sdt|số điện thoại|so dien thoai|điện thoại|dien thoai|đt|dt|phone|tel)[\s:.]*\+?\d|\+?\d{4}).*$/iu;

// A greeting with the one it greets: "chào em", "xin chào bạn", "hello ad".
const GREETING_PART = /^(?:xin\s+)?(?:chào|chao|hello|hi)(?:\s+\p{L}+)?$/iu;

/**
 * The part of an answer that can hold the name: a name has no comma, so it is the first part between commas that is
 * not only a greeting or a "dạ" ("dạ, Mai Thị Lụa", "Nguyễn Văn Hùng, sinh 1965", "… - thôn Đông"; each line of a message
 * is a part too), without what follows "ở", "quê", "sinh năm", "lớp" or a number once two words are said. `cut`: something said after the name was left out (show the name back).
 */
function nameMaterial(input: string): { text: string; cut: boolean } {
  const parts = input.split(/[,;\n\r]|\s[-–—]\s/u).map((part) => part.trim()).filter(Boolean);
  const at = parts.findIndex(
    (part, index) =>
      stripLeading(part.split(/\s+/u), LEADING_FILLERS, 0, (word) => word.toLowerCase()).words.length > 0 &&
      // "chào em, anh tên …": a greeting to the bot before the name, not the name.
      !(GREETING_PART.test(part) && index < parts.length - 1),
  );
  if (at < 0) return { text: input, cut: false };
  const said = parts[at] ?? "";
  // "Hoa 0912 345 678": a number after even a one-word name.
  const first = said.replace(NUMBER_AFTER_NAME, "") || said;
  const words = first.split(/\s+/u);
  const rest = words.slice(2).join(" ");
  const kept = words.length < 3 ? rest : rest.replace(AFTER_NAME, "").replace(/^(?:ở|o|quê|que)\s.*$/iu, "");
  return { text: `${words.slice(0, 2).join(" ")} ${kept}`.trim(), cut: at < parts.length - 1 || kept !== rest || first !== said };
}

function capitalize(word: string): string {
  return word.toLowerCase().replace(/(^|['’-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

/**
 * A person's name as typed: NFC, introductions such as "tôi là", "tên tôi là", "my name is" stripped, punctuation
 * and emoji removed, each word capitalized ("nguyen van an" → "Nguyen Van An"); diacritics are never added.
 * Invalid when empty, with digits, shorter than 2 or longer than 80 characters.
 */
export function parsePersonName(said: string, options: { keepTitles?: boolean } = {}): PersonNameParse {
  const input = afterCorrection(withoutLaughter(said));
  // A question is not a name: "hỏi làm gì?", "tên gì cơ".
  if (/\?\s*$/u.test(input) || foldKey(input).split(" ").includes("gi")) return { status: "invalid", reason: "notName" };
  const material = nameMaterial(input);
  const cleaned = material.text
    .normalize("NFC")
    // A label before a colon ("Họ tên: …", "Name: …") and remarks in brackets ("(bố)").
    .replace(/^[^:\d]{1,20}:/u, "")
    .replace(/\([^)]*\)|\[[^\]]*\]/gu, " ")
    .replace(/[^\p{L}\p{M}\p{N}\s'’-]+/gu, " ")
    .replace(/(^|\s)['’-]+|['’-]+(?=\s|$)/gu, " ")
    .replace(/\s+/gu, " ")
    .trim();
  if (NOT_NAMES.has(cleaned.toLowerCase()) || NOT_NAMES.has(cleaned.toLowerCase().replace(/\s+(ạ|a|nhé|nhe)$/u, ""))) return { status: "invalid", reason: "notName" };
  // Chat spellings of those answers ("ko biet", "k co"): no name is written that way.
  const expanded = foldKey(cleaned);
  if (expanded !== stripDiacritics(cleaned).toLowerCase() && FOLDED_NOT_NAMES.has(expanded)) return { status: "invalid", reason: "notName" };
  const fillers = stripLeading(cleaned === "" ? [] : cleaned.split(" "), LEADING_FILLERS, 1, (word) => word.toLowerCase());
  let words = stripIntroduction(fillers.words);
  while (words.length > 1 && TRAILING_PARTICLES.has((words.at(-1) ?? "").toLowerCase())) words = words.slice(0, -1);
  // "Lò Thị Ơn là tên (tôi)": the introduction said after the name.
  const introducedAfter = /\s(?:là|la)\s+tên(?:\s+(?:tôi|em|mình|cháu|con|tui))?$/iu.exec(words.join(" "));
  const cutAfter = introducedAfter !== null && words.length > 3;
  if (introducedAfter && cutAfter) words = words.join(" ").slice(0, introducedAfter.index).split(" ");
  const marked = /[^\p{ASCII}]/u.test(cleaned);
  let titles = options.keepTitles ? { words, stripped: false } : marked ? stripLeading(words, TITLES, 2, (word) => word.toLowerCase()) : stripLeading(words, BARE_TITLES, 2);
  // "Ông Văn Đức": what is left would start with a middle name ("Văn", "Thị"), so the "Ông" taken for a title is the
  // surname.
  if (titles.stripped && words.length - titles.words.length === 1 && SURNAME_TITLES.has(foldKey(words[0] ?? "")) && MIDDLE_NAMES.has(foldKey(titles.words[0] ?? ""))) {
    titles = { words, stripped: false };
  }
  words = titles.words;
  if (isSentence(words)) return { status: "invalid", reason: "notName" };
  // "mười chín sáu mươi", "hai nghìn mười hai": a number said in words (a name may have one: "Nguyễn Văn Sáu"; not three).
  if (words.length >= 2 && (words.every((word) => NUMBER_WORDS.has(word.toLowerCase())) || words.filter((word) => NUMBER_WORDS.has(word.toLowerCase())).length >= 3)) {
    return { status: "invalid", reason: "notName" };
  }
  const name = words.map(capitalize).join(" ");
  if (name === "") return { status: "invalid", reason: "empty" };
  if (/\p{N}/u.test(name)) return { status: "invalid", reason: "digits" };
  const length = [...name].length;
  if (length < NAME_MIN_LENGTH) return { status: "invalid", reason: "tooShort" };
  if (length > NAME_MAX_LENGTH) return { status: "invalid", reason: "tooLong" };
  // Seven words or more is a sentence ("học sử dụng điện thoại thông minh"): the longest names have five or six.
  if (words.length > 6) return { status: "invalid", reason: "notName" };
  const hasMarks = /[^\p{ASCII}]/u.test(name);
  // A full name with no mark at all was typed without them ("nguyen van an"); one bare word may simply have none ("Lan").
  const corrected = input !== said;
  return { status: "ok", name, check: titles.stripped || material.cut || corrected || cutAfter ? "trimmed" : !hasMarks && words.length >= 2 && /\p{L}/u.test(name) ? "noDiacritics" : null };
}
