import { describe, expect, it } from "vitest";
import { parsePersonName } from "../../src/domain/understanding/index.js";

describe("parsePersonName", () => {
  it.each([
    ["nguyen van an", "Nguyen Van An"],
    ["nguyễn văn an", "Nguyễn Văn An"],
    ["  NGUYỄN   VĂN AN ", "Nguyễn Văn An"],
    ["Nguye\u0302\u0303n Văn An", "Nguyễn Văn An"],
    ["H'Hen Niê", "H'Hen Niê"],
    ["y-moan ênuôl", "Y-Moan Ênuôl"],
    ["Vũ Đức Thắng 😊", "Vũ Đức Thắng"],
    ["Nguyễn văn An (bố)", "Nguyễn Văn An"],
  ])("%j → %j (capitalized, never adds diacritics)", (input, name) => {
    expect(parsePersonName(input)).toMatchObject({ status: "ok", name });
  });

  it.each([
    ["tôi là Nguyễn Văn An", "Nguyễn Văn An"],
    ["tên tôi là lê thị hoa ạ", "Lê Thị Hoa"],
    ["toi ten la tran van binh", "Tran Van Binh"],
    ["my name is John Smith", "John Smith"],
    ["Họ tên: Đỗ Văn Hùng", "Đỗ Văn Hùng"],
    ["bác tên là Trần Văn Cường", "Trần Văn Cường"],
  ])("strips the introduction in %j", (input, name) => {
    expect(parsePersonName(input)).toMatchObject({ status: "ok", name });
  });

  it("keeps the name and leaves out what is said after it (shown back: 'trimmed'), refuses a question", () => {
    expect(parsePersonName("tôi là Lò Thị Phương ở bản Na Sang")).toEqual({ status: "ok", name: "Lò Thị Phương", check: "trimmed" });
    expect(parsePersonName("Nguyễn Văn Hùng, sinh 1965")).toEqual({ status: "ok", name: "Nguyễn Văn Hùng", check: "trimmed" });
    // A pupil's class after the name; "Lớp" as a given name stays.
    expect(parsePersonName("e là Minh Anh lớp 8A")).toEqual({ status: "ok", name: "Minh Anh", check: "trimmed" });
    expect(parsePersonName("Nguyễn Văn Lớp")).toEqual({ status: "ok", name: "Nguyễn Văn Lớp", check: null });
    expect(parsePersonName("Lê Văn Sinh")).toEqual({ status: "ok", name: "Lê Văn Sinh", check: null });
    expect(parsePersonName("dạ, Mai Thị Lụa")).toMatchObject({ status: "ok", name: "Mai Thị Lụa" });
    for (const question of ["hỏi làm gì", "tên gì cơ", "Nguyễn Văn An?"]) expect(parsePersonName(question), question).toEqual({ status: "invalid", reason: "notName" });
  });

  it("a sentence is not a name; names that are also everyday words stay names", () => {
    for (const text of ["ngày nào cũng xem thời sự", "ngay nao cung xem thoi su", "không có điện thoại", "chưa biết", "học sử dụng điện thoại thông minh"]) {
      expect(parsePersonName(text), text).toEqual({ status: "invalid", reason: "notName" });
    }
    for (const name of ["Lê Thị Hồng Nhung", "Khổng Văn Minh", "Nguyễn Văn Học", "Trần Văn Được", "Cung Thị La", "lê thị nhung"]) {
      expect(parsePersonName(name), name).toMatchObject({ status: "ok" });
    }
  });

  it("keeps a surname that looks like an address word", () => {
    expect(parsePersonName("Chu Văn An")).toMatchObject({ status: "ok", name: "Chu Văn An", check: null });
    expect(parsePersonName("la van cau")).toMatchObject({ status: "ok", name: "La Van Cau", check: "noDiacritics" });
  });

  it.each([
    ["", "empty"],
    ["😊", "empty"],
    ["tôi là", "empty"],
    ["123", "digits"],
    ["Nguyen Van 2", "digits"],
    ["a", "tooShort"],
    ["Nguyễn Văn An ".repeat(7), "tooLong"],
  ] as const)("%j is invalid: %s", (input, reason) => {
    expect(parsePersonName(input)).toEqual({ status: "invalid", reason });
  });
});

describe("what is not part of a name", () => {
  it.each([
    ["bác Nguyễn Văn Ba", "Nguyễn Văn Ba", "trimmed"],
    ["dạ em là Trần Thị Hoa ạ", "Trần Thị Hoa", null],
    ["cô giáo Lê Thị Mai", "Lê Thị Mai", "trimmed"],
    ["Thưa, tôi tên là Đỗ Văn Hùng", "Đỗ Văn Hùng", null],
    ["ông Hà Văn Sáu nhé", "Hà Văn Sáu", "trimmed"],
    ["chú Tư", "Chú Tư", null],
    ["Dũng", "Dũng", null],
    ["nguyen thi hoa", "Nguyen Thi Hoa", "noDiacritics"],
  ])("%j → %j (check %s)", (input, name, check) => {
    expect(parsePersonName(input)).toEqual({ status: "ok", name, check });
  });

  it.each(["ok", "không", "Có ạ", "đúng rồi", "bỏ qua", "dạ", "không biết"])("%j is not a name", (input) => {
    expect(parsePersonName(input)).toEqual({ status: "invalid", reason: "notName" });
  });

  it.each([
    ["Vàng Seo Sử", "Vàng Seo Sử"],
    ["Vàng A Páo", "Vàng A Páo"],
    ["A Sa", "A Sa"],
    ["vâng, Vàng Thị Mai", "Vàng Thị Mai"],
    ["à, Trần Văn Tư", "Trần Văn Tư"],
  ])("keeps a surname that folds like a filler (%j): only 'vâng', 'à' typed so are taken off", (input, name) => {
    expect(parsePersonName(input)).toMatchObject({ status: "ok", name });
  });

  it.each([
    ["bố em tên là Nguyễn Văn Hải", "Nguyễn Văn Hải", null],
    ["tên bà ngoại em là Lê Thị Mơ", "Lê Thị Mơ", null],
    ["họ tên của mẹ em là Đỗ Thị Hằng", "Đỗ Thị Hằng", null],
    ["ông nội cháu là Phạm Văn Đức ạ", "Phạm Văn Đức", null],
    // A capital "La" after a title is the surname La: the title is taken off and the name shown back.
    ["Ông La Văn Cầu", "La Văn Cầu", "trimmed"],
  ])("takes the name of a relative someone registers (%j)", (input, name, check) => {
    expect(parsePersonName(input)).toEqual({ status: "ok", name, check });
  });
});

