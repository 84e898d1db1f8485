/**
 * JSON.parse, except that integer literals too long for a JavaScript number (16+ digits) become strings.
 * Zalo ids have 18 to 19 digits; platforms.md §1.1 asks for a bigint-safe parse if one ever arrives bare.
 */
export function parseJsonPreservingBigIntegers(text: string): unknown {
  let out = "";
  let index = 0;
  let inString = false;
  while (index < text.length) {
    const char = text[index] as string;
    if (inString) {
      out += char;
      if (char === "\\") {
        out += text[index + 1] ?? "";
        index += 2;
        continue;
      }
      if (char === '"') inString = false;
      index += 1;
      continue;
    }
    if (char === '"') {
      inString = true;
      out += char;
      index += 1;
      continue;
    }
    if (char === "-" || (char >= "0" && char <= "9")) {
      const match = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(index, index + 400));
      const literal = match?.[0] ?? char;
      const isLongInteger = !match?.[1] && !match?.[2] && literal.replace("-", "").length >= 16;
      out += isLongInteger ? `"${literal}"` : literal;
      index += literal.length;
      continue;
    }
    out += char;
    index += 1;
  }
  return JSON.parse(out);
}
