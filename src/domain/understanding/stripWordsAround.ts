/**
 * A folded text without the politeness around it: leading words ("cho em", "tôi muốn") and trailing particles
 * ("ạ", "nhé", "với") taken off again and again. `keep` stops trimming once the text means something as is
 * ("giúp" in "trợ giúp" is not a particle, "hỏi" in "hỏi với" not a leading word).
 */
export function stripWordsAround(key: string, leading: readonly string[], trailing: readonly string[], keep: (text: string) => boolean = () => false): string {
  let text = key;
  for (let changed = true; changed; ) {
    changed = false;
    for (const lead of leading) {
      if (text.startsWith(`${lead} `) && !keep(text)) {
        text = text.slice(lead.length + 1);
        changed = true;
      }
    }
    for (const tail of trailing) {
      if (text.endsWith(` ${tail}`) && !keep(text)) {
        text = text.slice(0, -tail.length - 1);
        changed = true;
      }
    }
  }
  return text;
}
