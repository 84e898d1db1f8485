import { foldKey, foldSaid } from "./foldKey.js";
import { parseYesNo, slipOf, spaceRunTogether, type YesNo } from "./parseYesNo.js";
import { afterCorrection, beforeReason } from "./afterCorrection.js";

// Who may be named in an answer about a parent's agreement: "bố mẹ em đồng ý rồi", "ba má cho rồi ạ".
const GUARDIAN_WORDS = new Set([
  "bo", "me", "ba", "ma", "cha", "phu", "huynh", "gia", "dinh", "nguoi", "giam", "ho", "ong", "noi", "ngoai", "cho", "phep",
  // what they agree to: "cho em đăng ký"
  "dang", "ky", "ki",
  "parents", "parent", "mom", "mum", "dad", "father", "mother", "guardian", "my", "they", "have", "has",
  // "I haven't asked (them)": the pupil saying what they did not do, a no
  "i", "asked", "ask", "them",
]);

// Beside an explicit agreement, and only then: "bố mẹ biết rồi và đồng ý" (knowing alone is not agreeing).
const GUARDIAN_WORDS_BESIDE_YES = new Set(["biet", "va", "cung", "het", "ca", "hai", "deu", "bao", "noi", "la", "keu", "bieu", "know", "knows", "and", "both", "said", "say", "says"]);

// What the agreement is to, said after it: "đồng ý cho sử dụng thông tin", "tôi đồng ý lưu dữ liệu của tôi".
// Neutral words only: nothing here makes a condition or a doubt ("nếu", "nhưng", "hỏi" stay unknown).
const CONSENT_OBJECT_WORDS = new Set([
  "cho", "phep", "su", "dung", "luu", "giu", "xu", "ly", "thong", "tin", "du", "lieu", "ca", "nhan", "cua", "cac", "nay",
  "dieu", "khoan", "quy", "dinh", "chung", "ben", "voi", "cung", "cap", "tat", "xin", "chia", "tren", "ay", "do", "day",
  "my", "data", "information", "the", "terms", "to", "use", "all", "provide",
]);

// Beside an explicit agreement, and only then: "đồng ý, bắt đầu đi", "ok làm luôn" (alone they agree to nothing).
const CONSENT_BESIDE_YES = new Set([
  "lam", "luon", "tiep", "tuc", "thoi", "start", "go", "lets", "continue",
  // the Southern "chịu" (agree), doubtful alone ("I give up" in the North): "dạ chịu, đồng ý nghen"
  "chiu",
  // "đã đọc và đồng ý", "hoàn toàn đồng ý", "đồng ý 100%"
  "doc", "ky", "va", "hieu", "ro", "hoan", "toan", "read", "understand", "understood", "and", "fully", "completely",
]);

// "con tôi", "anh tôi", "em mình": a relative of the speaker. The same words alone are how people say "I" ("con đồng
// ý", "em đồng ý"), but followed by "tôi"/"mình"/… they name someone else, whose agreement is not this person's.
const KIN = new Set(["con", "em", "anh", "chi", "chau", "bac", "ba", "ong"]);
const MY = new Set(["toi", "minh", "tui", "em", "con", "chau"]);

function namesSomeoneElse(text: string): boolean {
  const words = foldSaid(text).split(" ");
  return words.some((word, index) => KIN.has(word) && MY.has(words[index + 1] ?? "") && word !== words[index + 1]);
}

/** "đồng", whatever marks it was typed with, or with one slip ("đồg"). */
const isDong = (word: string) => foldKey(word) === "dong" || slipOf(foldKey(word)) === "dong";

// Words that make a question (with their marks: "à" asks, "ạ" is politeness): "hả" anywhere; the others at the end,
// before any "ạ/nhé/nha".
const QUESTION_WORDS = new Set(["hả", "hử", "hở", "hã"]);
const QUESTION_ENDINGS = new Set(["à", "chứ", "sao", "gì", "không", "ko", "k", "hông", "chưa"]);
const POLITE_ENDINGS = new Set(["ạ", "nhé", "nha", "nhe", "nhá"]);

function asksBack(text: string): boolean {
  if (text.includes("?")) return true;
  const words = text.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  if (words.some((word) => QUESTION_WORDS.has(word))) return true;
  while (words.length > 1 && POLITE_ENDINGS.has(words.at(-1) ?? "")) words.pop();
  return words.length > 1 && QUESTION_ENDINGS.has(words.at(-1) ?? "");
}

// Words that make "dung" the "dụng" of a compound ("sử dụng" = use, "nội dung" = content).
const DUNG_COMPOUNDS = new Set(["su", "ap", "noi", "tieu", "tac", "vat"]);

/** "dung" without marks is "đúng" (right) as often as "dừng" (stop): doubtful, as "dừng" is; "đúng" typed so is yes. */
function stopOrRight(text: string): boolean {
  const words = text.split(/[^\p{L}]+/u).filter(Boolean);
  return words.some((word, index) => {
    const typed = word.toLowerCase();
    return typed === "dừng" || (typed === "dung" && !DUNG_COMPOUNDS.has(foldKey(words[index - 1] ?? "")));
  });
}

const HUM = /^(?:ừ+m+|ư+m+|u+h*m+|h+m+|ừ+h+m+|ờ+|ờ+m+)$/iu;

/** Whether every word said (politeness aside) is a hum. */
function humsOnly(text: string): boolean {
  const words = text.split(/[^\p{L}]+/u).filter((word) => word && !POLITE_ENDINGS.has(word.toLowerCase()));
  return words.length > 0 && words.every((word) => HUM.test(word));
}

/** "ờ thì", "ok thì": ends on a "then" that leads into more, said no further ("đồng ý rồi mà" only insists). */
function endsUnfinished(text: string): boolean {
  const words = text.toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  while (words.length > 1 && POLITE_ENDINGS.has(words.at(-1) ?? "")) words.pop();
  return words.length > 1 && (words.at(-1) === "thì" || words.at(-1) === "thi");
}

/** Whether an "ý" stands without the "đồng" before it. */
function ideaAlone(text: string): boolean {
  const words = text.split(/[^\p{L}]+/u).filter(Boolean);
  return words.some((word, index) => word.toLowerCase() === "ý" && !isDong(words[index - 1] ?? ""));
}

/**
 * The answer to the consent question: yes only when it is an unmistakable agreement ("đồng ý", "có", "ok",
 * "vâng ạ", a tap), no when it is a refusal, null for anything doubtful, which is asked again. Never a guess.
 */
export function parseConsent(typed: string): YesNo | null {
  // Corrected in the same message ("đồng ý à nhầm, không đồng ý"): a refusal after it counts, an agreement does not.
  const corrected = afterCorrection(typed);
  if (corrected !== typed) return parseConsent(corrected) === "no" ? "no" : null;
  const input = spaceRunTogether(typed);
  // "chia sẻ" (to share) and "đăng ký" (to register) are what the agreement is to, as phrases: "sẻ"/"sẽ" alone is
  // not ("tôi sẽ đồng ý" is a promise), nor "đang" ("đang ý").
  const objects = input
    .normalize("NFC")
    .replace(/(?<!\p{L})chia\s+s[eẻ](?!\p{L})/giu, "chia")
    .replace(/(?<!\p{L})(?:đăng|dang)\s+(?:ký|kí|ky|ki)(?!\p{L})/giu, " ")
    // The association it is agreed with: "cho hội lưu", "đồng ý với Hội Khuyến học" ("hội" as typed: "hỏi" asks).
    .replace(/(?<!\p{L})(?:hội\s+khuyến\s+học|hoi\s+khuyen\s+hoc|hội)(?!\p{L})/giu, " ")
    // "bắt đầu (đi)" is "start" (its "đầu" folds as the denying "đâu"); the "đi" of an invitation ("làm tiếp đi") is
    // not that of persuading someone ("đồng ý đi" stays doubtful).
    .replace(/(?<!\p{L})(?:bắt\s+đầu|bat\s+dau)(?:\s+(?:đi|di))?(?!\p{L})/giu, " start ")
    .replace(/(?<!\p{L})(tiếp\s+tục|tiep\s+tuc|làm\s+tiếp|lam\s+tiep)\s+(?:đi|di)(?!\p{L})/giu, "$1")
    // "đã đọc", "đã hiểu": the past of reading, not the "đã" of "first" ("hỏi mẹ đã"); "100%" is "fully".
    .replace(/(?<!\p{L})đã\s+(đọc|hiểu|xem)(?!\p{L})/giu, "$1")
    .replace(/(?<![\p{L}\d])100\s*%/gu, " hoàn toàn ");
  const answer = parseYesNo(objects, { strict: true, alsoAllowed: CONSENT_OBJECT_WORDS, besideYes: CONSENT_BESIDE_YES });
  // A refusal with its reason ("không đồng ý vì sợ lộ thông tin") is still a refusal; never an agreement with one.
  if (answer === null) {
    const refusal = beforeReason(objects);
    if (refusal !== null && parseYesNo(refusal, { strict: true, alsoAllowed: CONSENT_OBJECT_WORDS, besideYes: CONSENT_BESIDE_YES }) === "no") return "no";
  }
  // "đã" folds to "da", the polite "dạ"; written with its marks it is "already / first" ("hỏi mẹ đã"): doubtful.
  const text = input.normalize("NFC");
  if (answer === "yes" && /(?:^|[^\p{L}])đã(?:[^\p{L}]|$)/iu.test(objects)) return null;
  // Likewise "ý" alone is "an idea", not the "y" of "yes": only "đồng ý" agrees, whatever marks "đồng" was typed with.
  if (answer === "yes" && ideaAlone(text)) return null;
  if (answer === "yes" && namesSomeoneElse(text)) return null;
  // A question is not an agreement: "đồng ý?", "đồng ý hả", "ok à" ask what it means.
  if (answer === "yes" && asksBack(text)) return null;
  if (answer === "yes" && stopOrRight(text)) return null;
  // "ừm", "uhm", "hmm": a sound made while thinking as often as a yes; "ờ thì…", "ok thì": a sentence left unfinished.
  if (answer === "yes" && (humsOnly(text) || endsUnfinished(text))) return null;
  // "y" is "yes" typed short when it is the answer ("y", "y ạ"); beside other words ("do y", "day y") it is as likely
  // an unmarked "ý" (idea) after a word that is not "đồng".
  const words = foldSaid(objects).split(" ").filter((word) => word && !["a", "nhe", "nha", "ha"].includes(word));
  if (answer === "yes" && words.length > 1 && words.some((word, index) => word === "y" && !isDong(words[index - 1] ?? ""))) return null;
  return answer;
}

/**
 * The answer to "has your parent agreed?": as strict, with the parents named and "rồi" ("already") as yes; any
 * "chưa"/"không" without a yes is a no ("em chưa hỏi"): the bot then explains, it records nothing.
 */
export function parseGuardianConsent(typed: string): YesNo | null {
  const corrected = afterCorrection(typed);
  if (corrected !== typed) return parseGuardianConsent(corrected) === "no" ? "no" : null;
  // "ba má chịu rồi": the Southern "chịu" (to agree to) with the parents as who agreed; alone it is as often "I give up".
  const input = spaceRunTogether(typed).normalize("NFC").replace(PARENTS_ACCEPT, "$1 đồng ý");
  const answer = parseYesNo(input, { strict: true, alsoAllowed: GUARDIAN_WORDS, besideYes: GUARDIAN_WORDS_BESIDE_YES, doneMeansYes: true, noDespiteOtherWords: true });
  if (answer !== "yes") return answer;
  const text = input.normalize("NFC");
  // A question is not an agreement ("mẹ đồng ý?", "bố mẹ đồng ý hả"), nor words said to the parent ("mẹ ơi đồng ý
  // nhé", "đồng ý nha mẹ"), nor an "ý" alone ("mẹ ý": that mother).
  const doubtful =
    speaksForSelf(input) || namesSibling(input) || stopOrRight(input) || asksBack(text) || addressesParent(input) || ideaAlone(text) || humsOnly(text) || endsUnfinished(text);
  return doubtful ? null : answer;
}

const PARENTS_ACCEPT = /((?:^|[^\p{L}])(?:bố|mẹ|ba|má|cha|tía|bố mẹ|ba má|cha mẹ|tía má)(?:\s+(?:em|con|cháu|tui|mình))?(?:\s+(?:đã|cũng|đều))?)\s+chịu(?!\p{L})/giu;

// The speaker's own "I" ("em", "con", "cháu" are how a pupil says it) and what may stand between it and the verb.
const SELF = new Set(["em", "toi", "minh", "con", "chau", "tui", "to", "i"]);
const BETWEEN = new Set(["da", "cung", "rat", "thi"]);
// Who may own the pupil: "mẹ em", "bố con", "nhà em" (my family).
const OWNERS = new Set(["bo", "me", "ba", "ma", "cha", "ong", "nha", "gia", "dinh", "huynh", "parents"]);
const AGREEING = new Set(["dong", "ok", "cho", "duoc", "chiu", "agree", "do"]);

// As typed: "má" is a mother, "mà" a particle ("đồng ý rồi mà").
const PARENTS = new Set(["bố", "mẹ", "ba", "má", "cha", "bo", "me", "ma", "mom", "mum", "dad"]);
const PARTICLES = new Set(["ạ", "a", "nha", "nhé", "nhe", "đi", "di", "ơi", "oi"]);

/** "mẹ ơi …", "… nha mẹ": the pupil speaking to the parent, asking, not reporting an agreement. */
function addressesParent(text: string): boolean {
  const words = text.normalize("NFC").toLowerCase().split(/[^\p{L}]+/u).filter(Boolean);
  if (words.some((word, index) => PARENTS.has(word) && (words[index + 1] === "ơi" || words[index + 1] === "oi"))) return true;
  let last = words.length - 1;
  while (last > 0 && PARTICLES.has(words[last] ?? "")) last--;
  return PARENTS.has(words[last] ?? "") && !words.slice(0, last).some((word) => PARENTS.has(word)) && last > 0;
}

// An older brother or sister, a friend: "chị em bảo ok" is not a parent's agreement.
const SIBLINGS = new Set(["anh", "chi", "ban"]);
const namesSibling = (text: string) => {
  const words = foldSaid(text).split(" ");
  return words.some((word, index) => SIBLINGS.has(word) && MY.has(words[index + 1] ?? ""));
};

/** "em đồng ý": the pupil's own agreement, which is not the parent's the question asks about. */
function speaksForSelf(text: string): boolean {
  const words = foldSaid(text).split(" ");
  return words.some((word, index) => {
    if (!SELF.has(word) || OWNERS.has(words[index - 1] ?? "")) return false;
    let next = index + 1;
    while (BETWEEN.has(words[next] ?? "")) next++;
    return AGREEING.has(words[next] ?? "");
  });
}

// What a deletion or a cancellation is of, beside the yes: "vâng, xóa hết đi", "ok hủy đăng ký", "yes, delete it all".
const DESTRUCTIVE_OBJECT_WORDS = new Set([
  "het", "di", "dang", "ky", "ki", "du", "lieu", "thong", "tin", "toan", "bo", "tat", "ca", "sach", "cua", "luon", "nay",
  "everything", "all", "my", "data", "registration", "it",
]);
// The verbs of the action itself, which say yes to it when not denied ("xóa đi", "hủy luôn", "không xóa").
const ACTION_WORDS = /(?<![\p{L}])(?:xóa|xoá|xoa|hủy|huỷ|huy|delete|erase|remove|cancel)(?![\p{L}])/giu;

/**
 * The answer to "delete everything?" or "cancel the registration?", which cannot be undone: a yes only when it is
 * unmistakable, as consent is, or the action named ("xóa đi"); the other button named ("ok giữ lại", "ừ mà thôi,
 * làm tiếp") is a no whatever yes comes with it; "đừng xóa" is a no, and "dung xoa" (đừng or đúng?) doubtful.
 */
export function parseDestructiveConfirmation(typed: string, keepLabels: readonly string[]): YesNo | null {
  const said = ` ${foldKey(typed)} `;
  if (keepLabels.some((label) => foldKey(label) !== "" && said.includes(` ${foldKey(label)} `))) return "no";
  const text = typed.normalize("NFC");
  if (/(?<!\p{L})đừng(?!\p{L})/iu.test(text)) return "no";
  if (/ dung (?:xoa|huy) /.test(said)) return null;
  return parseYesNo(spaceRunTogether(text.replace(ACTION_WORDS, " ok ")), { strict: true, alsoAllowed: DESTRUCTIVE_OBJECT_WORDS });
}
