import { describe, expect, it } from "vitest";
import { afterCorrection } from "../../src/domain/understanding/afterCorrection.js";
import { matchChoice, parseBirthYear, parsePersonName, parseWeeklyHours } from "../../src/domain/understanding/index.js";

describe("a correction in the same message", () => {
  it.each([
    ["1967 à nhầm 1976", "1976"],
    ["à nhầm, tên là Phạm Thị Yến", "tên là Phạm Thị Yến"],
    ["1 tiếng, nhầm rồi, 2 tiếng", "2 tiếng"],
    ["1967, a nham 1976", "1976"],
    ["hằng ngày ờ nhầm vài lần một tuần", "vài lần một tuần"],
  ])("keeps what follows it: %j", (typed, meant) => {
    expect(afterCorrection(typed)).toBe(meant);
  });

  it.each(["Nguyen Thi Nham", "Nguyen Thi Nham, sinh 1970", "Vàng A Nham, 1990", "Lê Văn Nhâm", "nhầm"])("leaves a name or a bare word alone: %j", (typed) => {
    expect(afterCorrection(typed)).toBe(typed);
  });

  it("is read by the parsers, and a corrected name is shown back", () => {
    expect(parseBirthYear("1967 à nhầm 1976", 2026)).toEqual({ status: "ok", year: 1976 });
    expect(parseWeeklyHours("1 tiếng à nhầm 2 tiếng")).toEqual({ status: "ok", hours: 2 });
    expect(parsePersonName("à nhầm, tên là Phạm Thị Yến")).toEqual({ status: "ok", name: "Phạm Thị Yến", check: "trimmed" });
    const reading = [
      { value: "daily", labels: ["Hằng ngày"] },
      { value: "weekly", labels: ["Vài lần một tuần"] },
    ];
    expect(matchChoice("hằng ngày ờ nhầm vài lần một tuần", reading)).toMatchObject({ status: "matched", value: "weekly" });
  });
});

describe("what surrounds a choice", () => {
  const frequency = [
    { value: "often", labels: ["Thường xuyên"] },
    { value: "sometimes", labels: ["Thỉnh thoảng"] },
    { value: "never", labels: ["Không"], synonyms: ["chua", "khong"] },
  ];
  const group = [
    { value: "resident", labels: ["Người dân trong xã"], synonyms: ["nghi huu", "ve huu"] },
    { value: "official", labels: ["Cán bộ, công chức"], synonyms: ["giao vien"] },
  ];
  it("reads the answer before a reason", () => {
    expect(matchChoice("chưa, vì ở xa", frequency)).toMatchObject({ status: "matched", value: "never" });
    expect(matchChoice("thỉnh thoảng thôi vì bận làm ăn", frequency)).toMatchObject({ status: "matched", value: "sometimes" });
  });
  it("reads what holds now after what held before", () => {
    expect(matchChoice("trước làm giáo viên, giờ nghỉ hưu", group)).toMatchObject({ status: "matched", value: "resident" });
    expect(matchChoice("giáo viên", group)).toMatchObject({ status: "matched", value: "official" });
  });
});
