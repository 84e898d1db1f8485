import { readNumber } from "./readNumber.js";
import { CLAUSE_BREAK, tokenizeQuantities, type QuantityToken } from "./tokenizeQuantities.js";

// Words around a number that do not change it: khoảng / tầm / chừng / cỡ (about), ạ, thôi, nhé, about, around.
const LEADING = new Set(["khoang", "chung", "co", "about", "around", "approximately", "roughly", "approx", "like"]);
const TRAILING = new Set(["a", "thoi", "nhe", "nha", "roi", "day", "ha", "nhi", "only", "or", "so"]);

/** "tầm" (about) vs "tám" (eight): typed without marks, "tam" is only a hedge when a numeral follows. */
function isHedge(token: QuantityToken, next: QuantityToken | undefined): boolean {
  if (token.key === "tam") return token.text === "tầm" || (!token.marked && /^\d/.test(next?.key ?? ""));
  return LEADING.has(token.key) && next !== undefined;
}

/**
 * The number a whole message stands for: digits with "," or "." decimals ("1,5"), Vietnamese number words with
 * or without diacritics ("mười lăm", "muoi lam", "hai mươi mốt", "một trăm", "một rưỡi"), English words
 * ("twenty one"). A hedge such as "khoảng" is allowed; any other word makes it null.
 */
export function parseNumber(input: string): number | null {
  const tokens = tokenizeQuantities(input).filter((t) => t.key !== CLAUSE_BREAK);
  let start = 0;
  while (tokens[start] && isHedge(tokens[start] as QuantityToken, tokens[start + 1])) start++;
  let stop = tokens.length;
  while (stop > start + 1 && TRAILING.has(tokens[stop - 1]?.key ?? "")) stop--;
  const body = tokens.slice(start, stop);
  const read = readNumber(body, 0);
  return read && read.end === body.length ? read.value : null;
}
