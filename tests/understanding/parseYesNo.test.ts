import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { foldKey, parseYesNo } from "../../src/domain/understanding/index.js";
import { slipOf } from "../../src/domain/understanding/parseYesNo.js";

describe("parseYesNo", () => {
  it.each(["có", "co", "đồng ý", "dong y", "ok", "oke", "ừ", "uk", "vâng", "dạ", "được", "dc", "chắc chắn", "yes", "y", "sure", "agree", "I agree", "đúng rồi", "Dạ em đồng ý ạ", "ok em", "👍"])(
    "%j is yes",
    (input) => expect(parseYesNo(input)).toBe("yes"),
  );

  it.each(["không", "ko", "k", "hok", "không đồng ý", "khong dong y", "ko đồng ý", "no", "n", "nope", "từ chối", "không muốn", "chưa đồng ý", "I don't agree", "no thanks", "sai rồi"])(
    "%j is no",
    (input) => expect(parseYesNo(input)).toBe("no"),
  );

  it("reads a negated yes as no, and a polite particle before no as no", () => {
    expect(parseYesNo("không đồng ý")).toBe("no");
    expect(parseYesNo("đồng ý")).toBe("yes");
    expect(parseYesNo("dạ không")).toBe("no");
    expect(parseYesNo("I do not agree")).toBe("no");
  });

  it("hears the Southern 'ừa' and 'đâu có', and a 'mà' that only insists, but not the 'ủa' of surprise", () => {
    expect(parseYesNo("ừa")).toBe("yes");
    expect(parseYesNo("Ừa đúng rồi")).toBe("yes");
    expect(parseYesNo("ủa")).toBeNull();
    expect(parseYesNo("ủa sao vậy")).toBeNull();
    expect(parseYesNo("đâu có")).toBe("no");
    expect(parseYesNo("đâu phải")).toBe("no");
    expect(parseYesNo("đúng rồi mà")).toBe("yes");
    expect(parseYesNo("đồng ý mà không muốn", { strict: true })).toBeNull();
  });

  it("reads a yes/no word typed with one slip (swapped, doubled or missing letter), never a real word one letter away", () => {
    expect(parseYesNo("dugn roi")).toBe("yes");
    expect(parseYesNo("khôg")).toBe("no");
    expect(parseYesNo("khonng")).toBe("no");
    expect(parseYesNo("đồg ý")).toBe("yes");
    expect(parseYesNo("đúnh")).toBe("yes"); // h beside g on the keyboard
    expect(parseYesNo("đúbg")).toBe("yes");
    // Real words: "đang", "khoảng", "Đức", "ông" (not "đồng" without its "đ"), and every syllable of the place names.
    for (const text of ["đang", "khoảng", "Đức", "ông", "đơn", "đủn"]) expect(parseYesNo(text), text).toBeNull();
    const places = ["communes.csv", "former-communes.csv"].map((file) => readFileSync(new URL(`../fixtures/admin-units-2025/${file}`, import.meta.url), "utf8")).join("\n");
    const syllables = new Set(foldKey(places).split(" ").filter((word) => /^[a-z]+$/.test(word) && !["khong", "dong", "dung", "duoc", "khoong"].includes(word)));
    expect([...syllables].filter((word) => slipOf(word) !== undefined)).toEqual([]);
  });

  it("a question asks back ('ý bạn là gì', 'sao vậy'), while 'không có gì' (nothing) is a no", () => {
    for (const text of ["ý bạn là gì", "y ban la gi", "sao vậy", "là sao", "what do you mean", "có gì không"]) expect(parseYesNo(text), text).toBeNull();
    expect(parseYesNo("không có gì")).toBe("no");
    expect(parseYesNo("chẳng có gì")).toBe("no");
  });

  it("the Southern 'hổng' is 'không': 'hổng biết nữa' is unsure, 'dạ hổng có' a no", () => {
    expect(parseYesNo("hổng biết nữa")).toBeNull();
    expect(parseYesNo("dạ hổng có")).toBe("no");
    expect(parseYesNo("hem biết")).toBeNull();
  });

  it("a bare 'y' is yes alone or with fillers, not beside other words (an unmarked 'ý')", () => {
    expect(parseYesNo("y")).toBe("yes");
    expect(parseYesNo("y a")).toBe("yes");
    expect(parseYesNo("y kien rieng")).toBeNull();
  });

  it("an emoji answers an ordinary question; consent wants words", () => {
    expect(parseYesNo("👍")).toBe("yes");
    expect(parseYesNo("👍", { strict: true })).toBeNull();
    expect(parseYesNo("👎", { strict: true })).toBe("no");
  });

  it("softening words after a yes do not turn it into a no", () => {
    expect(parseYesNo("được thôi")).toBe("yes");
    expect(parseYesNo("thôi")).toBe("no");
  });

  it.each(["không biết", "có lẽ", "maybe", "có hay không?", "ok không?", "tôi chưa hiểu", "hello", "", "???", "không chắc"])(
    "%j is neither: ask again",
    (input) => expect(parseYesNo(input)).toBeNull(),
  );

  it("'dừng' (stop) and 'Dũng' typed with their marks are no 'đúng'; unmarked 'dung' and 'em có dùng' still say yes", () => {
    for (const text of ["dừng", "dừng lại một chút", "tôi muốn dừng lại", "Dũng"]) expect(parseYesNo(text), text).toBeNull();
    for (const text of ["dung roi", "đúng", "em có dùng"]) expect(parseYesNo(text), text).toBe("yes");
  });

  it("words that fold to a yes word but are typed as other words are no yes: 'cô ơi', 'Đà Nẵng', 'bố em đi vắng', 'Vàng Seo Sử'", () => {
    for (const text of ["cô ơi", "cố gắng", "Đà Nẵng", "bố em đi vắng rồi", "Vàng Seo Sử", "đá"]) expect(parseYesNo(text), text).toBeNull();
    for (const text of ["cô đồng ý", "có ạ", "vâng", "dạ", "đông ý"]) expect(parseYesNo(text), text).toBe("yes");
  });
});

