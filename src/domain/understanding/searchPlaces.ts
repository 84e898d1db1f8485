import { editDistance } from "./editDistance.js";
import { foldKey } from "./foldKey.js";
import { heardVariants } from "./heardSpelling.js";
import { lookupPlaceAlias, type PlaceAlias } from "./lookupPlaceAlias.js";
import { normalizeText, plainLetters } from "./normalizeText.js";

/** A province or commune to search: the name without its prefix ("Mai Lâm"), and its kind if known. */
export type PlaceCandidate = { id: string; name: string; type?: string };
export type PlaceHit = { id: string; score: number; exact: boolean };

type Kind = "commune" | "ward" | "special_zone" | "province" | "city";

const KIND_OF_TYPE: Record<string, Kind> = {
  xa: "commune", commune: "commune", phuong: "ward", ward: "ward", "dac-khu": "special_zone", special_zone: "special_zone",
  tinh: "province", province: "province", "thanh-pho": "city", city: "city",
};
// Folded prefixes people put before a name, longest first; "tt" and "thị trấn" are the towns merged in 2025.
const PREFIXES: [string, Kind | null][] = [
  ["thanh pho", "city"], ["thi tran", null], ["dac khu", "special_zone"], ["thi xa", null], ["phuong", "ward"],
  ["tinh", "province"], ["xa", "commune"], ["tphcm", null], ["tp", "city"], ["tt", null], ["p", "ward"],
  ["commune", "commune"], ["ward", "ward"], ["province", "province"], ["city", "city"],
];
const MIN_SCORE = 0.6;
// No place name is this long; a longer message is a sentence or a paste, not a place.
const MAX_QUERY_LENGTH = 80;

type Prepared = { id: string; text: string; key: string; compact: string; words: string[]; kind: Kind | undefined };
// Prepared keys per candidate list, so a list kept in memory is folded once, not on every message.
const prepared = new WeakMap<PlaceCandidate[], Prepared[]>();

function prepare(places: PlaceCandidate[]): Prepared[] {
  const cached = prepared.get(places);
  if (cached) return cached;
  const list = places.map((p) => {
    const key = foldKey(p.name);
    return { id: p.id, text: normalizeText(p.name), key, compact: key.replace(/ /g, ""), words: key.split(" "), kind: p.type ? KIND_OF_TYPE[p.type] : undefined };
  });
  prepared.set(places, list);
  return list;
}

/** A folded place name without the kind said before it ("xa mai lam" → "mai lam", "tp vinh" → "vinh"). */
export function stripPlacePrefix(folded: string): string {
  const prefix = PREFIXES.find(([p]) => folded.startsWith(`${p} `));
  return prefix ? folded.slice(prefix[0].length + 1) : folded;
}

/** What to look for: the name without a prefix ("xã", "p.", "tp"), and also without a kind said after it. */
function queriesOf(folded: string): { queries: string[]; kind: Kind | null } {
  let key = folded;
  let kind: Kind | null = null;
  const prefix = PREFIXES.find(([p]) => key.startsWith(`${p} `));
  if (prefix) {
    key = key.slice(prefix[0].length + 1);
    kind = prefix[1];
  }
  // "Bắc Ninh tỉnh", "Da Nang city" — but "Hà Tĩnh" ends in "tinh" too, so both are tried.
  const suffix = PREFIXES.find(([s]) => s.length > 2 && key.endsWith(` ${s}`));
  const queries = suffix ? [key, key.slice(0, -suffix[0].length - 1)] : [key];
  return { queries, kind: kind ?? suffix?.[1] ?? null };
}

/**
 * "xã Vĩnh Phú huyện Vĩnh Tường": a name said right after "xã"/"phường" names the commune (a little above), one right
 * after "huyện"/"quận"/"tỉnh"/"thành phố" a larger unit (a little below), so the commune comes first among the two; with
 * neither said, the name said first.
 */
function levelSaidBefore(words: string[], name: string[]): number {
  const at = words.findIndex((_, i) => name.every((w, k) => words[i + k] === w));
  const before = words[at - 1] ?? "";
  const twoBefore = `${words[at - 2] ?? ""} ${before}`;
  if (twoBefore === "thi xa" || twoBefore === "thanh pho" || ["huyen", "quan", "tinh", "tp"].includes(before)) return -0.03;
  if (before === "xa" || before === "phuong" || twoBefore === "thi tran" || twoBefore === "dac khu") return 0.02;
  // "Củ Chi, Sài Gòn": people name the small place first, then the larger one it lies in.
  return at === 0 ? 0.01 : 0;
}

function containsWords(haystack: string[], needle: string[]): boolean {
  for (let i = 0; i + needle.length <= haystack.length; i++) if (needle.every((w, k) => haystack[i + k] === w)) return true;
  return false;
}

/** Each word of a query with what it may be heard as ("fú thọ" for "Phú Thọ", "Hà Lội", "da lai" for "Gia Lai"). */
function heardQuery(query: string): Set<string>[] {
  return query.split(" ").map((word) => new Set([word, ...heardVariants(word).flat()]));
}

function score(query: string, typed: string | null, candidate: Prepared, heard: Set<string>[]): { score: number; exact: boolean } {
  const compactQuery = query.replace(/ /g, "");
  if (query === candidate.key || compactQuery === candidate.compact) {
    // Typed with diacritics: "Tân Thành" ranks above "Tân Thạnh", both still exact without them.
    return { score: typed === null || typed === candidate.text ? 1 : 0.99, exact: true };
  }
  const words = query.split(" ");
  // "mai lam ha noi", "xa mai lam, dong anh": the whole name said among other words.
  if (words.length > candidate.words.length && containsWords(words, candidate.words)) return { score: 0.9 + levelSaidBefore(words, candidate.words), exact: false };
  const length = Math.max(query.length, candidate.key.length);
  const distance = Math.min(editDistance(query, candidate.key, typosAllowed(length)), editDistance(compactQuery, candidate.compact, typosAllowed(length)));
  let best = distance <= typosAllowed(length) && !oneShortWordMisread(words, candidate.words, distance) ? 0.95 * (1 - distance / length) : 0;
  // "em ở đắc lắc": the name with a slip, among other words (below the name said whole among them); each word begins
  // as the name's does ("thanh hoá" among other words is not a slip for "khánh hoà").
  for (let start = 0; words.length > candidate.words.length && start + candidate.words.length <= words.length; start++) {
    const window = words.slice(start, start + candidate.words.length);
    if (window.some((word, index) => word[0] !== candidate.words[index]?.[0])) continue;
    const said = window.join(" ");
    const longest = Math.max(said.length, candidate.key.length);
    const slips = editDistance(said, candidate.key, typosAllowed(longest));
    if (slips > 0 && slips <= typosAllowed(longest) && !oneShortWordMisread(window, candidate.words, slips)) best = Math.max(best, 0.9 * (1 - slips / longest));
  }
  // Word for word the name as it is said where the writer lives (heardSpelling.ts): below the name, above a slip.
  if (heard.length === candidate.words.length && candidate.words.every((word, index) => heard[index]?.has(word))) best = Math.max(best, 0.92);
  // "mai" for "Mai Lâm": the start of a name, worth offering but never exact.
  if (candidate.key.startsWith(`${query} `) && query.length >= 3) best = Math.max(best, 0.6 + 0.3 * (query.length / candidate.key.length));
  return { score: best, exact: false };
}

/** Slips allowed between a name and what was typed for it, by the longer one's length. */
function typosAllowed(length: number): number {
  return length <= 4 ? 0 : length <= 6 ? 1 : length <= 10 ? 2 : 3;
}

/**
 * Two slips in one short word are another word, not a typo: "làm ruộng" is not "Lâm Đồng" ("ruong"/"dong"), while
 * "đắc lắc" (one slip in each word) is "Đắk Lắk".
 */
function oneShortWordMisread(words: string[], names: string[], distance: number): boolean {
  if (distance < 2 || words.length !== names.length) return false;
  return words.some((word, index) => {
    const name = names[index] ?? "";
    return Math.max(word.length, name.length) <= 5 && editDistance(word, name, 2) >= 2;
  });
}

/** Aliases named by two or more words inside a longer text, the longest first, scored below a name said whole. */
function aliasesInside(key: string): PlaceAlias[] {
  const words = key.split(" ");
  const found: PlaceAlias[] = [];
  for (let length = Math.min(4, words.length - 1); length >= 2; length--) {
    for (let start = 0; start + length <= words.length; start++) {
      const alias = lookupPlaceAlias(words.slice(start, start + length).join(" "));
      if (alias) found.push({ key: alias.key, exact: false });
    }
  }
  return found;
}

/** The place in "dạ em ở xã Vĩnh Phú ạ", "tôi sống tại Phú Thọ nhé": what is said around it taken off. */
export function placeSaid(text: string): string {
  // Twice: "quê em ở …", "dạ nhà tui ở …".
  // Emoji and laughter first: "Đông Anh ạ 😊".
  const plain = plainLetters(text).replace(/[\p{Extended_Pictographic}\uFE0F\u200D]/gu, " ").trim();
  return leadingWordsOff(leadingWordsOff(nowPart(plain)))
    // "ở Nghệ An, cảm ơn", "Huế nhé, thanks": thanks after the place.
    .replace(/[\s,.!]+(?:cảm ơn|cám ơn|cam on|thanks|thank you)(?:\s+(?:bạn|ban|em|nhiều|nhieu|nhé|nhe|nha|ạ|a))*[\s.!]*$/iu, "")
    .replace(/[\s,.!]+(?:ạ|a|nhé|nhe|nha|á|ah|ak|ơi|oi|đó|do|ấy|nè|ne|nghen|nhen)[\s.!]*$/iu, "")
    .trim();
}

// "Quảng Bình cũ, giờ là Quảng Trị", "trước là Hải Dương, nay Hải Phòng": the name that holds now.
const NOW_CLAUSE = /[,;.]\s*(?:bây giờ|bay gio|hiện nay|hien nay|hiện giờ|hien gio|giờ|gio|nay|now)(?:\s+(?:là|la|thuộc|thuoc|đổi thành|doi thanh|sáp nhập vào|sap nhap vao|nhập vào|nhap vao|về|ve))?\s+(\S.*)$/iu;
const nowPart = (text: string) => NOW_CLAUSE.exec(text)?.[1] ?? text;

// "I live in Hanoi", "I'm from Hue", "we live in …".
const ENGLISH_LEADING = /^(?:(?:i|we)\s+(?:live|stay|am|m|come)|i['’]?m|from|living|live)\s+(?:from\s+|in\s+|at\s+)?(?:in\s+)?/iu;

// "dưới Cà Mau", "miệt Cần Thơ", "ngoài Hà Nội": where the place lies from the speaker, before its name.
const WHERE_FROM_HERE = /^(?:dưới|duoi|trên|tren|ngoài|ngoai|trong|miệt|miet|xứ|vùng|vung)\s+(?=\S+\s+\S)/iu;

function leadingWordsOff(text: string): string {
  return text.replace(ENGLISH_LEADING, "").replace(WHERE_FROM_HERE, "").replace(
    /^(?:(?:dạ|da|thưa|thua|vâng|vang)[\s,]+)?(?:(?:em|tôi|toi|tui|tau|tao|tớ|mình|minh|bác|bac|cháu|chau|con|chú|chu|cô|nhà\s+em|nha\s+em|nhà\s+tôi|nha\s+toi|nhà\s+tui|nhà\s+mình|nhà|gia\s+đình)\s+)?(?:(?:đang|dang|hiện|hien)\s+)?(?:ở|o|sống\s+ở|song\s+o|sống\s+tại|song\s+tai|tại|tai|quê|que|thuộc|thuoc)\s+/iu,
    "",
  );
}

/**
 * Finds provinces or communes by what a person typed (the words around the place taken off: "em ở …", "… ạ"):
 * without diacritics, with prefixes ("xã", "p.", "tp", "tỉnh", "đặc khu"), with typos ("mai lamm"), and with
 * well-known abbreviations ("hn", "tp hcm", "sai gon", "dn").
 * Returns up to `limit` hits, best first (score 0..1); `exact` means the name (or an alias) matched exactly.
 */
export function searchPlaces(said: string, places: PlaceCandidate[], limit = 5): PlaceHit[] {
  const bare = placeSaid(said);
  if (bare === said.normalize("NFC").trim()) return searchName(said, places, limit);
  // What was taken off may have been the name's own ("o dien" is Ô Diên typed bare): both are tried.
  const best = new Map<string, PlaceHit>();
  for (const hit of [...searchName(bare, places, limit), ...searchName(said, places, limit)]) {
    const known = best.get(hit.id);
    if (!known || hit.score > known.score) best.set(hit.id, hit);
  }
  return [...best.values()].sort((a, b) => b.score - a.score || Number(b.exact) - Number(a.exact)).slice(0, limit);
}

function searchName(input: string, places: PlaceCandidate[], limit: number): PlaceHit[] {
  const { queries, kind } = queriesOf(foldKey(input));
  const key = queries[0] ?? "";
  if (key === "" || key.length > MAX_QUERY_LENGTH) return [];
  const words = normalizeText(input).replace(/[^\p{L}\p{M}\p{N}]+/gu, " ").trim().split(" ");
  const typedName = words.slice(words.length - key.split(" ").length).join(" ");
  const typed = foldKey(typedName) === key && typedName !== key ? typedName : null;
  // An old or other name typed whole ("Quảng Bình") is meant for certain: above any typo of another name.
  const aliases: (PlaceAlias & { inside?: boolean })[] = queries.map(lookupPlaceAlias).filter((alias) => alias !== undefined);
  // "quê em ở quảng nam ạ": an old or other name said among other words, as the names themselves are (score 0.9).
  if (aliases.length === 0) aliases.push(...aliasesInside(key).map((alias) => ({ ...alias, inside: true })));
  const hits: PlaceHit[] = [];
  const heard = queries.map(heardQuery);
  for (const candidate of prepare(places)) {
    let best = { score: 0, exact: false };
    for (const [index, query] of queries.entries()) {
      const found = score(query, query === key ? typed : null, candidate, heard[index] ?? []);
      if (found.score > best.score) best = found;
    }
    for (const alias of aliases) {
      if (alias.key === candidate.key && best.score < 1) best = { score: alias.exact ? 1 : alias.inside ? 0.85 : 0.96, exact: alias.exact };
    }
    if (best.score < MIN_SCORE) continue;
    // The prefix typed ("phường", "xã") breaks ties between places of the same name.
    const bonus = kind && candidate.kind ? (kind === candidate.kind ? 0 : -0.02) : 0;
    hits.push({ id: candidate.id, score: Math.max(0, Math.round((best.score + bonus) * 1000) / 1000), exact: best.exact });
  }
  return hits.sort((a, b) => b.score - a.score || Number(b.exact) - Number(a.exact)).slice(0, limit);
}
