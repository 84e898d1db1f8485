const sentences = new Intl.Segmenter("vi", { granularity: "sentence" });
const words = new Intl.Segmenter("vi", { granularity: "word" });
const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });

/**
 * Splits a text into parts of at most `limit` UTF-16 units (never fewer characters than the platform counts),
 * after NFC normalisation, preferring sentence ends, then word ends, and never cutting inside a character.
 */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError(`splitText needs a positive limit, got ${limit}`);
  const normalized = text.normalize("NFC").trim();
  if (normalized.length <= limit) return [normalized];
  const pieces = [...sentences.segment(normalized)].map((segment) => segment.segment);
  return packPieces(pieces, limit, (piece) => splitSentence(piece, limit));
}

function splitSentence(sentence: string, limit: number): string[] {
  const pieces = [...words.segment(sentence)].map((segment) => segment.segment);
  return packPieces(pieces, limit, (piece) => packPieces([...graphemes.segment(piece)].map((g) => g.segment), limit, (g) => [g]));
}

/** Greedily joins pieces into parts of at most `limit`; a piece longer than the limit is broken by `breakUp`. */
function packPieces(pieces: string[], limit: number, breakUp: (piece: string) => string[]): string[] {
  const parts: string[] = [];
  let current = "";
  const flush = () => {
    const part = current.trim();
    if (part) parts.push(part);
    current = "";
  };
  for (const piece of pieces) {
    if ((current + piece).trimEnd().length <= limit) {
      current += piece;
      continue;
    }
    flush();
    if (piece.trimEnd().length <= limit) {
      current = piece;
      continue;
    }
    const broken = breakUp(piece.trim());
    parts.push(...broken.slice(0, -1));
    current = broken.at(-1) ?? "";
  }
  flush();
  return parts;
}
