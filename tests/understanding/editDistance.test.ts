import { describe, expect, it } from "vitest";
import { editDistance } from "../../src/domain/understanding/index.js";

describe("editDistance (Damerau–Levenshtein, optimal string alignment)", () => {
  it.each([
    ["", "", 0],
    ["abc", "", 3],
    ["mai lam", "mai lam", 0],
    ["mai lamm", "mai lam", 1],
    ["quay lia", "quay lai", 1],
    ["hoc sinh", "hoc snih", 1],
    ["dac lac", "dak lak", 2],
    ["kitten", "sitting", 3],
  ])("%j ↔ %j = %i", (a, b, expected) => {
    expect(editDistance(a, b)).toBe(expected);
    expect(editDistance(b, a)).toBe(expected);
  });

  it("stops early past the limit and says so with limit + 1", () => {
    expect(editDistance("xoa du lieu", "trang thai", 2)).toBe(3);
    expect(editDistance("a", "abcdef", 1)).toBe(2);
    expect(editDistance("tro giupp", "tro giup", 1)).toBe(1);
  });
});
