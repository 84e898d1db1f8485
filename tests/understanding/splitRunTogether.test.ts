import { describe, expect, it } from "vitest";
import { restoreDroppedN, splitRunTogether } from "../../src/domain/understanding/splitRunTogether.js";
import { parseGlobalCommand, parseYesNo } from "../../src/domain/understanding/index.js";

const known = new Set(["dong", "y", "khong", "phai", "dung", "roi", "chua", "co", "quay", "lai", "xoa", "du", "lieu", "thanh", "th", "anh", "vang"]);

describe("words typed without the space between them", () => {
  it.each([
    ["dongy", "dong y"],
    ["khongphai", "khong phai"],
    ["dungroi", "dung roi"],
    ["xoadulieu", "xoa du lieu"],
  ])("%s is split into %s", (typed, words) => {
    expect(splitRunTogether([typed], known).join(" ")).toBe(words);
  });

  it("leaves known words, short words, numbers and words with no single split alone", () => {
    expect(splitRunTogether(["thanh", "coi", "2tieng", "zzzzzz"], known)).toEqual(["thanh", "coi", "2tieng", "zzzzzz"]);
  });

  it("gives back the n a small keyboard dropped before a final g or h, only into a known word", () => {
    expect(restoreDroppedN("dug", known)).toBe("dung");
    expect(restoreDroppedN("vag", known)).toBe("vang");
    expect(restoreDroppedN("bag", known)).toBe("bag");
  });

  it("is read by the yes/no and command readers", () => {
    expect(parseYesNo("dongy")).toBe("yes");
    expect(parseYesNo("khongphai")).toBe("no");
    expect(parseYesNo("đúg rồi")).toBe("yes");
    expect(parseGlobalCommand("quaylai")).toBe("back");
    expect(parseGlobalCommand("xoadulieu")).toBe("deleteData");
  });
});
