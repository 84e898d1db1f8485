import { editDistance } from "./editDistance.js";
import { foldKey } from "./foldKey.js";
import { stripPlacePrefix } from "./searchPlaces.js";

/**
 * A place name as a matching key: folded (no marks, "Hoà"/"Hòa" alike, hyphens and apostrophes gone) and without
 * the unit's type in front ("Phường", "Xã", "Đặc khu", "Thành phố", "Tỉnh", "Huyện", "Quận").
 */
export function placeKey(name: string): string {
  const folded = foldKey(name);
  const bare = stripPlacePrefix(folded);
  // Old districts had two more kinds: "Quận Hai Bà Trưng", "Huyện Đông Anh".
  return bare !== folded ? bare : folded.replace(/^(?:quan|huyen)\s+/, "");
}

// Words around an old place name that say nothing more: its kind, "cũ", "trước đây", "ở", "thuộc".
const AROUND = new Set([
  "xa", "phuong", "thi", "tran", "tt", "huyen", "quan", "tp", "thanh", "pho", "cu", "truoc", "day", "kia", "o", "thuoc",
  "tai", "em", "toi", "minh", "nha", "que", "a", "nhe", "nha", "oi", "la", "va", "cua",
]);

function occurrence(words: string[], phrase: string[]): number {
  for (let i = 0; i + phrase.length <= words.length; i++) if (phrase.every((w, k) => words[i + k] === w)) return i;
  return -1;
}

export type FormerCommune = { formerName: string; formerDistrict: string };

// The keys of the old names and districts, folded once: they come from the imported list (about 10,000 names and
// 700 districts), never from what people type, so the cache stays that size.
const entryKeys = new Map<string, string>();
function entryKey(name: string): string {
  let key = entryKeys.get(name);
  if (key === undefined) {
    key = placeKey(name);
    entryKeys.set(name, key);
  }
  return key;
}

/**
 * The old communes a person names ("xã Mai Lâm", "mai lam dong anh", "Mai Lâm, huyện Đông Anh cũ"): those whose
 * name is said whole, with nothing else but its old district and small words around it. When the district is named,
 * only the communes of that district. Several when the name alone fits more than one (ask which).
 */
export function matchFormerCommune<T extends FormerCommune>(text: string, entries: readonly T[]): T[] {
  const words = foldKey(text).split(" ").filter(Boolean);
  if (words.length === 0) return [];
  let best: T[] = [];
  let bestScore = 0;
  for (const entry of entries) {
    const name = entryKey(entry.formerName).split(" ");
    const at = occurrence(words, name);
    if (at < 0) continue;
    const rest = [...words.slice(0, at), ...words.slice(at + name.length)];
    const district = entryKey(entry.formerDistrict).split(" ").filter(Boolean);
    const districtAt = district.length > 0 ? occurrence(rest, district) : -1;
    const left = districtAt >= 0 ? [...rest.slice(0, districtAt), ...rest.slice(districtAt + district.length)] : rest;
    if (left.some((word) => !AROUND.has(word))) continue;
    const score = districtAt >= 0 ? 2 : 1;
    if (score > bestScore) {
      best = [entry];
      bestScore = score;
    } else if (score === bestScore) best.push(entry);
  }
  return best;
}

/** Typos forgiven in an old name of this many letters: none in short names, where one letter is another place. */
function typosAllowed(length: number): number {
  return length < 6 ? 0 : length < 12 ? 1 : 2;
}

/**
 * Old communes whose name is said with a typo or two ("mai lamm", "phuc lla ha dong"), with only the old district and
 * small words around it, as `matchFormerCommune` but by edit distance on the folded name. The closest ones (the
 * district said counts first); nothing when the closest are several different names (too unsure to ask about).
 */
export function matchFormerCommuneWithTypos<T extends FormerCommune>(text: string, entries: readonly T[]): T[] {
  const words = foldKey(text).split(" ").filter(Boolean);
  if (words.length === 0) return [];
  let best: T[] = [];
  let bestScore = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    const nameKey = entryKey(entry.formerName);
    const name = nameKey.split(" ");
    const limit = typosAllowed(nameKey.length);
    if (limit === 0) continue;
    const district = entryKey(entry.formerDistrict).split(" ").filter(Boolean);
    for (let at = 0; at + name.length <= words.length; at++) {
      const distance = editDistance(words.slice(at, at + name.length).join(" "), nameKey, limit);
      if (distance > limit) continue;
      const rest = [...words.slice(0, at), ...words.slice(at + name.length)];
      const districtAt = district.length > 0 ? occurrence(rest, district) : -1;
      const left = districtAt >= 0 ? [...rest.slice(0, districtAt), ...rest.slice(districtAt + district.length)] : rest;
      if (left.some((word) => !AROUND.has(word))) continue;
      const score = (districtAt >= 0 ? 10 : 0) - distance;
      if (score > bestScore) {
        best = [entry];
        bestScore = score;
      } else if (score === bestScore && !best.includes(entry)) best.push(entry);
    }
  }
  return new Set(best.map((entry) => entryKey(entry.formerName))).size === 1 ? best : [];
}

/**
 * The old district (or town, or city) a person names instead of their commune ("tp Vinh", "quận Hà Đông"): its old
 * communes, when the text is that name and nothing more.
 */
export function matchFormerDistrict<T extends FormerCommune>(text: string, entries: readonly T[]): T[] {
  const words = foldKey(text)
    .split(" ")
    .filter((word) => word && !AROUND.has(word));
  if (words.length === 0) return [];
  const said = words.join(" ");
  return entries.filter((entry) => entryKey(entry.formerDistrict) === said);
}
