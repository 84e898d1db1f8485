import { describe, expect, it } from "vitest";
import { conversationSuite } from "../support/testRuntime.js";

const suite = conversationSuite("typed");
const citizen = suite.citizen;

async function answersOf(userId: string) {
  const db = suite.test.runtime.database.db;
  const identity = await db.query.channelIdentities.findFirst({ where: (t, { eq }) => eq(t.userId, userId) });
  const registration = await db.query.registrations.findFirst({ where: (t, { eq }) => eq(t.personId, identity?.personId ?? "") });
  const answers = await db.query.registrationAnswers.findMany({ where: (t, { eq }) => eq(t.registrationId, registration?.id ?? "") });
  return { registration, answers: Object.fromEntries(answers.map((a) => [a.field, a])) };
}

describe("registrations typed the way people really type", () => {
  it("without diacritics and with typical typos, numbers in words and chat spellings", async () => {
    const c = citizen();
    await c.says("dang ki");
    await c.says("dong y");
    await c.says("phu thoo");
    c.expectReply(/tỉnh, thành phố nào dưới đây/);
    await c.taps("Tỉnh Phú Thọ");
    c.expectReply(/xã, phường nào/);
    await c.says("p viet tri");
    await c.says("ko co o day");
    c.expectReply(/thôn, bản/);
    await c.says("khu 3");
    await c.says("toi ten la hoang thi lan");
    await c.says("dung roi"); // typed without diacritics: shown back first
    await c.says("sinh nam 85");
    c.expectReply(/Có phải ý bạn là: 1985/);
    await c.says("uk");
    await c.says("nu");
    await c.says("0912-345-678");
    await c.says("cong nhan");
    // A near spelling of a button's label is the tap itself (issue 11), no "did you mean" needed.
    await c.says("hang ngayy");
    c.expectReply(/Câu 2\/10/);
    await c.says("chua co");
    await c.says("hai tieng ruoi moi tuan");
    await c.says("thinh thoang");
    await c.says("xem youtube voi nhan tin zalo"); // several uses named: the best of them counts
    await c.says("khong can");
    await c.says("thuong xuyen");
    await c.says("it khi");
    await c.says("hoa thuan");
    await c.says("thuong xuyen");
    await c.says("hoc them ve may tinh");
    c.expectReply(/Bạn kiểm tra lại/).expectReply(/Hoang Thi Lan/);
    await c.says("gui di");
    c.expectReply(/Đã gửi/);
    const { registration, answers } = await answersOf(c.userId);
    expect(registration?.status).toBe("submitted");
    expect(answers.birthYear).toMatchObject({ rawText: "sinh nam 85", value: 1985 });
    expect(answers["criteria.studyTime"]).toMatchObject({ rawText: "hai tieng ruoi moi tuan", value: 2.5, points: 6 });
    expect(answers["criteria.reading"]).toMatchObject({ rawText: "hang ngayy", value: "daily" });
    expect(answers["criteria.digitalSkills"]).toMatchObject({ rawText: "xem youtube voi nhan tin zalo", value: "online", points: 8 });
    expect(answers.commune?.value).toMatchObject({ name: expect.stringContaining("Phường Việt Trì") });
  });

  it("not understood twice in a row: the second time says what else works (a button, 'trợ giúp'); 'có ạ' is not 'không có'", async () => {
    const c = citizen();
    await c.says("đăng ký");
    await c.says("đồng ý");
    await c.says("Phú Thọ");
    await c.says("Việt Trì");
    c.expectReply(/chi hội khuyến học nào/);
    await c.says("có ạ");
    c.expectReply(/Nếu không biết hoặc không thấy/);
    expect(c.replies.map((reply) => reply.text).join(" ")).not.toMatch(/bấm một nút/);
    await c.says("bản Na Lói");
    c.expectReply(/bấm một nút bên dưới/).expectReply(/chi hội khuyến học nào/);
    await c.says("không biết");
    c.expectReply(/thôn, bản/);
  });

  it("a pupil as pupils type: 'e' for 'em', 'r' for 'rồi', a mark for the language result, several phone uses", async () => {
    const c = citizen();
    await c.says("dk");
    await c.says("đồng ý");
    await c.says("Phú Thọ");
    await c.says("Việt Trì");
    await c.says("k biết");
    await c.says("khu 5");
    await c.says("mk là Trần Gia Huy");
    await c.says("e 13t");
    c.expectReply(/Cha mẹ \(người giám hộ\) đã đồng ý/);
    await c.says("e đồng ý r"); // the pupil's own agreement is not the parents'
    c.expectReply(/Cha mẹ \(người giám hộ\) đã đồng ý/);
    await c.says("dạ bố mẹ e đồng ý r");
    await c.says("nam");
    await c.says("bỏ qua");
    await c.says("hs lớp 8");
    await c.says("cuối tuần mới đọc");
    await c.says("e sẽ học thêm toán");
    await c.says("mỗi tối 1 tiếng rưỡi");
    await c.says("có lúc");
    await c.says("chủ yếu chơi game");
    await c.says("8 điểm");
    await c.says("thi thoảng");
    await c.says("ít khi");
    await c.says("chơi thân với cả lớp");
    await c.says("hay tham gia");
    const { answers } = await answersOf(c.userId);
    expect(answers.birthYear).toMatchObject({ value: 2013 });
    expect(answers.group).toMatchObject({ value: "student" });
    expect(answers["criteria.reading"]).toMatchObject({ value: "weekly" });
    expect(answers["criteria.studyPlan"]).toMatchObject({ value: "inMind" });
    expect(answers["criteria.selfStudyTime"]).toMatchObject({ value: 10.5 });
    expect(answers["criteria.helpPeers"]).toMatchObject({ value: "sometimes" });
    expect(answers["criteria.digitalLearning"]).toMatchObject({ value: "entertainment" });
    expect(answers["criteria.foreignLanguage"]).toMatchObject({ rawText: "8 điểm", value: "good", points: 10 });
    expect(answers["criteria.applyKnowledge"]).toMatchObject({ value: "sometimes" });
    expect(answers["criteria.criticalThinking"]).toMatchObject({ value: "rarely" });
    expect(answers["criteria.relationships"]).toMatchObject({ value: "friendly" });
    expect(answers["criteria.teamwork"]).toMatchObject({ value: "often" });
  });

  it("a bare 'có' to a how-often question asks how often, with the options that say yes; 'có lúc' is an answer", async () => {
    const c = citizen();
    for (const text of ["đăng ký", "đồng ý", "Phú Thọ", "Việt Trì", "không biết", "khu 5", "Nguyễn Văn Bình", "1960", "nam", "bỏ qua", "nông dân"]) await c.says(text);
    c.expectReply(/Câu 1\/10/);
    await c.says("có");
    c.expectReply(/chọn giúp tôi mức độ/);
    expect(c.buttonTitles).toEqual(["Hằng ngày", "Vài lần một tuần", "Vài lần một tháng", "Hiếm khi"]);
    await c.taps("Vài lần một tuần");
    await c.says("chưa có");
    await c.says("2 tiếng");
    c.expectReply(/Câu 4\/10/);
    await c.says("có học hỏi và nhắc con cháu");
    expect(c.buttonTitles).toEqual(["Thường xuyên", "Thỉnh thoảng"]);
    await c.says("có lúc");
    c.expectReply(/Câu 5\/10/);
    const { answers } = await answersOf(c.userId);
    expect(answers["criteria.reading"]).toMatchObject({ value: "weekly" });
    expect(answers["criteria.encourageOthers"]).toMatchObject({ value: "sometimes", rawText: "có lúc" });
  });

  it("in English", async () => {
    const c = citizen();
    await c.says("language");
    await c.taps("English");
    c.expectReply(/Switched to English/);
    await c.says("register");
    c.expectReply(/agree/i);
    await c.says("yes");
    c.expectReply(/province/i);
    await c.says("Ha Noi");
    await c.says("Ha Dong");
    await c.taps(/Not listed|Not here|None/i);
    await c.says("Group 5");
    await c.says("My name is Vu Minh Chau");
    c.expectReply(/I will write your name as: Vu Minh Chau/);
    await c.says("yes");
    await c.says("42 years old");
    await c.says("female");
    await c.says("skip");
    await c.says("civil servant");
    await c.says("every day");
    await c.says("yes, written down");
    await c.says("3 hours a week");
    await c.says("often");
    await c.taps(/online/i);
    await c.says("basic");
    await c.says("regularly");
    await c.says("sometimes");
    await c.says("friendly");
    await c.says("often");
    c.expectReply(/plan/i);
    await c.says("Learn English and basic accounting");
    c.expectReply(/\d+\/100/);
    await c.says("send");
    c.expectReply(/Submitted/);
    const { registration, answers } = await answersOf(c.userId);
    expect(registration).toMatchObject({ status: "submitted", groupCode: "official" });
    expect(answers.birthYear?.value).toBe(1984);
    expect(answers.fullName?.value).toBe("Vu Minh Chau");
    expect(answers["criteria.studyTime"]?.value).toBe(3);
  });
});
