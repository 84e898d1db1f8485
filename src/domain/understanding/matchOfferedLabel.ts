import { editDistance } from "./editDistance.js";
import { foldKey } from "./foldKey.js";
import { stripWordsAround } from "./stripWordsAround.js";

// Politeness around a typed button label: "gửi ạ", "gửi nhé", "cho em sửa", "tôi chọn English".
const LEADING = ["cho em", "cho toi", "cho minh", "cho chau", "em muon", "toi muon", "minh muon", "em chon", "toi chon", "chon", "xin", "em", "toi", "minh", "i choose", "i want"];
const TRAILING = ["a", "nhe", "nha", "nhen", "di", "voi", "oi", "luon", "nhe a", "a nhe", "please", "ngay", "roi"];

const strip = (key: string) => stripWordsAround(key, LEADING, TRAILING);

/** Typos allowed for a label of this many letters: none for short words ("Có"), one from 3, two from 9. */
const allowedTypos = (length: number) => (length >= 9 ? 2 : length >= 3 ? 1 : 0);

/**
 * Which of the buttons on screen a typed text names, as if it were tapped: the label with or without diacritics,
 * politeness around it, a near spelling ("gởi" for "Gửi") when no other label is as close. Null when none, or
 * when two labels are equally close.
 */
export function matchOfferedLabel(titles: readonly string[], text: string, options: { partial?: boolean } = {}): number | null {
  const typed = foldKey(text);
  if (typed === "") return null;
  const whole = wholeLabel(titles, typed);
  return whole !== null || !options.partial ? whole : partOfOneLabel(titles, strip(typed));
}

// A "không"/"chưa" before a part of a label denies it ("không phải hiện nay"): never a partial match then.
const DENYING = new Set(["khong", "chua", "chang", "not", "no"]);

/**
 * The one label that has the words typed, in a row, as whole words: "hiện nay" for "Phường Mường Thanh (hiện nay)"
 * beside "Phường Điện Biên Phủ (Thành phố Điện Biên Phủ cũ)". None when two labels have them, or a label that denies
 * ("Không có ở đây") has them: "có ạ" names neither.
 */
function partOfOneLabel(titles: readonly string[], typed: string): number | null {
  const words = typed.split(" ").filter(Boolean);
  if (words.length === 0 || words.some((word) => DENYING.has(word))) return null;
  const phrase = ` ${words.join(" ")} `;
  const labels = titles.map((title) => ` ${foldKey(title)} `);
  const having = labels.flatMap((label, index) => (label.includes(phrase) ? [index] : []));
  if (having.some((index) => labels[index]?.split(" ").some((word) => DENYING.has(word)))) return null;
  return having.length === 1 ? (having[0] ?? null) : null;
}

function wholeLabel(titles: readonly string[], typed: string): number | null {
  const keys = titles.map((title) => foldKey(title));
  for (const candidate of [typed, strip(typed)]) {
    const exact = keys.flatMap((key, index) => (key === candidate ? [index] : []));
    if (exact.length === 1) return exact[0] ?? null;
    if (exact.length > 1) return null;
  }
  const key = strip(typed);
  let best: { index: number; distance: number } | null = null;
  let tie = false;
  for (const [index, title] of keys.entries()) {
    const limit = allowedTypos(title.length);
    if (limit === 0 || Math.abs(title.length - key.length) > limit) continue;
    const distance = editDistance(key, title, limit);
    if (distance > limit) continue;
    if (!best || distance < best.distance) {
      best = { index, distance };
      tie = false;
    } else if (distance === best.distance) tie = true;
  }
  return best && !tie ? best.index : null;
}
