import { describe, expect, it } from "vitest";
import { matchOfferedLabel } from "../../src/domain/understanding/index.js";

describe("matchOfferedLabel", () => {
  const summary = ["Gửi", "Sửa"];
  const todayOrFormer = ["Phường Mường Thanh (hiện nay)", "Phường Điện Biên Phủ (Thành phố Điện Biên Phủ cũ)"];
  const branches = ["Chi hội khuyến học thôn Cổ Loa", "Không có ở đây"];

  it("a whole label, without diacritics, with politeness or a near spelling, is that button", () => {
    expect(matchOfferedLabel(summary, "gửi ạ")).toBe(0);
    expect(matchOfferedLabel(summary, "gởi")).toBe(0);
    expect(matchOfferedLabel(summary, "sua nhe")).toBe(1);
    expect(matchOfferedLabel(todayOrFormer, "hiện nay")).toBeNull();
  });

  it("with partial: the part of one label no other has ('hiện nay', 'cũ', 'cổ loa')", () => {
    expect(matchOfferedLabel(todayOrFormer, "hiện nay", { partial: true })).toBe(0);
    expect(matchOfferedLabel(todayOrFormer, "cái cũ", { partial: true })).toBeNull();
    expect(matchOfferedLabel(todayOrFormer, "cũ", { partial: true })).toBe(1);
    expect(matchOfferedLabel(branches, "cổ loa", { partial: true })).toBe(0);
  });

  it("never a word two labels share, a denied part, or a label that denies from its other words", () => {
    expect(matchOfferedLabel(todayOrFormer, "phường", { partial: true })).toBeNull();
    expect(matchOfferedLabel(todayOrFormer, "không phải hiện nay", { partial: true })).toBeNull();
    expect(matchOfferedLabel(branches, "có ạ", { partial: true })).toBeNull();
  });
});
