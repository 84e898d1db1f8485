/**
 * What a person meant after correcting themselves in the same message: "1967 à nhầm 1976" → "1976", "à nhầm, tên là
 * Phạm Thị Yến" → "tên là Phạm Thị Yến", "1 tiếng, nhầm rồi, 2 tiếng" → "2 tiếng". "nhầm" with its marks is never a
 * name; unmarked, "nham" may be the name Nhâm ("Vàng A Nham"), so it counts only as "a nham" at the start or after a
 * number or a stop, or before "roi".
 * The text itself when there is no correction, or nothing after it.
 */
const AFTER = String.raw`(?:\s+(?:rồi|roi|ạ|a))?(?:\s*[,.;:!-])*\s+(?=\S)`;
const CORRECTION = new RegExp(
  [
    // "à nhầm", "nhầm rồi", "nhầm": marked, it is only ever the correction.
    String.raw`(?:^|[\s,.;:!-])(?:(?:à|ờ|ơ|a|o)\s+)?nhầm` + AFTER,
    // Unmarked: "a nham" at the start or after a number or a stop ("Vàng A Nham" is a name), "nham roi".
    String.raw`(?:^|[\d,.;:!-]\s*)(?:a|o)\s+nham` + AFTER,
    String.raw`(?:^|[\s,.;:!-])nham\s+roi(?:\s*[,.;:!-])*\s+(?=\S)`,
  ].join("|"),
  "giu",
);

// "vì", "bởi vì", "tại vì", "because" (unmarked "vi" only after a comma: "máy vi tính" is a computer).
const REASON = /\s*(?:[,;]\s*)?(?<!\p{L})(?:bởi vì|tại vì|vì|because|since)(?!\p{L})|\s*[,;]\s*(?:boi |tai |)vi(?!\p{L})/iu;

/** The answer said before its reason ("chưa, vì ở xa" → "chưa"); null when no reason follows an answer. */
export function beforeReason(text: string): string | null {
  const reason = REASON.exec(text);
  return reason && reason.index > 0 ? text.slice(0, reason.index) : null;
}

export function afterCorrection(text: string): string {
  const normalized = text.normalize("NFC");
  let cut = -1;
  for (const match of normalized.matchAll(CORRECTION)) cut = match.index + match[0].length;
  return cut > 0 ? normalized.slice(cut) : text;
}
