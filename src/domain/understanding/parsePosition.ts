import { readNumber } from "./readNumber.js";
import { CLAUSE_BREAK, tokenizeQuantities } from "./tokenizeQuantities.js";

// Words around a position that do not change it: "số 2", "câu 3", "chọn phương án 1", "cái thứ hai ạ", "option 2".
const LEADING = new Set([
  "toi", "minh", "em", "chau", "con", "chon", "la", "so", "cau", "thu", "muc", "y", "phuong", "an", "dap", "lua",
  "nut", "o", "cai", "option", "number", "no", "choice", "answer", "the", "i", "choose", "pick", "select", "item",
  "nhom", "loai", "dang", "group", "type", "thuoc",
]);
const TRAILING = new Set(["a", "nhe", "nha", "roi", "di", "ak", "please", "one", "option", "choice"]);
const ORDINALS: Record<string, number> = {
  nhat: 1, first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
};

/** Keycap and circled digits as plain ones: "2️⃣" → "2", "①" / "❶" / "➀" → "1". */
function plainDigits(input: string): string {
  return input
    .replace(/([0-9])\uFE0F?\u20E3/gu, "$1")
    .replace(/[\u2460-\u2473]/gu, (c) => ` ${c.charCodeAt(0) - 0x2460 + 1} `)
    .replace(/[\u2776-\u277F]/gu, (c) => ` ${c.charCodeAt(0) - 0x2776 + 1} `)
    .replace(/[\u2780-\u2789]/gu, (c) => ` ${c.charCodeAt(0) - 0x2780 + 1} `)
    .replace(/[\u278A-\u2793]/gu, (c) => ` ${c.charCodeAt(0) - 0x278a + 1} `);
}

/**
 * The 1-based position a person means by "1", "2.", "số 2", "so 2", "thứ hai", "thứ tư", "câu 3", "đầu tiên",
 * "cuối cùng", "the second", "2nd" — or null when the message is not a position among `count` options.
 */
export function parsePosition(input: string, count: number): number | null {
  const all = tokenizeQuantities(plainDigits(input)).filter((t) => t.key !== CLAUSE_BREAK);
  let end = all.length;
  while (end > 1 && TRAILING.has(all[end - 1]?.key ?? "")) end--;
  const keys = all.slice(0, end).map((t) => t.key);
  // "thứ tư" is the fourth; "tư" alone is not read as a number.
  const thuTu = keys.length >= 2 && keys.at(-2) === "thu" && keys.at(-1) === "tu";
  let start = 0;
  while (start < end - 1 && LEADING.has(keys[start] ?? "")) start++;
  const rest = keys.slice(start);
  const phrase = rest.join(" ");

  let position: number | null = null;
  if (thuTu) position = 4;
  else if (rest.length === 1 && ORDINALS[phrase] !== undefined) position = ORDINALS[phrase] ?? null;
  else if (phrase === "dau tien" || phrase === "dau") position = 1;
  else if (phrase === "cuoi" || phrase === "cuoi cung" || phrase === "last") position = count;
  else if (rest.length === 2 && /^\d+$/.test(rest[0] ?? "") && ["st", "nd", "rd", "th"].includes(rest[1] ?? "")) {
    position = Number(rest[0]);
  } else {
    const tokens = all.slice(start, end);
    const read = readNumber(tokens, 0);
    if (read && read.end === tokens.length && Number.isInteger(read.value)) position = read.value;
  }
  return position !== null && position >= 1 && position <= count ? position : null;
}
