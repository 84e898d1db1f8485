import { readNumber } from "./readNumber.js";
import { CLAUSE_BREAK, tokenizeQuantities } from "./tokenizeQuantities.js";

type Said = { value: number; withPoints: boolean; inDigits: boolean };

/**
 * A school mark out of 10 said in an answer: "8 điểm", "7,5", "7 phẩy 5", "tiếng Anh em được 9", "tám điểm".
 * Numbers followed by "điểm" count first, else numbers typed in digits (a word like "năm" is as often "year");
 * null when there is none, more than one, or it is not between 0 and 10.
 */
export function parseMark(input: string): number | null {
  const tokens = tokenizeQuantities(input).filter((token) => token.key !== CLAUSE_BREAK);
  const said: Said[] = [];
  for (let at = 0; at < tokens.length; ) {
    const read = readNumber(tokens, at);
    if (!read) {
      at++;
      continue;
    }
    let { value, end } = read;
    // "7 phẩy 5": the decimal comma said as a word.
    const decimals = tokens[end]?.key === "phay" ? readNumber(tokens, end + 1) : null;
    const withDecimals = decimals !== null && Number.isInteger(decimals.value) && decimals.value < 100 && Number.isInteger(value);
    if (withDecimals) {
      value = Number(`${value}.${decimals.value}`);
      end = decimals.end;
    }
    // A decimal said in words ("bảy phẩy năm") is a mark, never a year, as digits are.
    said.push({ value, withPoints: tokens[end]?.key === "diem", inDigits: withDecimals || /^\d/.test(tokens[at]?.key ?? "") });
    at = end;
  }
  const withPoints = said.filter((number) => number.withPoints);
  const candidates = withPoints.length > 0 ? withPoints : said.filter((number) => number.inDigits);
  const only = candidates.length === 1 ? candidates[0]?.value : undefined;
  return only !== undefined && only >= 0 && only <= 10 ? only : null;
}
