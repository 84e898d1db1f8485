import { describe, expect, it } from "vitest";
import { parseBirthYear } from "../../src/domain/understanding/index.js";

const YEAR = 2026;

describe("parseBirthYear", () => {
  it.each([
    ["1985", 1985],
    ["năm 1990", 1990],
    ["sinh nam 1978", 1978],
    ["sn 1969", 1969],
    ["năm sinh 1980", 1980],
    ["12/5/1985", 1985],
    ["2k5", 2005],
    ["born in 1985", 1985],
    ["một chín tám lăm", 1985],
    ["hai nghìn không trăm mười", 2010],
  ])("%j is the year %d", (input, year) => {
    expect(parseBirthYear(input, YEAR)).toEqual({ status: "ok", year });
  });

  it.each([
    ["42 tuổi", 1984],
    ["bon muoi hai tuoi", 1984],
    ["năm nay 60 tuổi", 1966],
    ["năm nay tôi 55", 1971],
    ["I'm 42 years old", 1984],
    ["age 30", 1996],
  ])("%j is an age: born in %d", (input, year) => {
    expect(parseBirthYear(input, YEAR)).toEqual({ status: "ok", year });
  });

  it.each([
    ["sinh năm 85", 1985],
    ["85", 1985],
    ["sn 85", 1985],
    ["05", 2005],
    ["sinh năm tám lăm", 1985],
    ["12/5/85", 1985],
  ])("two digits %j ask to confirm %d", (input, year) => {
    expect(parseBirthYear(input, YEAR)).toEqual({ status: "confirm", year });
  });

  it("chooses the century that gives a plausible age", () => {
    expect(parseBirthYear("15", YEAR)).toEqual({ status: "confirm", year: 2015 });
    expect(parseBirthYear("30", YEAR)).toEqual({ status: "confirm", year: 1930 });
  });

  it("reads 'năm' before 'mươi'/'trăm' as the number five, not the year", () => {
    expect(parseBirthYear("Tôi năm nay năm mươi hai tuổi", YEAR)).toEqual({ status: "ok", year: YEAR - 52 });
    expect(parseBirthYear("năm mươi hai tuổi", YEAR)).toEqual({ status: "ok", year: YEAR - 52 });
    expect(parseBirthYear("năm năm mươi", YEAR)).toEqual({ status: "confirm", year: 1950 });
  });

  it("reads a year said as its last two digits in words, to confirm", () => {
    expect(parseBirthYear("sinh năm bảy hai", YEAR)).toEqual({ status: "confirm", year: 1972 });
    expect(parseBirthYear("tám mốt", YEAR)).toEqual({ status: "confirm", year: 1981 });
    expect(parseBirthYear("7 2", YEAR)).toEqual({ status: "none" });
  });

  it("prefers a written year over an age or a 'năm' that means year", () => {
    expect(parseBirthYear("1985 (41 tuổi)", YEAR)).toEqual({ status: "ok", year: 1985 });
    expect(parseBirthYear("1985 tuổi Sửu", YEAR)).toEqual({ status: "ok", year: 1985 });
  });

  it.each(["3 tuổi", "150 tuổi", "1850", "2030", "2024", "198", "không nhớ", "", "5"])("%j is not a plausible birth year", (input) => {
    expect(parseBirthYear(input, YEAR)).toEqual({ status: "none" });
  });
});
