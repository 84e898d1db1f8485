import { foldKey, foldSaid } from "./foldKey.js";
import { restoreDroppedN, splitRunTogether } from "./splitRunTogether.js";

export type YesNo = "yes" | "no";

// Folded phrases; at each word the longest phrase that starts there is taken. Negations that contain a "yes"
// word ("không đồng ý", "không được") are listed as NO so they win over the word they contain.
const UNSURE = [
  "khong biet", "chua biet", "khong chac", "chua chac", "khong ro", "chua ro", "khong hieu", "chua hieu",
  "khong nho", "co le", "co the", "de suy nghi", "suy nghi", "de xem", "de sau", "phan van", "tu tu", "chua quyet",
  "maybe", "perhaps", "not sure", "dont know", "do not know", "idk", "later", "hmm", "hm",
  // "rồi thì phải": I think so
  "thi phai",
  // "để tôi xem", "ừ mà khoan", "ok wait": not yet an answer; "có điều là…", "có khi" (maybe)
  "de toi xem", "de em xem", "de minh xem", "de toi nghi", "de em nghi", "de hoi", "de toi hoi", "de em hoi", "khoan da",
  "ma khoan", "khoan khoan", "wait", "hold on", "co dieu la", "co khi",
];
const NO = [
  "khong dong y", "khong muon", "khong can", "khong duoc", "khong co", "khong phai", "khong chiu", "khong ok",
  "khong tham gia", "khong dang ky", "chua dong y", "chua muon", "chua can", "tu choi", "thoi khoi", "khong", "hong chiu", "khong chiu dau",
  "chua", "khoi", "hong", "hem", "chang", "chang phai", "hong phai", "dau co", "dau phai", "dau co phai", "hem phai", "hong co", "hong dong y", "hem dong y", "hong muon", "sai", "sai roi", "nham", "nham roi", "no", "n", "nope", "nah", "not", "dont", "do not",
  "disagree", "decline", "refuse", "never", "wrong", "incorrect", "no thanks",
  "havent", "have not", "hasnt", "has not", "didnt", "did not", "not yet", "i dont", "i do not",
  // Southern "trật" (wrong); "đúng ra là 1970" (it should be …) corrects
  "trat", "trat roi", "trat lat", "dung ra", "dung ra la",
];
const YES = [
  "dong y", "ok", "duoc", "chac chan", "co", "u", "yes", "y", "yeah", "yea", "yep", "yup", "ya", "sure", "agree",
  "i agree", "accept", "of course", "okay", "correct", "right", "true", "dung", "dung roi", "chinh xac", "phai",
  "nhat tri", "chap nhan", "agreed", "accepted", "tat nhien", "uh huh", "vang", "da", "co chu", "duoc roi", "dong y roi",
  "chuan", "chuan roi", "dung vay", "dung the", "cho phep", "chinh no", "dung no", "chinh la no",
  "absolutely", "definitely", "certainly", "exactly", "indeed", "consent", "i consent", "i give my consent", "i do", "yes i do",
  // idioms of "of course"
  "duong nhien", "chu sao", "co chu sao khong", "sao lai khong", "tai sao khong", "ai bao khong", "chuan khong can chinh", "why not",
  // Central and highland "ưng" (to like, to agree): "ưng rồi", "không ưng"
  "ung", "ung y",
];
// Polite particles that also say yes on their own but yield to a "no" ("dạ không" is a polite no).
const POLITE = new Set(["vang", "da", "u"]);
// Words that add nothing: particles, pronouns, thanks.
const FILLERS = new Set([
  "a", "nhe", "nha", "nhen", "roi", "luon", "oi", "vay", "ha", "ak", "ah", "em", "toi", "minh", "chau", "con",
  "bac", "anh", "chi", "ban", "cam", "on", "thoi", "thanks", "thank", "you", "please", "i", "do", "la", "voi", "nua",
  // "vậy thì đồng ý", "thế thì được", "đồng ý chứ", "chú đồng ý"
  "thi", "the", "chu",
  // "I agree to that", "yes it is"
  "to", "that", "this", "it", "is",
]);
// "đâu" closes a no ("không đồng ý đâu") but after a yes it denies it: "tôi đồng ý đâu" = "I never agreed".
const DENYING_PARTICLE = "dau";
// Negators that turn a following "yes" word into a no: "don't agree", "not ok", "chưa đồng ý".
const NEGATORS = new Set(["khong", "chua", "hong", "hem", "chang", "not", "dont", "do not", "i dont", "i do not", "never", "havent", "have not", "hasnt", "has not", "didnt", "did not"]);
// The first words of a "not yet": "chưa", "not yet", "haven't".
const NOT_YET = new Set(["chua", "not", "havent", "have", "hasnt", "has", "didnt", "did"]);
// A longer message is an explanation or a paste, not an answer to a yes/no question.
const MAX_WORDS = 30;
const POSITIVE_EMOJI = /^(?:\p{Extended_Pictographic}|\uFE0F|\s)*$/u;
// Words that ask rather than answer: "ý bạn là gì", "sao lại hỏi thế", "what do you mean". ("không có gì" is
// "nothing": a no.)
const ASKING = new Set(["gi", "sao", "what", "why", "how"]);
// "thế nào", "như nào" (how) ask too, but not "thế nào cũng được" (any way will do).
const asks = (tokens: readonly string[]) =>
  tokens.some(
    (token, index) =>
      (ASKING.has(token) && !(token === "gi" && tokens[index - 1] === "co" && NEGATORS.has(tokens[index - 2] ?? ""))) ||
      (token === "nao" && (tokens[index - 1] === "the" || tokens[index - 1] === "nhu") && tokens[index + 1] !== "cung"),
  );

// Every word the lists above know: a word outside it may be a Telex or VNI leftover ("ddoongf", "kho6ng").
const VOCABULARY = new Set([...UNSURE, ...NO, ...YES].flatMap((phrase) => phrase.split(" ")).concat([...FILLERS, DENYING_PARTICLE]));

/**
 * The text with its run-together yes/no words spaced ("dongy ha" → "dong y ha", "e dongy" → "e dong y"), so that
 * readers looking at the words around an agreement see them. Other words are left as typed, marks and all.
 */
export function spaceRunTogether(input: string): string {
  return input.replace(/[\p{L}\p{M}]{4,}/gu, (word) => {
    const folded = foldKey(word);
    if (folded.includes(" ")) return word;
    const pieces = splitRunTogether([folded], VOCABULARY);
    return pieces.length > 1 ? pieces.join(" ") : word;
  });
}

/**
 * A word typed with Telex or VNI marks that the keyboard did not turn into diacritics, without them:
 * "ddoongf" → "dong", "ys" → "y", "kho6ng" → "khong", "d9o62ng" → "dong". Only used when the word is unknown.
 */
export function stripTypingMarks(token: string): string {
  const bare = token
    .replace(/\d/g, "")
    .replace(/dd/g, "d")
    .replace(/aa|aw/g, "a")
    .replace(/ee/g, "e")
    .replace(/oo|ow/g, "o")
    .replace(/uw/g, "u");
  return bare.replace(/([aeiouy][a-z]*?)[fsrxj]([a-z]*)$/, "$1$2").replace(/([aeiouy])[fsrxj]$/, "$1");
}

// A word typed with one slip — two letters swapped, one doubled or one left out ("dugn", "khonng", "khôg", "đồg") —
// read as the word meant, towards these words only and from at least this many letters; never from a real word one
// letter away ("khoảng", "khôn", "Đức", "đang", "đơn"), and never by changing a letter (that makes other words).
const SLIP_TARGETS: ReadonlyArray<readonly [string, number]> = [["khong", 4], ["dong", 3], ["dung", 4], ["duoc", 4]];
// (Checked against every syllable of the 2025 place names: "Khương", "Kông", "Drông" are real.)
const REAL_NEAR_WORDS = new Set(["khoang", "khon", "kho", "khuong", "kong", "drong", "duc", "dang", "dan", "don", "dun", "dug", "duong", "dao", "doc", "duo"]);

// Letters next to each other on a phone's QWERTY keyboard: a thumb that lands beside the key ("đúnh" for "đúng").
const KEY_ROWS = ["qwertyuiop", "asdfghjkl", "zxcvbnm"];
function besideOnKeyboard(a: string, b: string): boolean {
  const place = (letter: string) => {
    const row = KEY_ROWS.findIndex((keys) => keys.includes(letter));
    return { row, column: row < 0 ? -9 : (KEY_ROWS[row] ?? "").indexOf(letter) + row * 0.5 };
  };
  const [p, q] = [place(a), place(b)];
  return p.row >= 0 && q.row >= 0 && Math.abs(p.row - q.row) <= 1 && Math.abs(p.column - q.column) <= 1;
}

function oneSlip(typed: string, meant: string): boolean {
  // The first letter is never the slip: "ông" is not "đồng" missing its "đ".
  if (typed[0] !== meant[0]) return false;
  if (typed.length === meant.length) {
    const at = [...typed].findIndex((letter, index) => letter !== meant[index]);
    if (at < 0) return false;
    // One letter typed by the key beside it, in a word of four letters or more.
    if (typed.length >= 4 && typed.slice(at + 1) === meant.slice(at + 1) && besideOnKeyboard(typed[at] ?? "", meant[at] ?? "")) return true;
    return typed[at] === meant[at + 1] && typed[at + 1] === meant[at] && typed.slice(at + 2) === meant.slice(at + 2);
  }
  const [longer, shorter] = typed.length > meant.length ? [typed, meant] : [meant, typed];
  if (longer.length !== shorter.length + 1) return false;
  for (let index = 0; index < longer.length; index++) if (longer.slice(0, index) + longer.slice(index + 1) === shorter) return true;
  return false;
}

/** The yes/no word a token was meant to be when typed with one slip ("dugn" → "dung"), else undefined. */
export function slipOf(token: string): string | undefined {
  if (REAL_NEAR_WORDS.has(token)) return undefined;
  const meant = SLIP_TARGETS.filter(([word, minLength]) => token.length >= minLength && oneSlip(token, word));
  return meant.length === 1 ? meant[0]?.[0] : undefined;
}

// The yes/no words written with the last sound the South and Centre say ("khôn" for "không", "đún" for "đúng",
// "đượt" for "được"), as typed with their marks: unmarked, or with another tone, they are other words ("đủn").
const SAID_WITH_ANOTHER_ENDING: ReadonlyMap<string, string> = new Map([
  ["khôn", "không"],
  ["đún", "đúng"],
  ["đượt", "được"],
]);
const ANOTHER_ENDING = new RegExp(`(?<!\\p{L})(?:${[...SAID_WITH_ANOTHER_ENDING.keys()].join("|")})(?!\\p{L})`, "giu");

// Words typed with marks that fold to a yes word but are other words: "dừng" (stop), "Dũng" are not "đúng"; "cố
// gắng", "cỏ", "cờ" not "có"; "vàng" (gold), "vắng" ("bố em đi vắng") not "vâng"; "đá", "đà" not "dạ"; "đóng" not
// "đồng"; "ứ", "ủ" not "ừ". ("đông ý" stays a slip for "đồng ý".) Unmarked, or typed as the yes word, they read as
// before ("dung", "dùng", "sử dụng" and "đã" keep their readings).
const NOT_YES = /(?<!\p{L})(?:dừng|dũng|dửng|dưng|cố|cỗ|cổ|cờ|cọ|cò|cớ|cỡ|vàng|vắng|đá|đà|đóng|dòng|phái|ứ|ú|ụ|ủ|ũ)(?!\p{L})/giu;

function readTokens(input: string): string[] {
  // "ờ" is the Northern "ừ" (yes) and "ừa" the Southern one; folded they would be the "o" of "ồ" (oh) or "ở" (at)
  // and the "ua" of "ủa" (huh?).
  const said = foldSaid(
    input
      .normalize("NFC")
      .replace(/(?<!\p{L})(?:[ờỜ]|[ừỪ][aA])(?!\p{L})/gu, "ừ")
      .replace(ANOTHER_ENDING, (word) => SAID_WITH_ANOTHER_ENDING.get(word.toLowerCase()) ?? word)
      .replace(NOT_YES, "ngừng")
      // "cô" is how a woman teacher or an aunt says "I" (or is called): a pronoun, as "chị".
      .replace(/(?<!\p{L})cô(?!\p{L})/giu, "chị"),
  )
    .split(" ")
    .filter(Boolean);
  // "dongy", "khongphai": words run together are split into the words they are.
  const tokens = splitRunTogether(said, VOCABULARY)
    .map((token) => restoreDroppedN(token, VOCABULARY))
    // The Southern "hông/hổng" and "hem" are "không": "hổng biết" is as unsure as "không biết".
    .map((token) => (token === "hong" || token === "hem" ? "khong" : token))
    .map((token) => {
      if (VOCABULARY.has(token)) return token;
      const bare = stripTypingMarks(token);
      return VOCABULARY.has(bare) ? bare : (slipOf(token) ?? token);
    });
  // "í" for "ý" is a common spelling slip: "đồng í" is "đồng ý".
  const read = tokens.map((token, index) => (token === "i" && tokens[index - 1] === "dong" ? "y" : token));
  // A "mà" that ends the message only insists ("đồng ý rồi mà"); inside it begins a "but", whose words then count.
  if (read.length > 1 && read.at(-1) === "ma") read.pop();
  return read;
}

export type YesNoOptions = {
  /**
   * For consent: agreement must be unmistakable. Any word that is not a yes, a no or a filler makes the answer
   * doubtful (null): "để em hỏi mẹ đã", "đồng ý nhưng…", "Hà Đông".
   */
  strict?: boolean;
  /** Words that may stand beside the answer without making it doubtful (the guardian question's "bố mẹ"). */
  alsoAllowed?: ReadonlySet<string>;
  /** Words that may stand beside an explicit yes, but make an answer without one doubtful. */
  besideYes?: ReadonlySet<string>;
  /** "rồi" alone answers a "đã … chưa?" question with yes. */
  doneMeansYes?: boolean;
  /**
   * A no said first stays a no whatever words follow it ("em chưa hỏi"), where a wrong no costs only a question;
   * "mẹ đi làm chưa về" (the no after other words) stays doubtful.
   */
  noDespiteOtherWords?: boolean;
};

// Each list split into words once.
const [UNSURE_WORDS, NO_WORDS, YES_WORDS] = [UNSURE, NO, YES].map((list) => list.map((phrase) => phrase.split(" "))) as [string[][], string[][], string[][]];

function phraseAt(tokens: string[], at: number, phrases: readonly string[][]): number {
  let best = 0;
  for (const words of phrases) {
    if (words.length > best && words.every((w, k) => tokens[at + k] === w)) best = words.length;
  }
  return best;
}

/**
 * "được 7 điểm", "được khen", "được đi học": "được" before what is got or allowed is a verb, not "OK" ("được rồi",
 * "được ạ", "ok được" are); so is "phải" before what must be done ("phải đi làm"), and "có" before a number.
 */
function obtains(tokens: string[], at: number, length: number): boolean {
  if (length !== 1) return false;
  const next = tokens[at + 1];
  // "có 2 con": having, counted.
  if (tokens[at] === "co") return next !== undefined && /^\d/.test(next);
  // "phải đi làm", "phải hỏi con": must, not "right".
  if (tokens[at] !== "duoc" && tokens[at] !== "phai") return false;
  if (next === undefined || FILLERS.has(next) || POLITE.has(next) || AFTER_OK.has(next)) return false;
  return phraseAt(tokens, at + 1, YES_WORDS) === 0 && phraseAt(tokens, at + 1, NO_WORDS) === 0;
}

// Beside the fillers, particles that may follow an "OK" "được": "được mà", "được đấy", "được hết".
const AFTER_OK = new Set(["ma", "day", "het", "ca"]);

/** The "được" of "không <verb…> được" (up to three words after the negator, none of them a yes or a no). */
function markUnable(tokens: string[], from: number, unable: Set<number>): void {
  for (let at = from; at < Math.min(tokens.length, from + 4); at++) {
    if (tokens[at] === "duoc" && at > from) {
      unable.add(at);
      return;
    }
    if (phraseAt(tokens, at, YES_WORDS) > 0 || phraseAt(tokens, at, NO_WORDS) > 0) return;
  }
}

function emojiAnswer(input: string): YesNo | null {
  const text = input.trim();
  if (text === "" || !POSITIVE_EMOJI.test(text)) return null;
  const yes = /[👍👌✅🆗]/u.test(text);
  const no = /[👎❌🚫]/u.test(text);
  return yes === no ? null : yes ? "yes" : "no";
}

/**
 * Yes or no in their common Vietnamese and English forms, with or without diacritics: "có", "đồng ý", "ok",
 * "ừ", "vâng", "dạ", "được", "yes" … / "không", "ko", "k", "không đồng ý", "từ chối", "no" …
 * Null when unsure ("không biết", "có lẽ"), when both are said ("có hay không") or when neither is.
 */
export function parseYesNo(input: string, options: YesNoOptions = {}): YesNo | null {
  // A thumbs-up is a yes to an ordinary question; consent wants words (an emoji may be a reflex or a "seen").
  const emoji = emojiAnswer(input);
  if (emoji) return emoji === "yes" && options.strict ? null : emoji;
  const tokens = readTokens(input);
  if (tokens.length === 0 || tokens.length > MAX_WORDS) return null;
  // "thôi" first is a refusal ("thôi, khỏi"); after a yes it only softens it ("được thôi").
  if (tokens[0] === "thoi") tokens[0] = "khoi";
  let yes = 0;
  let polite = 0;
  let no = 0;
  let unknown = 0;
  let unknownBeforeNo = 0;
  // Whether a no was a "not yet" ("chưa …"), which the words around it only explain ("chưa, để em hỏi", "không, mẹ
  // chưa về"); beside a plain "không" they may say something else entirely ("không có sđt" answers another question).
  let notYet = false;
  let denying = 0;
  let besideYes = 0;
  // "y" is "yes" typed short when it is the answer ("y", "y ạ"); beside other words it is as likely an unmarked "ý"
  // (an idea, a meaning: "ý bạn là gì").
  let bareY = 0;
  if (asks(tokens)) return null;
  // "X chứ không phải Y" (X, not Y): a contrast about something else, not a no to the question.
  if (tokens.some((token, index) => token === "chu" && index > 0 && phraseAt(tokens, index + 1, NO_WORDS) > 0)) return null;
  // "chưa hỏi được", "không gọi được cho mẹ": "được" after a negated verb says the person could not; it is no yes.
  const unable = new Set<number>();
  for (let i = 0; i < tokens.length; ) {
    const unsure = phraseAt(tokens, i, UNSURE_WORDS);
    // After a no said first, what follows it does not unsay it ("chưa, để em hỏi").
    if (unsure > 0 && no > 0 && yes === 0 && unknownBeforeNo === 0 && options.noDespiteOtherWords) {
      i += unsure;
      continue;
    }
    if (unsure > 0) return null;
    const noLength = phraseAt(tokens, i, NO_WORDS);
    const yesLength = unable.has(i) ? 0 : phraseAt(tokens, i, YES_WORDS);
    if (noLength > 0 && noLength >= yesLength) {
      if (no === 0) unknownBeforeNo = unknown;
      if (NOT_YET.has(tokens[i] ?? "")) notYet = true;
      no++;
      const negator = NEGATORS.has(tokens.slice(i, i + noLength).join(" "));
      const negated = negator ? phraseAt(tokens, i + noLength, YES_WORDS) : 0;
      if (negator && negated === 0) markUnable(tokens, i + noLength, unable);
      // "không liên lạc được với bố": could not, which is a "not yet" too.
      if (unable.size > 0) notYet = true;
      i += noLength + negated;
    } else if (unable.has(i)) {
      i++;
    } else if (yesLength > 0 && !obtains(tokens, i, yesLength)) {
      const phrase = tokens.slice(i, i + yesLength).join(" ");
      if (POLITE.has(phrase)) polite++;
      else if (phrase === "y") bareY++;
      else yes++;
      i += yesLength;
    } else {
      const token = tokens[i] ?? "";
      if (token === DENYING_PARTICLE) denying++;
      else if (options.besideYes?.has(token)) besideYes++;
      else if (!FILLERS.has(token) && !options.alsoAllowed?.has(token)) unknown++;
      i++;
    }
  }
  if (yes === 0 && bareY > 0 && unknown === 0) yes = bareY;
  // "đúng nhưng…", "yes but…": a reservation follows the yes.
  if (yes + polite > 0 && no === 0 && tokens.some((token) => token === "nhung" || token === "but")) return null;
  if (no > 0 && yes === 0 && unknownBeforeNo === 0 && options.noDespiteOtherWords && (notYet || unknown === 0)) return "no";
  if (yes === 0) unknown += besideYes;
  if (unknown > (options.strict ? 0 : 6)) return null;
  if (no > 0) return yes > 0 ? null : "no";
  if (denying > 0) return null;
  if (yes + polite === 0 && options.doneMeansYes && tokens.includes("roi")) return "yes";
  return yes + polite > 0 ? "yes" : null;
}
