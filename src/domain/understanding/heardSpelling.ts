import { stripDiacritics } from "./stripDiacritics.js";

/**
 * Words spelt as they are said where the writer grew up: many people write the sounds of their own speech, and
 * Vietnamese spelling keeps letters that whole regions say alike.
 *   first sounds: l ↔ n (the Red River delta: "nàm ruộng", "lông dân", "Hà Lội"), s ↔ x ("xinh viên", "sem"), tr ↔ ch
 *   ("trăn nuôi", "chồng lúa"), d ↔ gi ↔ r ↔ v (the South and the North: "dáo viên", "dui dẻ", "đúng dồi"), ph ↔ f;
 *   last sounds: n ↔ ng ↔ nh (the South and Centre: "khôn", "thường xuyêng", "tiến anh", "thàn thạo"), c ↔ t ("việt"
 *   for "việc"), ch ↔ t, i ↔ y at the end ("đồng í").
 * On folded words (no marks, đ → d). A word is read as the one word a reader knows that it may be heard as: only when
 * the word as typed is not known and exactly one of its sound-alikes is.
 */

// First sounds said alike, each heard as the others of its row.
const ALIKE_FIRST: readonly (readonly string[])[] = [
  ["l", "n"],
  ["s", "x"],
  ["tr", "ch"],
  ["d", "gi", "r", "v", "z"],
  ["ph", "f"],
];
// Last sounds said alike.
const ALIKE_LAST: readonly (readonly string[])[] = [
  ["n", "ng", "nh"],
  ["c", "t", "ch"],
];

// Words people write right because they write them all day (particles, pronouns, numbers, small verbs): typed, they
// are themselves, never a misheard word of an answer ("dạ rồi" is not "già rồi", "năm mươi" not "làm muối", "nói với"
// not "nói giỏi", "khỏi làm nữa" not "làm lúa"). Compared with their marks; a word typed without any is compared
// without them.
const SAID_AS_WRITTEN = [
  "dạ", "vâng", "ừ", "ờ", "ạ", "à", "rồi", "rứa", "vậy", "vì", "và", "vừa", "vẫn", "về", "vào", "với", "ra", "rất", "rằng",
  "rõ", "giờ", "gì", "dù", "dì", "là", "lại", "lắm", "lần", "lên", "làm", "lúc", "nó", "nào", "này", "nay", "nên", "nếu",
  "năm", "nữa", "nói", "nơi", "nấy", "sẽ", "sao", "sau", "sáng", "sớm", "xong", "xem", "chỉ", "chưa", "chứ", "chị", "chú",
  "chung", "chăm", "trong", "trên", "trước", "trời", "con", "còn", "cần", "hơn", "luôn", "cũng", "đang", "sang", "người",
  "nhưng", "ông", "anh", "em", "mình", "tôi", "tui", "mươi", "mười", "lăm", "một", "hai", "ba", "bốn", "sáu", "bảy",
  "tám", "chín", "trăm", "nghìn", "ngàn", "tuổi", "ngày", "tháng", "tuần", "tiếng", "giờ", "đi", "đã", "đó", "đấy", "đâu",
];
const MARKED_AS_WRITTEN = new Set(SAID_AS_WRITTEN);
const FOLDED_AS_WRITTEN = new Set(SAID_AS_WRITTEN.map(stripDiacritics));

const FIRST = /^(ngh|ng|nh|ph|tr|ch|gi|gh|kh|th|qu|[bcdfghklmnprstvxz])?(.*)$/;
const LAST = /^(.*?[aeiouy])(ng|nh|ch|[cmnpt])?$/;

function alikeOf(sound: string, rows: readonly (readonly string[])[]): readonly string[] {
  return rows.find((row) => row.includes(sound))?.filter((other) => other !== sound) ?? [];
}

const VARIANTS_KEPT = 5_000;
const variantsOf = new Map<string, string[][]>();

/**
 * The spellings a folded word may be heard as, nearest first: its first sound said the other way, then its last
 * sound (or a final "i"/"y").
 */
export function heardVariants(word: string): string[][] {
  const known = variantsOf.get(word);
  if (known) return known;
  const variants = variantsFor(word);
  // Bounded, as foldKey's cache: what people type cannot push past it (then it starts over).
  if (variantsOf.size >= VARIANTS_KEPT) variantsOf.clear();
  variantsOf.set(word, variants);
  return variants;
}

function variantsFor(word: string): string[][] {
  if (word.length < 2 || !/^[a-z]+$/.test(word)) return [];
  const [, first = "", rest = ""] = FIRST.exec(word) ?? [];
  // "gi" before a vowel is one sound; "gì" folds to "gi" and is "g" + "i".
  const [onset, body] = first === "gi" && !/^[aeiouy]/.test(rest) ? ["g", `i${rest}`] : [first, rest];
  const lastMatch = LAST.exec(body);
  if (!lastMatch) return [];
  const [, vowels = "", coda = ""] = lastMatch;
  const onsets = alikeOf(onset, ALIKE_FIRST);
  // A final "y" after a consonant is the "i" sound ("ý", "kỹ"): "đồng í" is "đồng ý".
  const ends = [
    ...alikeOf(coda, ALIKE_LAST).map((other) => vowels + other),
    ...(coda === "" && onset !== "" && (vowels === "i" || vowels === "y") ? [vowels === "i" ? "y" : "i"] : []),
  ];
  // One sound at a time: both at once make too many other words ("gian" of "thời gian" would be "đang").
  return [onsets.map((o) => o + vowels + coda), ends.map((end) => onset + end)];
}

/**
 * The words with each one a reader does not know heard as a known one, where that makes two words a reader says
 * together (`pairs`, "w1 w2"): "nàm ruộng" → "làm ruộng", "dui dẻ" → "vui vẻ". Alone, or beside words it makes no pair
 * with, a word is left as typed: "vâng", "dạ", "rồi" are words of their own, not misheard options. Of the sound-alikes
 * the nearest that pairs is taken, unless two pair at that distance. Null when no word was heard otherwise.
 */
export function heardWords(words: readonly string[], known: ReadonlySet<string>, pairs: ReadonlySet<string>, typed?: readonly string[]): string[] | null {
  // `typed`: the same words as typed (lower case, with their marks), when they stand one for one.
  const asWritten = (index: number) => {
    const word = words[index] ?? "";
    const marked = typed?.length === words.length ? typed[index] : undefined;
    // (A chat spelling read out, "r" for "rồi", is compared as read.)
    return marked !== undefined && marked !== word && stripDiacritics(marked) === word ? MARKED_AS_WRITTEN.has(marked) : FOLDED_AS_WRITTEN.has(word);
  };
  const unknown = words.map((word, index) => !known.has(word) && !asWritten(index));
  if (!unknown.includes(true)) return null;
  const alikes = words.map((word, index) => (unknown[index] ? heardVariants(word) : []));
  // What each word may be: as typed, and (unknown) as heard.
  const maybes = words.map((word, index) => (unknown[index] ? [word, ...(alikes[index] ?? []).flat().filter((variant) => known.has(variant))] : [word]));
  const maybe = (index: number): string[] => maybes[index] ?? [];
  // A one-word answer is heard as a one-word phrase of the question by its first sound ("lữ" → "nữ"; "An", a name,
  // is not "anh").
  const pairsWith = (variant: string, index: number, tier: number) =>
    (words.length === 1 && tier === 0 && pairs.has(variant)) ||
    maybe(index - 1).some((before) => pairs.has(`${before} ${variant}`)) || maybe(index + 1).some((after) => pairs.has(`${variant} ${after}`));
  const heard = words.map((word, index) => nearest(alikes[index] ?? [], (variant, tier) => known.has(variant) && pairsWith(variant, index, tier)) ?? word);
  return heard.some((word, index) => word !== words[index]) ? heard : null;
}

/** The one sound-alike that fits, nearest first; undefined when none or two fit at the nearest distance one does. */
function nearest(tiers: readonly string[][], fits: (variant: string, tier: number) => boolean): string | undefined {
  for (const [at, tier] of tiers.entries()) {
    const fitting = tier.filter((variant) => fits(variant, at));
    if (fitting.length > 0) return fitting.length === 1 ? fitting[0] : undefined;
  }
  return undefined;
}

/**
 * The one word of `known` this word may be heard as, nearest first, or the word as typed (known already, or none
 * or several at the nearest distance any is found). For readers that then want the whole message to be a phrase.
 */
export function heardAs(word: string, known: ReadonlySet<string>): string {
  return known.has(word) ? word : (nearest(heardVariants(word), (variant) => known.has(variant)) ?? word);
}
