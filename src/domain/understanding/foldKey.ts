import { expandChatSpelling } from "./expandChatSpelling.js";
import { stripDiacritics } from "./stripDiacritics.js";

/**
 * A diacritics-free matching key: NFC, marks stripped (đ → d), lower case, apostrophes dropped ("don't" → "dont"),
 * every other punctuation mark, symbol and emoji turned into a space, whitespace collapsed, and common chat
 * spellings expanded token by token (the list is in expandChatSpelling.ts).
 */
export function foldKey(input: string): string {
  const bare = stripDiacritics(input.normalize("NFC"))
    .toLowerCase()
    .replace(/['’ʼ`]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
  if (bare === "") return "";
  return bare.split(" ").map(expandChatSpelling).join(" ");
}
