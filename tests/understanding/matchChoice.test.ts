import { describe, expect, it } from "vitest";
import { matchChoice, parseMark, parsePosition, type ChoiceOption } from "../../src/domain/understanding/index.js";

const gender: ChoiceOption[] = [
  { value: "male", labels: ["Nam", "Male"] },
  { value: "female", labels: ["Nữ", "Female"] },
  { value: "other", labels: ["Khác", "Other"] },
];
const group: ChoiceOption[] = [
  { value: "resident", labels: ["Người dân trong xã", "Resident of the commune"], synonyms: ["nong dan", "lam ruong", "noi tro", "huu tri"] },
  { value: "worker", labels: ["Người lao động", "Worker"], synonyms: ["cong nhan", "tho", "lao dong"] },
  { value: "official", labels: ["Cán bộ, công chức, viên chức, doanh nhân", "Official, civil servant, business person"], synonyms: ["can bo", "giao vien"] },
  { value: "student", labels: ["Học sinh, sinh viên, học viên", "Pupil, student, trainee"], synonyms: ["hs", "sv"] },
];
const reading: ChoiceOption[] = [
  { value: "daily", labels: ["Hằng ngày", "Every day"], synonyms: ["ngay nao cung doc", "moi ngay"] },
  { value: "weekly", labels: ["Vài lần một tuần", "A few times a week"] },
  { value: "monthly", labels: ["Vài lần một tháng", "A few times a month"] },
  { value: "rarely", labels: ["Hiếm khi", "Rarely"], synonyms: ["it khi", "thinh thoang"] },
  { value: "never", labels: ["Không đọc", "Never"] },
];
const studyPlan: ChoiceOption[] = [
  { value: "written", labels: ["Có, đã viết ra"], synonyms: ["co ke hoach ro rang"] },
  { value: "inMind", labels: ["Có, trong đầu"], synonyms: ["co"] },
  { value: "none", labels: ["Chưa có"], synonyms: ["chua co", "khong co", "khong"] },
];

const matched = (value: string, confidence: "high" | "low" = "high") => ({ status: "matched", value, confidence });

describe("matchChoice", () => {
  it("matches a label or synonym with or without diacritics, in any language", () => {
    expect(matchChoice("Nữ", gender)).toEqual(matched("female"));
    expect(matchChoice("nu", gender)).toEqual(matched("female"));
    expect(matchChoice("Female", gender)).toEqual(matched("female"));
    expect(matchChoice("nong dan", group)).toEqual(matched("resident"));
    expect(matchChoice("hàng ngày", reading)).toEqual(matched("daily"));
  });

  it("matches by position", () => {
    expect(matchChoice("1", gender)).toEqual(matched("male"));
    expect(matchChoice("số 2", gender)).toEqual(matched("female"));
    expect(matchChoice("thu hai", gender)).toEqual(matched("female"));
    expect(matchChoice("câu 3", reading)).toEqual(matched("monthly"));
    expect(matchChoice("the second", reading)).toEqual(matched("weekly"));
    expect(matchChoice("2.", group)).toEqual(matched("worker"));
    expect(matchChoice("4", gender)).toEqual({ status: "none" });
  });

  it("finds a label or synonym said inside a sentence, the longest winning", () => {
    expect(matchChoice("tôi đọc hằng ngày", reading)).toEqual(matched("daily"));
    expect(matchChoice("tôi là nông dân", group)).toEqual(matched("resident"));
    expect(matchChoice("có kế hoạch rõ ràng", studyPlan)).toEqual(matched("written"));
    expect(matchChoice("chưa có", studyPlan)).toEqual(matched("none"));
  });

  it("matches a part of a label listing several groups", () => {
    expect(matchChoice("công chức", group)).toEqual(matched("official"));
    expect(matchChoice("sinh viên", group)).toEqual(matched("student"));
    expect(matchChoice("tuần", reading)).toEqual(matched("weekly", "low"));
  });

  it("accepts typos with low confidence", () => {
    expect(matchChoice("femal", gender)).toEqual(matched("female", "low"));
    expect(matchChoice("hoc sinhh", group)).toEqual(matched("student", "low"));
    expect(matchChoice("hang ngya", reading)).toEqual(matched("daily", "low"));
    expect(matchChoice("tuần vài lần", reading)).toEqual(matched("weekly", "low"));
  });

  it("asks with the two best when they fit equally", () => {
    expect(matchChoice("vài lần", reading)).toEqual({ status: "ambiguous", values: ["weekly", "monthly"] });
    const both = matchChoice("nam hay nữ cũng được", gender);
    expect(both.status).toBe("ambiguous");
    expect(both.status === "ambiguous" && [...both.values].sort()).toEqual(["female", "male"]);
  });

  it("hears every everyday way of saying 'không' in a phrase the flow lists with 'không'", () => {
    const relationships: ChoiceOption[] = [
      { value: "friendly", labels: ["Hòa thuận"], synonyms: ["khong mau thuan", "khong cai nhau"] },
      { value: "frequentConflict", labels: ["Hay mâu thuẫn"], synonyms: ["mau thuan", "hay cai nhau"] },
    ];
    for (const input of ["chẳng mâu thuẫn với ai", "chả mâu thuẫn gì", "hổng có cãi nhau", "hông cãi nhau bao giờ", "hem mâu thuẫn"]) {
      expect(matchChoice(input, relationships), input).toEqual(matched("friendly"));
    }
    expect(matchChoice("hay cãi nhau", relationships)).toEqual(matched("frequentConflict"));
    // A name with "Hồng" in it is still that name, typed with or without its marks.
    const branches: ChoiceOption[] = [
      { value: "b1", labels: ["Chi hội thôn Hồng Phong"] },
      { value: "b2", labels: ["Chi hội thôn Đông"] },
    ];
    expect(matchChoice("hong phong", branches)).toMatchObject({ status: "matched", value: "b1" });
    expect(matchChoice("Chi hội thôn Hồng Phong", branches)).toEqual(matched("b1"));
  });

  it("a bare 'không' is the no option, unless it denies another ('không ít đâu' is not 'never')", () => {
    const frequency: ChoiceOption[] = [
      { value: "often", labels: ["Thường xuyên"], synonyms: ["hay"] },
      { value: "rarely", labels: ["Ít khi"], synonyms: ["it"] },
      { value: "never", labels: ["Không"], synonyms: ["khong", "khong tham gia"] },
    ];
    expect(matchChoice("không", frequency)).toEqual(matched("never"));
    expect(matchChoice("không đâu", frequency)).toEqual(matched("never"));
    expect(matchChoice("ko tham gia", frequency)).toEqual(matched("never"));
    expect(matchChoice("không ít đâu", frequency)).toEqual({ status: "none" });
    expect(matchChoice("chẳng hay đi", frequency)).toEqual({ status: "none" });
  });

  it("says none when nothing fits", () => {
    expect(matchChoice("xyz", gender)).toEqual({ status: "none" });
    expect(matchChoice("", gender)).toEqual({ status: "none" });
    expect(matchChoice("bán hàng online", group)).toEqual({ status: "none" });
  });
});

describe("matchChoice, how answers combine", () => {
  const phoneUse: ChoiceOption[] = [
    { value: "advanced", labels: ["Học, làm việc online"], synonyms: ["hoc online"] },
    { value: "online", labels: ["Tra cứu, xem video"], synonyms: ["xem youtube"] },
    { value: "messaging", labels: ["Nhắn tin, gọi Zalo"], synonyms: ["nhan tin zalo", "zalo"] },
    { value: "none", labels: ["Không dùng"], synonyms: ["khong dung"] },
  ];

  it("where each option includes those below, an answer naming several is the best named, never a denied one", () => {
    expect(matchChoice("xem youtube với nhắn tin zalo", phoneUse, { highestNamed: true })).toEqual(matched("online"));
    expect(matchChoice("không học online, chỉ zalo", phoneUse, { highestNamed: true })).toEqual(matched("messaging"));
    // Without it the longest phrase said wins.
    expect(matchChoice("xem youtube với nhắn tin zalo", phoneUse)).toEqual(matched("messaging"));
  });

  it("a part two options' labels share says neither ('Có' of 'Có, đã ghi rõ' and 'Có, trong đầu')", () => {
    const plan: ChoiceOption[] = [
      { value: "written", labels: ["Có, đã ghi rõ"], synonyms: ["co ghi"] },
      { value: "inMind", labels: ["Có, trong đầu"] },
      { value: "none", labels: ["Chưa có"] },
    ];
    expect(matchChoice("có", plan)).toEqual({ status: "ambiguous", values: ["written", "inMind"] });
    expect(matchChoice("có ghi vào sổ", plan)).toEqual(matched("written"));
    expect(matchChoice("trong đầu thôi", plan)).toEqual(matched("inMind"));
  });

  it("said exactly, a synonym wins over a part of another option's label ('tốt' is 'Hòa thuận', not 'Tốt, hay hòa giải')", () => {
    const relations: ChoiceOption[] = [
      { value: "harmoniser", labels: ["Tốt, hay hòa giải"], synonyms: ["hoa giai"] },
      { value: "friendly", labels: ["Hòa thuận"], synonyms: ["tot", "vui ve"] },
    ];
    expect(matchChoice("tốt", relations)).toEqual(matched("friendly"));
    expect(matchChoice("hay hòa giải", relations)).toEqual(matched("harmoniser"));
  });
});

describe("school marks", () => {
  it.each([
    ["8 điểm", 8],
    ["7,5", 7.5],
    ["7 phẩy 5", 7.5],
    ["tiếng anh e được 9", 9],
    ["tám điểm", 8],
    ["năm vừa rồi được 6", 6],
    ["lớp 8 được 9 điểm", 9],
  ])("%j is the mark %d", (input, mark) => expect(parseMark(input)).toBe(mark));

  it.each(["khá", "12 điểm", "7 với 8", "năm ngoái"])("%j says no one mark", (input) => expect(parseMark(input)).toBeNull());

  it("a mark gives the option it reaches, before a position ('2 điểm' is not the second option)", () => {
    const result: ChoiceOption[] = [
      { value: "good", labels: ["Giỏi"], fromMark: 8 },
      { value: "fair", labels: ["Khá"], fromMark: 6.5 },
      { value: "average", labels: ["Trung bình"], fromMark: 5 },
      { value: "weak", labels: ["Yếu"], fromMark: 0 },
    ];
    expect(matchChoice("8 điểm", result)).toEqual(matched("good"));
    expect(matchChoice("được 6,5", result)).toEqual(matched("fair"));
    expect(matchChoice("2 điểm", result)).toEqual(matched("weak"));
    expect(matchChoice("khá ạ", result)).toEqual(matched("fair"));
  });
});

describe("parsePosition", () => {
  it.each([
    ["1", 1],
    ["2.", 2],
    ["số 2", 2],
    ["so 3", 3],
    ["thứ hai", 2],
    ["thứ tư", 4],
    ["câu 3", 3],
    ["chọn phương án 1 ạ", 1],
    ["đầu tiên", 1],
    ["cuối cùng", 5],
    ["the second", 2],
    ["2nd", 2],
    ["hai", 2],
  ])("%j is position %i", (input, position) => expect(parsePosition(input, 5)).toBe(position));

  it.each(["0", "6", "1.5", "bà", "số", ""])("%j is not a position among 5", (input) => expect(parsePosition(input, 5)).toBeNull());

  it("settles a tie when the answer denies one option's label, or when one phrase heads the other", () => {
    const foreignLanguage: ChoiceOption[] = [
      { value: "notNeeded", labels: ["Công việc không cần"], synonyms: ["khong can"] },
      { value: "needed", labels: ["Cần mà chưa biết"], synonyms: ["khong biet"] },
    ];
    expect(matchChoice("không biết, làm nông không cần", foreignLanguage)).toEqual(matched("notNeeded"));
    expect(matchChoice("không biết", foreignLanguage)).toEqual(matched("needed"));
    const plan: ChoiceOption[] = [
      { value: "inMind", labels: ["Có, trong đầu"], synonyms: ["hoc them", "tin hoc"] },
      { value: "considering", labels: ["Đang dự định"], synonyms: ["dinh hoc"] },
    ];
    expect(matchChoice("định học thêm tin học", plan)).toEqual(matched("considering"));
    // Said one after the other, not sharing a word: still a question.
    expect(matchChoice("tin học, định học", plan)).toEqual({ status: "ambiguous", values: expect.arrayContaining(["inMind", "considering"]) });
  });

  it("what holds now, after a clause saying what is over ('bộ đội xuất ngũ, giờ làm ruộng')", () => {
    expect(matchChoice("bộ đội xuất ngũ, giờ làm ruộng", group)).toEqual(matched("resident"));
    expect(matchChoice("về hưu, giờ làm ruộng", group)).toEqual(matched("resident"));
    // Without a clause saying so, "giờ" is not "now": "giờ rảnh" (free time) is no change of job.
    expect(matchChoice("giáo viên, giờ rảnh làm ruộng", group)).not.toEqual(matched("resident"));
  });

  it("'không bao giờ', 'không hề' say the flow's 'không …' firmly", () => {
    const relationships: ChoiceOption[] = [
      { value: "friendly", labels: ["Hòa thuận"], synonyms: ["khong cai nhau", "khong mau thuan"] },
      { value: "frequentConflict", labels: ["Hay mâu thuẫn"], synonyms: ["hay cai nhau"] },
    ];
    expect(matchChoice("không bao giờ cãi nhau với hàng xóm", relationships)).toEqual(matched("friendly"));
    expect(matchChoice("không hề mâu thuẫn", relationships)).toEqual(matched("friendly"));
  });

  it("what is said instead is the answer: 'không phải X, mà Y', '…, chỉ Y'", () => {
    const phone: ChoiceOption[] = [
      { value: "messaging", labels: ["Nhắn tin, gọi Zalo"], synonyms: ["nhan tin"] },
      { value: "callsOnly", labels: ["Chỉ nghe gọi"], synonyms: ["nghe goi"] },
    ];
    expect(matchChoice("không biết nhắn tin, chỉ nghe gọi", phone)).toEqual(matched("callsOnly"));
    expect(matchChoice("không phải nghe gọi, mà nhắn tin", phone)).toEqual(matched("messaging"));
    expect(matchChoice("chưa từng nhắn tin", [...phone, { value: "none", labels: ["Không dùng"], synonyms: ["khong nhan tin"] }])).toEqual(matched("none"));
  });

  it("a synonym 'trồng *' names its option when the answer opens with it and says more, not inside a sentence", () => {
    const work: ChoiceOption[] = [
      { value: "resident", labels: ["Người dân trong xã"], synonyms: ["trong *", "nuoi *"] },
      { value: "worker", labels: ["Người lao động"], synonyms: ["cong nhan"] },
    ];
    expect(matchChoice("trồng bưởi", work)).toEqual(matched("resident"));
    expect(matchChoice("em nuôi dê", work)).toEqual(matched("resident"));
    expect(matchChoice("không trồng gì", work)).toEqual({ status: "none" });
    expect(matchChoice("công nhân trong khu công nghiệp", work)).toEqual(matched("worker"));
  });
});
