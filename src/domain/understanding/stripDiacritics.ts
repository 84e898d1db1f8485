/** Removes Vietnamese (and other Latin) diacritics: NFD, combining marks dropped, đ/Đ → d/D. Case is kept. */
export function stripDiacritics(input: string): string {
  return input
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .replace(/đ/g, "d")
    .replace(/Đ/g, "D")
    .normalize("NFC");
}
