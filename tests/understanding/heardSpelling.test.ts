import { describe, expect, it } from "vitest";
import { heardAs, heardVariants, heardWords } from "../../src/domain/understanding/heardSpelling.js";
import { matchChoice, parseGlobalCommand, parseWeeklyHours, parseYesNo, searchPlaces, type ChoiceOption } from "../../src/domain/understanding/index.js";

const group: ChoiceOption[] = [
  { value: "resident", labels: ["Người dân trong xã"], synonyms: ["nong dan", "lam ruong", "chan nuoi", "gia roi", "lam lua", "lam muoi"] },
  { value: "worker", labels: ["Người lao động"], synonyms: ["cong nhan", "tho xay"] },
  { value: "official", labels: ["Cán bộ, công chức, viên chức, doanh nhân"], synonyms: ["giao vien", "can bo xa"] },
  { value: "student", labels: ["Học sinh, sinh viên, học viên"] },
];
const gender: ChoiceOption[] = [
  { value: "male", labels: ["Nam"], synonyms: ["anh"] },
  { value: "female", labels: ["Nữ"] },
];

describe("words spelt as they are said where the writer grew up", () => {
  it("hears a word's first sound, then its last sound, said the other way", () => {
    const [first, last] = heardVariants("lam");
    expect(first).toEqual(["nam"]);
    expect(heardVariants("dao")[0]).toEqual(expect.arrayContaining(["giao", "rao", "vao"]));
    expect(heardVariants("tran")[0]).toEqual(["chan"]);
    expect(last).toEqual([]);
    expect(heardVariants("khon")[1]).toEqual(expect.arrayContaining(["khong", "khonh"]));
    expect(heardVariants("viet")[1]).toEqual(expect.arrayContaining(["viec"]));
    // "gì" is g + i: no "d" sound to swap.
    expect(heardVariants("gi")[0]).toEqual([]);
  });

  it("takes the nearest sound-alike a reader knows, and none when two are as near", () => {
    expect(heardAs("xua", new Set(["sua", "thong", "tin"]))).toBe("sua");
    expect(heardAs("tran", new Set(["chan", "trang"]))).toBe("chan");
    expect(heardAs("lan", new Set(["nan", "nang"]))).toBe("nan");
    expect(heardAs("dao", new Set(["giao", "vao"]))).toBe("dao");
  });

  it("hears a word otherwise only where it makes a pair of words the question has, never a word people write right", () => {
    const known = new Set(["lam", "ruong", "gia", "roi", "vui", "ve"]);
    const pairs = new Set(["lam ruong", "gia roi", "vui ve"]);
    expect(heardWords(["nam", "ruong"], known, pairs, ["nàm", "ruộng"])).toEqual(["lam", "ruong"]);
    expect(heardWords(["dui", "de"], known, pairs, ["dui", "dẻ"])).toEqual(["vui", "ve"]);
    // "dạ rồi" is not "già rồi"; unmarked "nam ruong" may be "năm": left as typed.
    expect(heardWords(["da", "roi"], known, pairs, ["dạ", "rồi"])).toBeNull();
    expect(heardWords(["nam", "ruong"], known, pairs, ["nam", "ruong"])).toBeNull();
    expect(heardWords(["nam"], known, pairs, ["nàm"])).toBeNull();
  });

  it("reads a choice so heard as a guess to confirm, and only a phrase said whole", () => {
    expect(matchChoice("nàm ruộng", group)).toEqual({ status: "matched", value: "resident", confidence: "low" });
    expect(matchChoice("trăn nuôi", group)).toEqual({ status: "matched", value: "resident", confidence: "low" });
    expect(matchChoice("dáo viên", group)).toEqual({ status: "matched", value: "official", confidence: "low" });
    expect(matchChoice("xinh viên", group)).toEqual({ status: "matched", value: "student", confidence: "low" });
    expect(matchChoice("lữ", gender)).toEqual({ status: "matched", value: "female", confidence: "low" });
    // Words written right, names and a name's "An" are no misheard option.
    expect(matchChoice("dạ rồi", group).status).toBe("none");
    expect(matchChoice("năm mươi", group).status).toBe("none");
    expect(matchChoice("thôi khỏi làm nữa", group).status).toBe("none");
    expect(matchChoice("Danh Thị Ngọc", group).status).toBe("none");
    expect(matchChoice("An", gender).status).toBe("none");
  });

  it("reaches the yes/no, command, hours and place readers", () => {
    expect(parseYesNo("khôn")).toBe("no");
    expect(parseYesNo("khôn phải")).toBe("no");
    expect(parseYesNo("đún rồi")).toBe("yes");
    expect(parseYesNo("đủn")).toBeNull();
    expect(parseGlobalCommand("xửa thông tin")).toBe("edit");
    expect(parseGlobalCommand("soá dữ liệu")).toBe("deleteData");
    expect(parseGlobalCommand("sem lại thông tin")).toBe("myData");
    expect(parseWeeklyHours("lăm tiếng một tuần")).toEqual({ status: "ok", hours: 5 });
    expect(parseWeeklyHours("lửa tiếng mỗi ngày")).toEqual({ status: "ok", hours: 3.5 });
    expect(parseWeeklyHours("mười lăm tiếng")).toEqual({ status: "ok", hours: 15 });
    expect(parseWeeklyHours("tối lửa tắt đèn có nhau")).toEqual({ status: "none" });
    const provinces = [
      { id: "hn", name: "Hà Nội" },
      { id: "pt", name: "Phú Thọ" },
      { id: "gl", name: "Gia Lai" },
      { id: "dl", name: "Đắk Lắk" },
    ];
    expect(searchPlaces("Hà Lội", provinces)[0]).toMatchObject({ id: "hn", exact: false });
    expect(searchPlaces("fú thọ", provinces)[0]).toMatchObject({ id: "pt", exact: false });
    expect(searchPlaces("da lai", provinces)[0]).toMatchObject({ id: "gl", exact: false });
  });
});
