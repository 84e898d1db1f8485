const words = new Intl.Segmenter("vi", { granularity: "word" });
const graphemes = new Intl.Segmenter("vi", { granularity: "grapheme" });
const ellipsis = "…";

/**
 * Fits a button title into `max` characters: NFC first (a Vietnamese letter with its marks is one character),
 * then cut after the last whole word that fits and add "…". A single word longer than the room is cut between
 * characters, never between a letter and its diacritic.
 */
export function shortenTitle(title: string, max: number): string {
  const normalized = title.normalize("NFC").replace(/\s+/g, " ").trim();
  if (normalized.length <= max) return normalized;
  const room = max - ellipsis.length;
  let kept = "";
  for (const { segment } of words.segment(normalized)) {
    if ((kept + segment).length > room) break;
    kept += segment;
  }
  kept = kept.replace(/[\s,;:.\-–(/]+$/u, "");
  if (!kept) {
    for (const { segment } of graphemes.segment(normalized)) {
      if ((kept + segment).length > room) break;
      kept += segment;
    }
  }
  return `${kept}${ellipsis}`;
}
