/**
 * Chat spellings, matched as whole folded tokens (no diacritics, lower case) and replaced by the folded word:
 *   không  ← ko, k, kg, kh, khg, hok, hk, khum, kô
 *   được   ← dc, đc
 *   ok     ← oke, okie, oki, okay, okey, okela, oce;  có ← coa (how pupils write it)
 *   ừ → u  ← uk, uh, um, uhm, umm, ừm
 *   vâng   ← vg
 *   gì     ← j;  giúp ← jup, jum;  vậy ← zay
 *   rồi    ← r
 *   với    ← vs
 *   biết   ← bit, bik, bjt
 *   cũng   ← cx, cg
 *   thôi   ← thui;  luôn ← lun;  đi ← ik;  nhiều ← nhiu;  thích ← thik
 *   mình   ← mk, mik
 *   tôi    ← tui (the Southern "I")
 *   em     ← e (how pupils write it: "e sinh 2011", "mẹ e đồng ý r")
 *   biết   ← bt after không/chưa ("ko bt"; alone "bt" is as often "bình thường")
 *   thời gian ← tg;  số điện thoại ← sdt, sđt;  điện thoại ← đt, dt
 *   đăng ký   ← dk, đk, dki, dky
 *   chưa ← chx;  bố mẹ ← bme;  kết quả ← kq;  thời khóa biểu ← tkb;  bao giờ ← bh;  trước ← trc
 *   bình thường ← bth, bthg, bthuong
 * Deliberately not expanded: "ng" (người, ngày or the surname Nguyễn), "hong" (hông/không but also Hồng),
 * "da" (dạ but also đã, đá, Đà), "a" (ạ but also anh), "t" (tôi/tiếng/tuần), "jo" (giờ but also the Jơ of place names).
 */
const CHAT_SPELLINGS: ReadonlyMap<string, string> = new Map([
  ...["ko", "k", "kg", "kh", "khg", "hok", "hk", "khum"].map((s) => [s, "khong"] as const),
  ["dc", "duoc"],
  ["coa", "co"],
  ...["oke", "okie", "oki", "okay", "okey", "okela", "oce"].map((s) => [s, "ok"] as const),
  ...["uk", "uh", "um", "uhm", "umm"].map((s) => [s, "u"] as const),
  ["vg", "vang"],
  ["j", "gi"],
  ["jup", "giup"],
  ["jum", "giup"],
  ["zay", "vay"],
  ["r", "roi"],
  ["vs", "voi"],
  ...["bit", "bik", "bjt"].map((s) => [s, "biet"] as const),
  ["cx", "cung"],
  ["cg", "cung"],
  ["thui", "thoi"],
  ["lun", "luon"],
  ["ik", "di"],
  ["nhiu", "nhieu"],
  ["thik", "thich"],
  ["mk", "minh"],
  ["mik", "minh"],
  ["tui", "toi"],
  ["e", "em"],
  ["tg", "thoi gian"],
  ["sdt", "so dien thoai"],
  ["dt", "dien thoai"],
  ...["dk", "dki", "dky"].map((s) => [s, "dang ky"] as const),
  ["chx", "chua"],
  ["bme", "bo me"],
  ["kq", "ket qua"],
  ["tkb", "thoi khoa bieu"],
  ["bh", "bao gio"],
  ["trc", "truoc"],
  ...["bth", "bthg", "bthuong"].map((s) => [s, "binh thuong"] as const),
]);

/**
 * The folded word(s) a folded chat token stands for; the token itself when it is not a known chat spelling.
 * `previous` is the word before it, already expanded.
 */
export function expandChatSpelling(foldedToken: string, previous?: string): string {
  if (foldedToken === "bt" && (previous === "khong" || previous === "chua")) return "biet";
  return CHAT_SPELLINGS.get(foldedToken) ?? foldedToken;
}
