import { describe, expect, it } from "vitest";
import { parseNumber } from "../../src/domain/understanding/index.js";

describe("parseNumber", () => {
  it.each([
    ["15", 15],
    ["1,5", 1.5],
    ["1.5", 1.5],
    ["1.000", 1000],
    ["0", 0],
  ])("reads digits %j as %d", (input, expected) => expect(parseNumber(input)).toBe(expected));

  it.each([
    ["hai", 2],
    ["mười", 10],
    ["mười lăm", 15],
    ["muoi lam", 15],
    ["mười nhăm", 15],
    ["hai mươi", 20],
    ["hai muoi mot", 21],
    ["hai mốt", 21],
    ["ba mươi tư", 34],
    ["bốn", 4],
    ["bảy", 7],
    ["một trăm", 100],
    ["mot tram", 100],
    ["một trăm linh năm", 105],
    ["một trăm lẻ năm", 105],
    ["một trăm hai", 120],
    ["hai nghìn", 2000],
    ["hai ngàn không trăm hai mươi lăm", 2025],
    ["một rưỡi", 1.5],
    ["mot ruoi", 1.5],
    ["một trăm rưỡi", 150],
    ["nửa", 0.5],
  ])("reads Vietnamese %j as %d", (input, expected) => expect(parseNumber(input)).toBe(expected));

  it.each([
    ["one", 1],
    ["twelve", 12],
    ["twenty one", 21],
    ["twenty-five", 25],
    ["one hundred and five", 105],
    ["a hundred", 100],
    ["one and a half", 1.5],
  ])("reads English %j as %d", (input, expected) => expect(parseNumber(input)).toBe(expected));

  it("tells 'tầm' (about) from 'tám' (eight)", () => {
    expect(parseNumber("tầm 5")).toBe(5);
    expect(parseNumber("tam 5")).toBe(5);
    expect(parseNumber("tám")).toBe(8);
    expect(parseNumber("tam")).toBe(8);
    expect(parseNumber("tầm")).toBeNull();
  });

  it("allows hedges and particles around the number", () => {
    expect(parseNumber("khoảng 10 ạ")).toBe(10);
    expect(parseNumber("chừng 3 thôi")).toBe(3);
  });

  it.each(["", "nhiều", "vài", "không biết", "hai ba", "5 6 7", "bà"])("%j is not one number", (input) => {
    expect(parseNumber(input)).toBeNull();
  });
});
