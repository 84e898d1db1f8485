/**
 * Words typed without the space between them, split into words a reader knows: "dongy" → "dong y", "khongphai" →
 * "khong phai", "quaylai" → "quay lai", "xoadulieu" → "xoa du lieu". Only a word the reader does not know is split,
 * only into two to four known words of two letters or more (the "y" of "đồng ý" excepted), and only when exactly
 * one way of splitting it exists; anything else is left as typed.
 */
export function splitRunTogether(words: readonly string[], known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const word of words) {
    if (word.length < 4 || word.length > 24 || known.has(word) || /\d/.test(word)) {
      out.push(word);
      continue;
    }
    const ways = splits(word, known, 4);
    if (ways.length === 1) out.push(...ways[0]!);
    else out.push(word);
  }
  return out;
}

function splits(rest: string, known: ReadonlySet<string>, piecesLeft: number, previous = ""): string[][] {
  if (rest === "") return [[]];
  if (piecesLeft === 0) return [];
  const found: string[][] = [];
  for (let length = rest.length; length >= 1; length--) {
    const piece = rest.slice(0, length);
    const allowed = piece.length >= 2 || (piece === "y" && previous === "dong");
    if (!allowed || !known.has(piece)) continue;
    // A whole word is not a split of itself: at least two pieces.
    if (length === rest.length && previous === "") continue;
    for (const tail of splits(rest.slice(length), known, piecesLeft - 1, piece)) {
      found.push([piece, ...tail]);
      if (found.length > 1) return found;
    }
  }
  return found;
}

/**
 * A word whose final "ng"/"nh" lost its "n" on a small keyboard ("đúg" → "dung", "vâg" → "vang", "khôg" → "khong",
 * "thỉh" → "thinh"), when the word with it is one the reader knows and the word as typed is not.
 */
export function restoreDroppedN(word: string, known: ReadonlySet<string>): string {
  if (known.has(word) || !/[aeiouy][gh]$/.test(word)) return word;
  const restored = `${word.slice(0, -1)}n${word.slice(-1)}`;
  return known.has(restored) ? restored : word;
}
