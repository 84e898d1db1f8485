import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/domain/understanding/index.js";
import { withoutLaughter } from "../../src/domain/understanding/normalizeText.js";

describe("normalizeText", () => {
  it("composes decomposed Vietnamese letters (NFC) and keeps diacritics", () => {
    const decomposed = "Nguye\u0302\u0303n Va\u0306n An";
    expect(decomposed).not.toBe("Nguyễn Văn An");
    expect(normalizeText(decomposed)).toBe("nguyễn văn an");
  });

  it("trims, collapses whitespace and lower-cases", () => {
    expect(normalizeText("  Xã   MAI\tLÂM \n")).toBe("xã mai lâm");
  });

  it("drops zero-width characters some keyboards insert", () => {
    expect(normalizeText("đồng\u200B ý\uFEFF")).toBe("đồng ý");
  });

  it("leaves punctuation and emoji alone", () => {
    expect(normalizeText("Có! 👍")).toBe("có! 👍");
  });
});

describe("laughter and typed faces", () => {
  it("are taken out, their letters never read as words", () => {
    const cases: [string, string][] = [
      ["đồng ý kkk", "đồng ý"],
      ["hihi em tên Lan", "em tên Lan"],
      ["hì hì đúng rồi", "đúng rồi"],
      ["đồng ý :D", "đồng ý"],
      ["ok <3", "ok"],
      ["sai rồi =))", "sai rồi"],
      ["T_T không", "không"],
    ];
    for (const [typed, plain] of cases) {
      expect(withoutLaughter(typed).replace(/\s+/g, " ").trim(), typed).toBe(plain);
    }
  });

  it("leave words, names and numbers alone", () => {
    for (const text of ["hi", "Hà Nội", "83", "sinh năm 83", "k", "hoa hồng", "Khê", "8 điểm"]) expect(withoutLaughter(text)).toBe(text);
  });
});
