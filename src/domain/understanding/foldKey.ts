import { expandChatSpelling } from "./expandChatSpelling.js";
import { expandDialect } from "./expandDialect.js";
import { plainLetters } from "./normalizeText.js";
import { stripDiacritics } from "./stripDiacritics.js";

const FOLDED_MAX = 20_000;
const folded = new Map<string, string>();

/**
 * A diacritics-free matching key: NFC (full-width forms made plain, a letter held down written once: "okkkk"), marks
 * stripped (đ → d), lower case, apostrophes dropped ("don't" → "dont"),
 * every other punctuation mark, symbol and emoji turned into a space, whitespace collapsed, and common chat
 * spellings expanded token by token (the list is in expandChatSpelling.ts).
 */
export function foldKey(input: string): string {
  const known = folded.get(input);
  if (known !== undefined) return known;
  const key = fold(input);
  // Every turn folds the labels and synonyms of the question again (hundreds of short strings): remembered, up to a
  // bound that what people type cannot push past (then it starts over); long texts are not kept.
  if (input.length > 200) return key;
  if (folded.size >= FOLDED_MAX) folded.clear();
  folded.set(input, key);
  return key;
}

/**
 * foldKey of what a person answered, with the Central words written as the standard ones first (expandDialect):
 * for the readers of answers (yes/no, consent, commands, choices), not for place or branch names.
 */
export function foldSaid(input: string): string {
  return foldKey(expandDialect(plainLetters(input).toLowerCase()));
}

function fold(input: string): string {
  const bare = stripDiacritics(plainLetters(input))
    .toLowerCase()
    .replace(/['’ʼ`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (bare === "") return "";
  const words: string[] = [];
  for (const token of bare.split(" ")) words.push(expandChatSpelling(token, words.at(-1)));
  return words.join(" ");
}
