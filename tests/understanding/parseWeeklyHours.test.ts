import { describe, expect, it } from "vitest";
import { MAX_PLAUSIBLE_WEEKLY_HOURS, parseWeeklyHours } from "../../src/domain/understanding/index.js";

const hours = (input: string): number | null => {
  const result = parseWeeklyHours(input);
  return result.status === "ok" ? result.hours : null;
};

describe("parseWeeklyHours", () => {
  it.each([
    ["2 tiếng", 2],
    ["2h", 2],
    ["30p", 0.5],
    ["90 phút", 1.5],
    ["5", 5],
    ["hai giờ một tuần", 2],
    ["khoảng 5 giờ một tuần", 5],
    ["1 tiếng rưỡi/tuần", 1.5],
    ["3 hours a week", 3],
  ])("%j is %d hours a week (no period means per week)", (input, expected) => expect(hours(input)).toBe(expected));

  it.each([
    ["30 phút mỗi ngày", 3.5],
    ["2 tieng moi ngay", 14],
    ["mỗi tối 1 tiếng", 7],
    ["ngày 2 tiếng", 14],
    ["1 hour per day", 7],
    ["an hour a day", 7],
    ["nửa tiếng mỗi ngày", 3.5],
    ["1 tiếng 30 phút mỗi ngày", 10.5],
  ])("%j counts every day: %d hours a week", (input, expected) => expect(hours(input)).toBe(expected));

  it("reads the Southern 'bữa' as a day, and 'ngày nào rảnh thì…' (the free days, not every day) as unreadable", () => {
    expect(parseWeeklyHours("mỗi bữa 1 tiếng")).toEqual({ status: "ok", hours: 7 });
    expect(parseWeeklyHours("bữa nào cũng coi 1 tiếng")).toEqual({ status: "ok", hours: 7 });
    expect(parseWeeklyHours("ngày nào rảnh thì đọc 1 tiếng")).toEqual({ status: "none" });
    expect(parseWeeklyHours("tối nào em cũng học 2 tiếng")).toEqual({ status: "ok", hours: 14 });
  });

  it("converts months and years to weeks", () => {
    expect(hours("1 gio/thang")).toBeCloseTo(0.23, 2);
    expect(hours("mỗi năm 52 tiếng")).toBe(1);
  });

  it("multiplies sessions by their length", () => {
    expect(hours("mỗi tuần 3 buổi, mỗi buổi 2 tiếng")).toBe(6);
    expect(hours("2 lần một tuần, mỗi lần 1 tiếng")).toBe(2);
    expect(hours("thứ 7 và chủ nhật mỗi ngày 2 tiếng")).toBe(4);
    expect(hours("t2-t6 mỗi tối 1 tiếng")).toBe(5);
  });

  it("takes the middle of a range", () => {
    expect(hours("2-3 tiếng")).toBe(2.5);
    expect(hours("từ 2 đến 3 tiếng")).toBe(2.5);
    expect(hours("1-2 tiếng mỗi ngày")).toBe(10.5);
  });

  it("counts the days of a list after 'thứ' ('thứ 2 4 6'), not an amount that follows ('thứ 2 4 tiếng')", () => {
    expect(hours("thứ 2 4 6 mỗi tối 1 tiếng")).toBe(3);
    expect(hours("thứ 2, 4, 6 học 1 tiếng")).toBe(3);
    expect(hours("thứ 3 5 7 mỗi buổi 2 tiếng")).toBe(6);
    expect(hours("thứ 2 4 tiếng")).toBe(4);
  });

  it("leaves out the days after 'trừ' / 'except', and knows the English weekdays", () => {
    expect(hours("khoảng 1 tiếng mỗi tối trừ cn")).toBe(6);
    expect(hours("mỗi ngày 1 tiếng trừ thứ 7 chủ nhật")).toBe(5);
    expect(hours("1 hour every day except Sunday")).toBe(6);
    expect(hours("monday to friday, 1 hour")).toBe(5);
  });

  it("reads a clock range as its length", () => {
    expect(hours("mỗi ngày từ 20h đến 21h")).toBe(7);
    expect(hours("từ 8 giờ đến 9 giờ tối")).toBe(7);
  });

  it("does not mistake 'tôi' (I) for 'tối' (evening) nor 'tầm' (about) for 'tám' (eight)", () => {
    expect(hours("tôi học 2 tiếng")).toBe(2);
    expect(hours("tôi học 2 tiếng mỗi tối")).toBe(14);
    expect(hours("tầm 2 tiếng")).toBe(2);
    expect(hours("tám tiếng")).toBe(8);
  });

  it.each(["0", "khong co", "không có thời gian", "ko co tg", "không", "none", "no time"])("%j is zero", (input) => {
    expect(parseWeeklyHours(input)).toEqual({ status: "ok", hours: 0 });
  });

  it("flags more than 80 hours a week as implausible, keeping the value to confirm", () => {
    expect(MAX_PLAUSIBLE_WEEKLY_HOURS).toBe(80);
    expect(parseWeeklyHours("10 tiếng mỗi ngày")).toEqual({ status: "ok", hours: 70 });
    expect(parseWeeklyHours("20 tiếng mỗi ngày")).toEqual({ status: "implausible", hours: 140 });
    expect(parseWeeklyHours("100")).toEqual({ status: "implausible", hours: 100 });
  });

  it.each([
    ["cuối tuần mỗi ngày 1 tiếng", 2],
    ["1 tiếng mỗi ngày cuối tuần", 2],
    ["an hour each day on weekends", 2],
    ["cuối tuần 2 tiếng", 2],
    ["mỗi cuối tuần 3 tiếng", 3],
  ])("reads the weekend as its two days only with a per-day amount: %j", (input, hours) => {
    expect(parseWeeklyHours(input)).toEqual({ status: "ok", hours });
  });

  it.each(["không biết", "vài tiếng", "nhiều lắm", "tùy hôm", "mỗi lần 1 tiếng", "8 giờ tối", "2 tuần 1 lần", "tôi học tiếng anh", ""])(
    "%j gives no amount: ask again",
    (input) => expect(parseWeeklyHours(input)).toEqual({ status: "none" }),
  );
});
