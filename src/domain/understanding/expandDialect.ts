import { stripDiacritics } from "./stripDiacritics.js";

/**
 * Central and Southern words (Huế, Nghệ Tĩnh, Quảng; the Mekong delta) written as the standard words the flows and parsers list, on
 * lower-cased NFC text that still has its diacritics (so "nỏ" is told from the English "no", "tau" from "tàu"):
 *   không ← nỏ          vậy ← rứa          giờ ← chừ          nhỉ ← hỉ          facebook ← phây
 *   rồi   ← gòi (how pupils write it; unmarked "goi" is "gọi", a call), dzồi, zồi
 *   Southern: vậy ← dzậy, zậy; vào ← dzô, dô; làm ← mần; giúp ← dùm, giùm; hoài ← quài; nhé ← nghen; sinh ← sanh;
 *   bố ← tía; mẹ ← má; ông ấy ← ổng; bà ấy ← bả (marked only where the bare letters are another word)
 *   chứ ← chớ, nhé ← hè, nờ: at the end of a clause ("có chớ", "đồng ý nờ"; "mùa hè", "nghỉ hè" are summer);
 *   the particle "cơ" there is dropped ("1975 cơ": not "có")
 *   tôi   ← tau, unmarked and not after "tiếng", "đi", "bến" ("tàu" is a ship, "tiếng Tàu" Chinese)
 *   nào   ← mô after a time or a "which" noun ("ngày mô cũng đọc", "lần mô cũng đi")
 *   đâu   ← mô after a verb of place or a negation, or at the end ("đi mô", "tới mô rồi", "không mô")
 *   nay   ← ni after "năm", "hôm", "bữa", "bây" ("năm ni 62 tuổi");  này ← ni after another such noun ("tuần ni")
 *   gì    ← chi after a verb ("biết chi", "cần chi"), not in "chi hội", "chi phí"
 *   sao   ← răng in "răng rứa", "làm răng" (alone it is a tooth)
 *   lần   ← bận after a count ("vài bận", "mỗi bận"; "bận" alone is busy)
 *   thời gian ← thì giờ
 * Each word is read with the words around it as they were typed. For what people answer, not for place names:
 * "Yên Mô", "Vũng Tàu", "Cái Răng" keep their words (place search folds without this).
 */
// Context words, compared without their marks: "ngay mo cung doc" is typed too.
const fold = (word: string) => stripDiacritics(word);
const WHICH_NOUNS = new Set(["ngay", "toi", "sang", "trua", "chieu", "hom", "bua", "lan", "ban", "tuan", "thang", "nam", "khi", "luc", "cai", "nguoi", "cho", "noi", "ben", "dua", "kieu", "buoi"]);
const WHERE_BEFORE = new Set(["di", "toi", "den", "o", "ve", "ra", "vo", "vao", "len", "xuong", "khong", "chua", "no", "co", "cho"]);
const MO_COMPOUNDS = new Set(["hinh", "ta", "phong", "to", "dun"]);
const CHI_VERBS = new Set(["biet", "hieu", "can", "lam", "noi", "co", "hoc", "doc", "xem", "coi", "thay", "hoi", "muon", "an", "duoc", "la", "nghi"]);
const CHI_COMPOUNDS = new Set(["hoi", "bo", "tieu", "phi", "nhanh", "tiet", "doan", "cuc", "tra"]);
const NAY_AFTER = new Set(["nam", "hom", "bua", "bay"]);
const SUMMER_BEFORE = new Set(["mua", "nghi", "hoc", "dip", "ky", "hoi", "trai"]);
const SHIP_BEFORE = new Set(["tieng", "di", "ben", "duong", "nguoi", "vung", "tram", "con", "chiec", "doan"]);
const COUNTS = new Set(["vai", "may", "moi", "mot", "hai", "ba", "bon", "sau", "bay", "tam", "chin", "muoi"]);
const PLAIN: ReadonlyMap<string, string> = new Map([
  ["nỏ", "không"],
  ["rứa", "vậy"],
  ["chừ", "giờ"],
  ["hỉ", "nhỉ"],
  ["phây", "facebook"],
  ["gòi", "rồi"],
  ["dzồi", "rồi"],
  ["zồi", "rồi"],
  ["dzậy", "vậy"],
  ["zậy", "vậy"],
  ["dzô", "vào"],
  ["dô", "vào"],
  ["mần", "làm"],
  ["dùm", "giúp"],
  ["giùm", "giúp"],
  ["dum", "giúp"],
  ["quài", "hoài"],
  ["nghen", "nhé"],
  ["sanh", "sinh"],
  ["tía", "bố"],
  ["má", "mẹ"],
  ["ổng", "ông ấy"],
  ["bả", "bà ấy"],
]);
const DIALECT_WORDS = /(?:^|[^\p{L}])(?:nỏ|rứa|chừ|chớ|hè|nờ|cơ|hỉ|tau|phây|gòi|dzồi|zồi|dzậy|zậy|dzô|dô|mần|dùm|giùm|dum|quài|nghen|sanh|tía|má|ổng|bả|mô|mo|ni|chi|răng|bận|thì giờ)(?![\p{L}])/u;

export function expandDialect(text: string): string {
  if (!DIALECT_WORDS.test(text)) return text;
  // Words and what lies between them, kept, so punctuation ("đi mô?") still ends a clause for the readers after.
  const parts = text.split(/([^\p{L}\p{N}]+)/u);
  const wordAt = (index: number) => (index >= 0 && index < parts.length ? parts[index]! : "");
  for (let index = 0; index < parts.length; index += 2) {
    const word = parts[index]!;
    if (!word) continue;
    // Only a space joins two words of one phrase: "đọc, mô" has a clause between.
    const joinedBefore = index >= 2 && /^ +$/.test(wordAt(index - 1)) ? fold(wordAt(index - 2)) : "";
    const joinedAfter = index + 2 < parts.length && /^ +$/.test(wordAt(index + 1)) ? fold(wordAt(index + 2)) : "";
    const plain = PLAIN.get(word);
    if (plain) {
      parts[index] = plain;
      continue;
    }
    switch (word) {
      case "mô":
      case "mo":
        // Unmarked, "mo" may be "mơ" (a dream) or "mở": only where "mô" is the one reading.
        if (MO_COMPOUNDS.has(joinedAfter) || joinedBefore === "quy") break;
        // Unmarked, "toi" is "tối" (evening) or "tới" (to): "toi mo cung doc" is the evening.
        if (WHICH_NOUNS.has(joinedBefore) && (joinedBefore !== "toi" || wordAt(index - 2) === "tối" || joinedAfter === "cung")) parts[index] = "nào";
        else if (WHERE_BEFORE.has(joinedBefore) || (word === "mô" && !joinedAfter)) parts[index] = "đâu";
        break;
      case "ni":
        if (NAY_AFTER.has(joinedBefore)) parts[index] = "nay";
        else if (WHICH_NOUNS.has(joinedBefore)) parts[index] = "này";
        break;
      case "chớ":
        if (!joinedAfter) parts[index] = "chứ";
        break;
      case "hè":
        if (!joinedAfter && !SUMMER_BEFORE.has(joinedBefore)) parts[index] = "nhé";
        break;
      case "nờ":
        if (!joinedAfter) parts[index] = "nhé";
        break;
      case "cơ":
        // "1975 cơ", "cái kia cơ": a particle at the end, not "có" (which it folds to).
        if (!joinedAfter && joinedBefore) parts[index] = "";
        break;
      case "tau":
        if (!SHIP_BEFORE.has(joinedBefore)) parts[index] = "tôi";
        break;
      case "chi":
        if (CHI_VERBS.has(joinedBefore) && !CHI_COMPOUNDS.has(joinedAfter)) parts[index] = "gì";
        break;
      case "răng":
        if (joinedAfter === "rua" || joinedAfter === "ma" || joinedBefore === "lam") parts[index] = "sao";
        break;
      case "bận":
        if (COUNTS.has(joinedBefore) || /^\d+$/.test(joinedBefore)) parts[index] = "lần";
        break;
      case "thì":
        if (joinedAfter === "gio") {
          parts[index] = "thời";
          parts[index + 2] = "gian";
          index += 2;
        }
        break;
    }
  }
  return parts.join("");
}
