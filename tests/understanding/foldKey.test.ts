import { describe, expect, it } from "vitest";
import { foldKey, stripDiacritics } from "../../src/domain/understanding/index.js";

describe("foldKey", () => {
  it.each([
    ["Đồng ý", "dong y"],
    ["Xã Mai Lâm", "xa mai lam"],
    ["ĐẮK LẮK", "dak lak"],
    ["Thừa Thiên–Huế!!", "thua thien hue"],
    ["  hằng   ngày 👍 ", "hang ngay"],
    ["Nguye\u0302\u0303n", "nguyen"],
    ["I don't agree", "i dont agree"],
    ["Cư M’gar", "cu mgar"],
  ])("folds %j to %j", (input, expected) => {
    expect(foldKey(input)).toBe(expected);
  });

  it.each([
    ["ko", "khong"],
    ["k đồng ý", "khong dong y"],
    ["hok", "khong"],
    ["dc", "duoc"],
    ["đc", "duoc"],
    ["oke", "ok"],
    ["okie", "ok"],
    ["uk", "u"],
    ["ừ", "u"],
    ["vg", "vang"],
    ["ko co tg", "khong co thoi gian"],
    ["đk", "dang ky"],
    ["ok r", "ok roi"],
    ["j", "gi"],
    ["mẹ e đồng ý r", "me em dong y roi"],
    ["ko bt", "khong biet"],
    ["tui tên Tám", "toi ten tam"],
  ])("expands the chat spelling %j to %j", (input, expected) => {
    expect(foldKey(input)).toBe(expected);
  });

  it("never expands words that are also place names or pronouns", () => {
    expect(foldKey("Đà Nẵng")).toBe("da nang");
    expect(foldKey("sông Hồng")).toBe("song hong");
    expect(foldKey("Ng Văn An")).toBe("ng van an");
    // "bt" is "biết" only after a "không/chưa"; alone it is as often "bình thường".
    expect(foldKey("bt")).toBe("bt");
  });

  it("keeps digits and returns an empty key for punctuation or emoji only", () => {
    expect(foldKey("0912.345.678")).toBe("0912 345 678");
    expect(foldKey("😊 ?!")).toBe("");
  });
});

describe("stripDiacritics", () => {
  it("removes marks, maps đ/Đ and keeps case", () => {
    expect(stripDiacritics("Điện Biên Phủ")).toBe("Dien Bien Phu");
    expect(stripDiacritics("ưởng ợ")).toBe("uong o");
  });
});
