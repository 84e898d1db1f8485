import { describe, expect, it } from "vitest";
import { normalizeText } from "../../src/domain/understanding/index.js";

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
