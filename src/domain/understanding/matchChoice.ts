import { afterCorrection, beforeReason } from "./afterCorrection.js";
import { stripTypingMarks } from "./parseYesNo.js";
import { restoreDroppedN, splitRunTogether } from "./splitRunTogether.js";
import { editDistance } from "./editDistance.js";
import { heardWords } from "./heardSpelling.js";
import { foldKey, foldSaid } from "./foldKey.js";
import { parseMark } from "./parseMark.js";
import { parsePosition } from "./parsePosition.js";

/**
 * One answer a step offers: its labels (button titles in every language) and synonyms from the flow; `fromMark` when
 * a school mark out of 10 from this one up gives the option ("Khá" from 6.5).
 */
export type ChoiceOption = { value: string; labels: string[]; synonyms?: string[]; fromMark?: number };

/** How a question's answers combine: `highestNamed` when each option includes those below it (listed best first). */
export type ChoiceMatching = { highestNamed?: boolean };

export type ChoiceMatch =
  | { status: "matched"; value: string; confidence: "high" | "low" }
  | { status: "ambiguous"; values: [string, string] }
  | { status: "none" };

// Words around an answer that say nothing about which option: "tôi là …", "… ạ", "chọn …".
const EDGE_FILLERS = new Set(["a", "nhe", "nha", "roi", "oi", "ak", "ah", "toi", "em", "minh", "chau", "con", "la", "chon", "i", "am", "im", "thi"]);

const DIGIT_WORDS: Record<string, string> = { "1": "mot", "2": "hai", "3": "ba", "4": "bon", "5": "nam" };
const FEW = new Set(["2", "3", "4", "hai", "ba", "bon", "dam", "mot vai"]);

/**
 * `part`: only a part of a label ("Tốt" of "Tốt, hay hòa giải"), weaker than a whole label or a synonym. `opening`:
 * a synonym written "trồng *", which names the option when the answer opens with its words and says more ("trồng
 * keo", "nuôi dê" — whatever is grown), not inside a sentence ("người dân trong xã").
 */
type Phrase = { option: number; words: string[]; key: string; part: boolean; opening?: boolean };

// The everyday and Southern ways of saying "không" ("chẳng", "chả", "hông", "hổng", "hem", "khôn"): a phrase the flow lists
// with "không" ("không mâu thuẫn") is the same phrase said with any of them.
const SAID_AS_KHONG = new Set(["chang", "cha", "hong", "hem", "khon"]);

// Southern words for the flows' Northern ones: "coi" (xem, to watch), "xài" (dùng, to use).
const SOUTHERN: Record<string, string> = { coi: "xem", xai: "dung" };

/**
 * A folded text with its words as matched: every way of saying "không" written "khong", Southern words as the flows
 * have them, and the Northern "thi thoảng" written as the "thỉnh thoảng" the flows list.
 */
function matchingWords(folded: string): string[] {
  const words = folded.split(" ").filter(Boolean).map((word) => (SAID_AS_KHONG.has(word) ? "khong" : SOUTHERN[word] ?? word));
  return words.map((word, index) => (word === "thi" && words[index + 1] === "thoang" ? "thinh" : word));
}

const keyOf = (text: string) => matchingWords(foldKey(text)).join(" ");

// The phrases of the option sets met, by their words: every turn at a question builds its options again, with the
// same labels and synonyms. Bounded: questions and languages are few; anything else starts the cache over.
const PHRASES_KEPT = 500;
const phrasesByOptions = new Map<string, Phrase[]>();

// The flows' synonym lists are loaded once and never changed: each list stands in the cache key by a number, not by
// its hundreds of words joined again at every answer.
const listIds = new WeakMap<readonly string[], number>();
let lastListId = 0;
function listId(list: readonly string[] | undefined): number {
  if (!list) return 0;
  let id = listIds.get(list);
  if (id === undefined) listIds.set(list, (id = ++lastListId));
  return id;
}

function phrasesOf(options: ChoiceOption[]): Phrase[] {
  const key = options.map((option) => `${option.value}\u0001${option.labels.join("\u0002")}\u0001${listId(option.synonyms)}`).join("\u0003");
  const known = phrasesByOptions.get(key);
  if (known) return known;
  const phrases = buildPhrases(options);
  if (phrasesByOptions.size >= PHRASES_KEPT) phrasesByOptions.clear();
  phrasesByOptions.set(key, phrases);
  return phrases;
}

const vocabularies = new WeakMap<Phrase[], Set<string>>();
/** Every word the phrases of a question have. */
function vocabularyOf(phrases: Phrase[]): Set<string> {
  let vocabulary = vocabularies.get(phrases);
  if (!vocabulary) vocabularies.set(phrases, (vocabulary = new Set(phrases.flatMap((phrase) => phrase.words))));
  return vocabulary;
}

// Two words with capitals one after the other: a name.
const NAMED = /\p{Lu}\p{Ll}*\s+\p{Lu}/u;

const pairSets = new WeakMap<Phrase[], Set<string>>();
/** Every two words said one after the other in a phrase of the question ("làm ruộng", "vui vẻ"), and its one-word phrases. */
function pairsOf(phrases: Phrase[]): Set<string> {
  let pairs = pairSets.get(phrases);
  if (!pairs) {
    const whole = phrases.filter((phrase) => !phrase.opening && !phrase.part && phrase.words.length === 1).map((phrase) => phrase.key);
    pairSets.set(phrases, (pairs = new Set([...whole, ...phrases.flatMap((phrase) => phrase.words.slice(1).map((word, k) => `${phrase.words[k]} ${word}`))])));
  }
  return pairs;
}

function buildPhrases(options: ChoiceOption[]): Phrase[] {
  const phrases: Phrase[] = [];
  // A label listing several things ("Học sinh, sinh viên, học viên") also answers to each of them, unless another
  // option's label has the same part ("Có" of "Có, đã ghi rõ" and "Có, trong đầu" says neither).
  const partsOf = options.map((option) => new Set(option.labels.flatMap((label) => label.split(/[,;/]|\s(?:hoặc|hay|or)\s/u)).map(keyOf).filter(Boolean)));
  const shared = (part: string, index: number) => partsOf.some((parts, other) => other !== index && parts.has(part));
  options.forEach((option, index) => {
    const synonyms = option.synonyms ?? [];
    const openings = synonyms.filter((synonym) => synonym.endsWith(" *")).map((synonym) => keyOf(synonym.slice(0, -2)));
    const whole = new Set([...option.labels.map(keyOf), ...synonyms.filter((synonym) => !synonym.endsWith(" *")).map(keyOf)].filter(Boolean));
    const parts = [...(partsOf[index] ?? [])].filter((part) => !shared(part, index) && !whole.has(part));
    for (const key of whole) phrases.push({ option: index, words: key.split(" "), key, part: false });
    for (const key of openings) if (key) phrases.push({ option: index, words: key.split(" "), key, part: false, opening: true });
    for (const key of parts) phrases.push({ option: index, words: key.split(" "), key, part: true });
  });
  return phrases;
}

function containsWords(haystack: string[], needle: string[]): boolean {
  return occurrencesOf(haystack, needle).length > 0;
}

function occurrencesOf(haystack: string[], needle: string[]): number[] {
  const found: number[] = [];
  if (needle.length === 0 || needle.length > haystack.length) return found;
  for (let i = 0; i + needle.length <= haystack.length; i++) {
    if (needle.every((w, k) => haystack[i + k] === w)) found.push(i);
  }
  return found;
}

// Words that deny what follows them: "không mâu thuẫn với ai" is not "hay mâu thuẫn".
const NEGATORS = new Set(["khong", "chua", "never", "not", "no", "dont"]);
const NEGATOR_GAP = new Set(["he", "bao", "gio", "co", "hay", "it", "lam", "ai", "may", "phai"]);

function hasNegator(words: readonly string[]): boolean {
  return words.some((word) => NEGATORS.has(word));
}

// Small words said inside an answer that do not change which option it is ("có", "cũng", "thì", "rất"), and the
// speaker said in the middle: "ngày nào em cũng đọc".
const LIGHT_WORDS = new Set(["co", "cung", "thi", "rat", "kha", "van", "duoc", "lai", "he", "em", "toi", "minh", "chau", "con", "bac"]);

// "trước (đây) …, giờ/nay …", "used to …, now …".
const FORMERLY_THEN_NOW =
  /^\s*(?:hồi trước|ngày trước|trước đây|trước kia|trước|hoi truoc|ngay truoc|truoc day|truoc kia|truoc|i used to|used to|before)(?!\p{L}).*?[,;.]\s*(?:bây giờ|hiện nay|hiện giờ|giờ|nay|bay gio|hien nay|hien gio|gio|now)(?!\p{L})(.*)$/iu;

/**
 * Two options named equally: one whose label the answer denies loses ("không biết, làm nông không cần": "không cần"
 * denies "Cần mà chưa biết"); of two phrases that share a word, or an intention and what it is about, the one said first
 * heads the sentence ("định học thêm tin học", "đang tính đi học nghề" are intentions, whatever they are about). Two
 * other phrases said one after the other stay a question: "giáo viên về hưu", "công nhân viên chức".
 */
function settleTie(tie: { values: [string, string] }, options: ChoiceOption[], words: string[], spans: Map<number, [number, number]>): ChoiceMatch | null {
  const tied = tie.values.map((value) => options.findIndex((option) => option.value === value));
  const contradicted = tied.map((index) => options[index]?.labels.some((label) => labelDenied(label, words)) ?? false);
  if (contradicted[0] !== contradicted[1]) return { status: "matched", value: tie.values[contradicted[0] ? 1 : 0], confidence: "high" };
  const [first, second] = tied.map((index) => spans.get(index));
  if (!first || !second || first[0] === second[0]) return null;
  const [head, rest] = first[0] < second[0] ? [first, second] : [second, first];
  const headValue = tie.values[first[0] < second[0] ? 0 : 1];
  // Sharing a word; or an intention ("định", "tính", "muốn", "sẽ") before what it is about.
  const intends = words.slice(head[0], head[1] + 1).some((word) => INTENDING.has(word));
  return rest[0] <= head[1] || intends ? { status: "matched", value: headValue, confidence: "high" } : null;
}

// Words of intending: what follows them is what is intended ("đang tính đi học nghề" is an intention).
const INTENDING = new Set(["dinh", "tinh", "muon", "se", "sap"]);

// Words of a time that come round again: "lúc … lúc không", "hôm … hôm không", "khi … khi không".
const RECURRING = new Set(["luc", "khi", "hom", "bua", "buoi", "lan", "tuan", "thang", "nam", "dot", "ngay"]);

/** Whether the "không" at `at` is the second half of "<time> … <time> không" ("lúc đi lúc không"). */
function alternates(words: readonly string[], at: number): boolean {
  const time = words[at - 1] ?? "";
  return RECURRING.has(time) && words.slice(Math.max(0, at - 5), at - 1).includes(time);
}

// Words of intending that govern what follows a few words on: "định sang năm đi học" (not "tính", as often "tỉnh").
const INTENDING_APART = new Set(["dinh", "muon"]);

/**
 * "tôi định sang năm đi học lớp tin học": a phrase of intending ("định đi học") said with words in between; where its
 * first word was said, or -1.
 */
function intendedApart(words: readonly string[], phrase: readonly string[]): number {
  const head = phrase[0] ?? "";
  if (phrase.length < 2 || !INTENDING_APART.has(head)) return -1;
  const rest = phrase.slice(1);
  return words.findIndex((word, at) => word === head && !deniedAt(words, at) && containsWords(words.slice(at + 2, at + 1 + rest.length + 6), rest));
}

/** Whether the answer says "không"/"chưa" before the first word of a label that does not itself deny ("không cần"). */
function labelDenied(label: string, words: string[]): boolean {
  const first = keyOf(label).split(" ")[0] ?? "";
  if (first === "" || NEGATORS.has(first)) return false;
  return words.some((word, at) => word === first && at > 0 && NEGATORS.has(words[at - 1] ?? ""));
}

// "không phải không cần, mà chưa biết": the part after "mà" (but rather).
const NOT_THIS_BUT = /^\s*(?:không phải|ko phải|chẳng phải|khong phai|ko phai|chang phai|not)(?!\p{L}).*?(?:,\s*|\s)(?:mà|ma|but)\s+(.+)$/iu;
// "<what holds now>, trước (đây) <what was>".
const PAST_CLAUSE_AFTER = /^(.+?)\s*[,;.]\s*(?:hồi trước|ngày trước|trước đây|trước kia|trước|ngày xưa|hồi xưa|hoi truoc|ngay truoc|truoc day|truoc kia|truoc|ngay xua|hoi xua|i used to|used to)(?!\p{L}).*$/iu;
// "<a denial> nhưng (mà) <what holds>".
const BUT_THEN = /^(.*?\S)(?:\s*,\s*|\s+)(?:nhưng mà|nhung ma|nhưng|nhung|but)\s+(.+)$/iu;
const DENIAL = /(?<!\p{L})(?:không|chưa|chẳng|chả|khong|chua|chang|ko|k|not|don't|dont|never)(?!\p{L})/iu;
// "…, chỉ trong đầu thôi", "không biết nhắn tin, chỉ nghe gọi": a clause of "only".
const ONLY_THAT = /[,;]\s*((?:chỉ|chi|only|just)(?!\p{L}).+)$/iu;

// "bộ đội xuất ngũ, giờ làm ruộng", "từng làm công nhân, nay ở nhà": a clause that says what is over, then now.
const FORMER_THEN_NOW =
  /^.*?(?<!\p{L})(?:xuất ngũ|xuat ngu|về hưu|ve huu|nghỉ hưu|nghi huu|nghỉ việc|nghi viec|thôi việc|thoi viec|đã từng|da tung|từng|tung|hồi xưa|hoi xua|ngày xưa|ngay xua|used to be|retired)(?!\p{L}).*?[,;.]\s*(?:bây giờ|hiện nay|hiện giờ|giờ|nay|bay gio|hien nay|hien gio|gio|now)(?!\p{L})(.*)$/iu;

/** Whether the words from `start` on are denied by a "không"/"chưa" just before them (a few small words apart). */
function deniedAt(words: readonly string[], start: number): boolean {
  for (let i = start - 1, gap = 0; i >= 0 && gap <= 2; i--, gap++) {
    const word = words[i] ?? "";
    if (NEGATORS.has(word)) return true;
    if (!NEGATOR_GAP.has(word)) return false;
  }
  return false;
}

// Words that make a "không" firmer without changing what it denies: "không bao giờ", "không hề", "không có".
const FIRMING = new Set(["bao", "gio", "he", "co", "tung"]);

/** The words with those after a "không"/"chưa" taken off ("không bao giờ cãi nhau", "chưa từng cãi nhau" → "không cãi nhau"). */
function withoutFirmingWords(words: readonly string[]): string[] {
  const kept: string[] = [];
  for (const word of words) {
    if (!(FIRMING.has(word) && kept.length > 0 && NEGATORS.has(kept.at(-1) ?? ""))) kept.push(word);
    // "chưa từng", "chưa bao giờ": never, as "không" says it.
    else if (kept.at(-1) === "chua") kept[kept.length - 1] = "khong";
  }
  return kept;
}

/** Whether every place the phrase is said is denied by a "không"/"chưa" just before it (a few small words apart). */
function deniedEverywhere(words: string[], phrase: string[]): boolean {
  if (NEGATORS.has(phrase[0] ?? "")) return false;
  const at = occurrencesOf(words, phrase);
  return at.length > 0 && at.every((start) => deniedAt(words, start));
}

/**
 * Whether a typo could have made these words from the phrase's: word for word, each begins with the same letter. A
 * different first letter is another word ("mỗi sáng" is not "mỗi tháng", "tuần" not "lần"), not a slip of the thumb.
 * Words run together or split apart (a count that differs) are left to the distance.
 */
function sameInitials(typed: readonly string[], phrase: readonly string[]): boolean {
  return typed.length !== phrase.length || typed.every((word, index) => word[0] === phrase[index]?.[0]);
}

/** Typos allowed for a phrase of this many characters. */
function allowedTypos(length: number): number {
  return length <= 3 ? 0 : length <= 5 ? 1 : length <= 13 ? 2 : 3;
}

/** The best score per option (higher is better), then the winner, or the two that tie. */
function decide(scores: Map<number, number>, options: ChoiceOption[], confidence: "high" | "low", close = 0): ChoiceMatch | null {
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  if (!first) return null;
  const firstValue = options[first[0]]?.value ?? "";
  if (second && second[1] >= first[1] - close) {
    return { status: "ambiguous", values: [firstValue, options[second[0]]?.value ?? ""] };
  }
  return { status: "matched", value: firstValue, confidence };
}

function keep(scores: Map<number, number>, option: number, score: number): void {
  if (score > (scores.get(option) ?? Number.NEGATIVE_INFINITY)) scores.set(option, score);
}

const found = (match: ChoiceMatch) => match.status !== "none";
const matched = (match: ChoiceMatch) => match.status === "matched";

/** Where an answer says more than its answer: the part that holds, and which reading of it is taken. */
const HOLDING_PARTS: { part: (input: string) => string | null | undefined; takes: (match: ChoiceMatch) => boolean }[] = [
  // A reason given after the answer does not change it: "chưa, vì ở xa", "ít khi vì mắt kém".
  { part: beforeReason, takes: found },
  // "không phải X, mà Y", "không biết nhắn tin, chỉ nghe gọi": what is said instead is the answer.
  {
    part: (input) => {
      const instead = (NOT_THIS_BUT.exec(input) ?? ONLY_THAT.exec(input))?.[1];
      return instead?.trim() !== input.trim() ? instead : null;
    },
    takes: matched,
  },
  // "không biết nhưng đang học", "chưa có kế hoạch cụ thể, nhưng muốn học": after a denial, what follows "but" is what
  // holds ("có nhưng chưa ghi ra" keeps its own reading).
  {
    part: (input) => {
      const butThen = BUT_THEN.exec(input);
      return butThen?.[1] && DENIAL.test(butThen[1]) ? butThen[2] : null;
    },
    takes: (match) => match.status === "matched" && match.confidence === "high",
  },
  // "về hưu rồi, trước làm giáo viên": a clause about the past, after what holds now, is left out.
  { part: (input) => PAST_CLAUSE_AFTER.exec(input)?.[1], takes: matched },
  // "trước làm giáo viên, giờ nghỉ hưu": what holds now is the answer.
  { part: (input) => (FORMERLY_THEN_NOW.exec(input) ?? FORMER_THEN_NOW.exec(input))?.[1], takes: found },
];

/**
 * Matches a typed answer to one of a step's options: by exact label or synonym with or without diacritics,
 * by position ("1", "số 2", "thứ hai", "the second"), by a label or synonym said as whole words inside the answer
 * ("tôi đọc hằng ngày"), by the answer being part of one label ("công chức"), and by edit distance for typos
 * (confidence "low"). When two options fit equally well the answer is ambiguous: ask with both.
 */
export function matchChoice(typed: string, options: ChoiceOption[], matching: ChoiceMatching = {}): ChoiceMatch {
  const asTyped = readChoice(typed, options, matching, false);
  if (asTyped.status === "ambiguous" || (asTyped.status === "matched" && asTyped.confidence === "high")) return asTyped;
  // Not understood, or only guessed: read again with the words the question does not know heard as the ones it does
  // ("nàm ruộng", "khôn tham gia"; heardSpelling.ts). A reading from sounds is a guess, asked back.
  const asHeard = readChoice(typed, options, matching, true);
  if (asHeard === null || asHeard.status === "none") return asTyped;
  if (asHeard.status === "ambiguous") return asTyped.status === "none" ? asHeard : asTyped;
  return asTyped.status === "none" || asHeard.confidence === "high" ? { ...asHeard, confidence: "low" } : asTyped;
}

/** One reading of the answer; `heard`: with unknown words heard as known ones (null when no word was). */
function readChoice(typed: string, options: ChoiceOption[], matching: ChoiceMatching, heard: true): ChoiceMatch | null;
function readChoice(typed: string, options: ChoiceOption[], matching: ChoiceMatching, heard: false): ChoiceMatch;
function readChoice(typed: string, options: ChoiceOption[], matching: ChoiceMatching, heard: boolean): ChoiceMatch | null {
  const input = afterCorrection(typed);
  // The part of the answer that holds, when it says more than its answer, read on its own first.
  // (Read once: each part is read as typed and as heard by the first reading.)
  if (!heard) for (const { part, takes } of HOLDING_PARTS) {
    const said = part(input);
    if (!said?.trim()) continue;
    const answered = matchChoice(said, options, matching);
    if (takes(answered)) return answered;
  }
  const phrases = phrasesOf(options);
  // Words typed together ("chuaco") are split, and Telex or VNI marks left in a word ("thir thoangr", "nuw") taken
  // off, when that gives words this question knows.
  const vocabulary = vocabularyOf(phrases);
  const typedWords = splitRunTogether(matchingWords(foldSaid(input)), vocabulary).map((word) => {
    if (vocabulary.has(word)) return word;
    const bare = stripTypingMarks(word);
    return vocabulary.has(bare) ? bare : restoreDroppedN(word, vocabulary);
  });
  // Not in a name: "Danh Thị Ngọc", "Cà Văn Ón" typed at a question are no option, heard any way.
  const folded = !heard ? typedWords : NAMED.test(input) ? null : heardWords(typedWords, vocabulary, pairsOf(phrases), input.normalize("NFC").toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  if (!folded) return null;
  // "chị ơi, em là nam": the words before "ơi" call someone, they are not the answer.
  const calling = folded.indexOf("oi");
  const all = calling > 0 && calling <= 2 && folded.length > calling + 1 ? folded.slice(calling + 1) : folded;
  let from = 0;
  let to = all.length;
  while (to - from > 1 && EDGE_FILLERS.has(all[from] ?? "")) from++;
  while (to - from > 1 && EDGE_FILLERS.has(all[to - 1] ?? "")) to--;
  const words = all.slice(from, to);
  const key = words.join(" ");
  if (key === "" || options.length === 0) return { status: "none" };

  // Said exactly: a whole label or a synonym wins over a part of another label ("tốt" is a synonym of "Hòa thuận"
  // and the start of "Tốt, hay hòa giải").
  const exact = new Map<number, number>();
  const allKey = all.join(" ");
  for (const p of phrases) if (!p.opening && (p.key === key || p.key === allKey)) keep(exact, p.option, p.part ? 0 : 1);
  const exactMatch = decide(exact, options, "high");
  if (exactMatch) return exactMatch;

  // "8 điểm", "được 7 phẩy 5": a mark is read before a position ("2 điểm" is not the second option).
  if (options.some((option) => option.fromMark !== undefined)) {
    const mark = parseMark(input);
    const reached = mark === null ? [] : options.filter((option) => option.fromMark !== undefined && option.fromMark <= mark);
    const best = reached.sort((a, b) => (b.fromMark ?? 0) - (a.fromMark ?? 0))[0];
    if (best) return { status: "matched", value: best.value, confidence: "high" };
  }

  const position = parsePosition(input, options.length);
  const positioned = position === null ? undefined : options[position - 1];
  if (positioned) return { status: "matched", value: positioned.value, confidence: "high" };

  // The longest phrase said wins ("có kế hoạch rõ ràng" over "có"); two of the same length are ambiguous.
  // A phrase said after "không"/"chưa" is denied, not chosen: when only denied options were named, ask again.
  const inside = new Map<number, number>();
  // Where the phrase that gave each option its score was said (first and last word), to settle a tie.
  const spans = new Map<number, [number, number]>();
  const bareNo = new Map<number, number>();
  let denied = false;
  const firmly = withoutFirmingWords(all);
  // Every way a phrase counts below needs its first word said, or said firmly ("chưa từng" is the flow's "không").
  const present = new Set([...all, ...firmly]);
  for (const p of phrases) {
    // One word split off a label ("Học" of "Học, làm việc online") names it only said alone, not inside a sentence.
    if (p.part && p.words.length === 1) continue;
    if (!present.has(p.words[0] ?? "")) continue;
    if (p.opening) {
      // What follows the opening words counts as one more word of the phrase ("trồng keo" as long as "trồng lúa").
      if (words.length > p.words.length && p.words.every((word, k) => words[k] === word)) keep(inside, p.option, p.words.length + 1);
      continue;
    }
    if (!containsWords(all, p.words)) {
      // "không bao giờ cãi nhau" says the flow's "không cãi nhau", firmly.
      // Scored as long as it was said ("chẳng bao giờ vắng" is four words, longer than the "không bao giờ" in it).
      if (p.words.length > 1 && NEGATORS.has(p.words[0] ?? "") && containsWords(firmly, p.words)) keep(inside, p.option, p.words.length + all.length - firmly.length);
      else {
        const at = intendedApart(all, p.words);
        if (at >= 0) {
          // Where the intention was said, to head a tie with what it is about ("định … học lớp tin học").
          if (p.words.length > (inside.get(p.option) ?? 0)) spans.set(p.option, [at, at + p.words.length - 1]);
          keep(inside, p.option, p.words.length);
        }
      }
      continue;
    }
    if (p.words.length === 1 && NEGATORS.has(p.words[0] ?? "")) {
      // After "nhưng" (but) a "chưa" denies the qualification, not the question: "có nhưng chưa ghi ra".
      // Nor is "không" the no option in "lúc đi lúc không", "hôm có hôm không": one time of two, not never.
      const saidAlone = occurrencesOf(all, p.words).filter((at) => !all.slice(0, at).includes("nhung") && !alternates(all, at));
      if (saidAlone.length > 0) keep(bareNo, p.option, 1);
    } else if (deniedEverywhere(all, p.words)) denied = true;
    else {
      if (p.words.length > (inside.get(p.option) ?? 0)) {
        const at = occurrencesOf(all, p.words).find((start) => !deniedAt(all, start)) ?? 0;
        spans.set(p.option, [at, at + p.words.length - 1]);
      }
      keep(inside, p.option, p.words.length);
    }
  }
  // A bare "không" is the no option ("không", "không đâu") unless it is there to deny another one ("không ít đâu").
  if (!denied) for (const [option, score] of bareNo) keep(inside, option, score);
  // "xem YouTube với nhắn tin Zalo": where each option includes those below it, the best one named counts.
  if (matching.highestNamed && inside.size > 1) return { status: "matched", value: options[Math.min(...inside.keys())]?.value ?? "", confidence: "high" };
  let insideMatch = decide(inside, options, "high");
  if (!insideMatch) {
    // Again without the small words people add inside a phrase: "thỉnh thoảng có va chạm", "hay đi họp".
    const light = all.filter((word) => !LIGHT_WORDS.has(word));
    for (const p of phrases) {
      if (p.opening) continue;
      const phrase = p.words.filter((word) => !LIGHT_WORDS.has(word));
      if (phrase.length < 2 || !containsWords(light, phrase)) continue;
      if (deniedEverywhere(light, phrase)) denied = true;
      else keep(inside, p.option, phrase.length);
    }
    insideMatch = decide(inside, options, "high");
  }
  if (insideMatch?.status === "ambiguous") insideMatch = settleTie(insideMatch, options, all, spans) ?? insideMatch;
  if (insideMatch) return insideMatch;
  // Heard otherwise, an answer counts only when it says a phrase of the question whole.
  if (heard) return null;
  if (denied) {
    // Denied, unless the whole answer is the denying part of one option ("not needed" of "Not needed for work"; its
    // "needed" denies "Needed, can't yet").
    const negatedParts = new Set(phrases.filter((p) => !p.opening && hasNegator(p.words) && containsWords(p.words, words)).map((p) => p.option));
    const [only] = negatedParts;
    return negatedParts.size === 1 && only !== undefined ? { status: "matched", value: options[only]?.value ?? "", confidence: "high" } : { status: "none" };
  }

  const partOf = new Map<number, number>();
  // A word that says nothing alone ("tôi là" leaves "là") is part of no option.
  const meaningful = (words.length > 1 || key.length > 1) && !(words.length === 1 && EDGE_FILLERS.has(words[0] ?? ""));
  // Never the part of a denied phrase: "có ạ" is not "không có".
  for (const p of phrases) {
    if (p.opening) continue;
    if (meaningful && containsWords(p.words, words) && hasNegator(p.words) === hasNegator(words)) keep(partOf, p.option, words.length / p.words.length);
  }
  // One word that begins phrases of two options ("người": "người dân", "người lao động") says neither: ask. A "không"
  // alone is a plain no, the option that is most nearly it ("không đọc" before "không mấy khi").
  const begins = words.length === 1 && !NEGATORS.has(words[0] ?? "") ? new Set(phrases.filter((p) => !p.opening && p.words[0] === words[0]).map((p) => p.option)) : new Set<number>();
  const partMatch = decide(partOf, options, "high", begins.size > 1 ? Number.POSITIVE_INFINITY : 0.15);
  // The answer is part of a label: sure when it is at least half of it ("công chức"), else ask ("tuần").
  if (partMatch?.status === "matched") return { ...partMatch, confidence: Math.max(...partOf.values()) >= 0.5 ? "high" : "low" };
  if (partMatch) return partMatch;

  const near = new Map<number, number>();
  // "có khi đọc có khi không": that "không" is one time of two, no denial; no guess of a "không …" option from it.
  const alternating = all.some((word, at) => NEGATORS.has(word) && alternates(all, at));
  for (const p of phrases) {
    if (p.opening || (alternating && hasNegator(p.words))) continue;
    const limit = allowedTypos(p.key.length);
    if (limit === 0) continue;
    // A typo never adds or takes away a "không": "thang doc" is not a misspelt "khong doc".
    const sameNegation = (candidate: string[]) => hasNegator(candidate) === hasNegator(p.words);
    let distance = sameNegation(words) && sameInitials(words, p.words) ? editDistance(key, p.key, limit) : Number.POSITIVE_INFINITY;
    for (let i = 0; i + p.words.length <= all.length && all.length > p.words.length; i++) {
      const window = all.slice(i, i + p.words.length);
      if (sameNegation(window) && sameInitials(window, p.words) && (hasNegator(p.words) || !deniedAt(all, i))) distance = Math.min(distance, editDistance(window.join(" "), p.key, limit));
    }
    if (distance <= limit) keep(near, p.option, -distance);
  }
  const best = Math.max(...near.values());
  const nearMatch = decide(near, options, "low", best <= -2 ? 1 : 0);
  if (nearMatch) return nearMatch;

  // The same words in another order: "tuần vài lần", "chưa đọc bao giờ".
  const shared = new Map<number, number>();
  const said = new Set(words.map((w) => DIGIT_WORDS[w] ?? w));
  // "2 3 lần", "hai ba lần": a few.
  if (words.some((w) => FEW.has(w))) said.add("vai");
  for (const p of phrases) {
    if (p.opening || (alternating && hasNegator(p.words))) continue;
    if (p.words.length < 2 || hasNegator(p.words) !== hasNegator([...said])) continue;
    const common = p.words.filter((w) => said.has(w)).length;
    const dice = (2 * common) / (said.size + p.words.length);
    if (dice >= 0.66) keep(shared, p.option, dice);
  }
  return decide(shared, options, "low", 0.15) ?? { status: "none" };
}
