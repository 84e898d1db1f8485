import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { consentRecords, conversationSessions, people, registrationAnswers } from "../../db/schema.js";
import { TestCitizen, conversationSuite } from "../support/testRuntime.js";

const suite = conversationSuite("web");
const citizen = suite.citizen;

async function registrationOf(userId: string) {
  const rows = await suite.test.runtime.database.db.query.channelIdentities.findFirst({ where: (t, { and, eq: equals }) => and(equals(t.channel, "web"), equals(t.userId, userId)) });
  if (!rows?.personId) return null;
  const registration = await suite.test.runtime.database.db.query.registrations.findFirst({ where: (t, { eq: equals }) => equals(t.personId, rows.personId as string) });
  if (!registration) return null;
  const answers = await suite.test.runtime.database.db.select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, registration.id));
  return { registration, answers: Object.fromEntries(answers.map((a) => [a.field, a])) };
}

/** Consent, place, identity and group, tapping wherever the bot offers buttons. */
async function answerIdentity(c: TestCitizen) {
  await c.says("xin chào");
  c.expectReply(/Công dân học tập/).expectReply(/đồng ý/i).expectButtons("Đồng ý", "Không đồng ý");
  await c.taps("Đồng ý");
  c.expectReply(/tỉnh, thành phố nào/);
  await c.says("Phú Thọ");
  c.expectReply(/xã, phường nào của Tỉnh Phú Thọ/);
  await c.says("Vĩnh Phú");
  c.expectReply(/chi hội/).expectButtons("Chi hội khuyến học thôn Đông", "Không có ở đây");
  await c.taps("Chi hội khuyến học thôn Đông");
  c.expectReply(/thôn, bản/);
  await c.says("Thôn Đông");
  c.expectReply(/Họ và tên/);
  await c.says("Nguyễn Văn An");
  c.expectReply(/sinh năm/);
  await c.says("1975");
  c.expectReply(/Giới tính/);
  await c.taps("Nam");
  c.expectReply(/điện thoại/);
  await c.taps("Bỏ qua");
  c.expectReply(/nhóm nào/);
  await c.taps("Người dân trong xã");
  c.expectReply(/\(Câu 1\/10\)/);
}

/** Taps one answer per indicator of the default set (studyTime is typed) and writes the learning plan. */
async function answerCriteria(c: TestCitizen, answers: { reading: string; studyPlan: string; hours: string; encourage: string; digital: string; language: string; numeracy: string; problems: string; relationships: string; cooperation: string }) {
  await c.taps(answers.reading);
  await c.taps(answers.studyPlan);
  c.expectReply(/Câu 3\/10/);
  await c.says(answers.hours);
  await c.taps(answers.encourage);
  await c.taps(answers.digital);
  await c.taps(answers.language);
  await c.taps(answers.numeracy);
  await c.taps(answers.problems);
  await c.taps(answers.relationships);
  await c.taps(answers.cooperation);
  c.expectReply(/kế hoạch học tập/);
  await c.says("Học dùng điện thoại thông minh để xem giá nông sản, đọc một cuốn sách mỗi tháng.");
}

const strong = {
  reading: "Hằng ngày",
  studyPlan: "Có, đã ghi rõ",
  hours: "5 tiếng một tuần",
  encourage: "Thường xuyên",
  digital: "Tra cứu, xem video",
  language: "Công việc không cần",
  numeracy: "Thường xuyên",
  problems: "Thường xuyên",
  relationships: "Hòa thuận",
  cooperation: "Thường xuyên",
};

describe("a citizen registers on the web chat", () => {
  it("by tapping every button the bot offers, and the registration is stored with every raw answer", async () => {
    const c = citizen();
    await answerIdentity(c);
    await answerCriteria(c, strong);
    c.expectReply(/Bạn kiểm tra lại thông tin/).expectReply(/Nguyễn Văn An/).expectReply(/94\/100/).expectReply(/ĐẠT/).expectButtons("Gửi", "Sửa");
    await c.taps("Gửi");
    c.expectReply(/Đã gửi/);
    const stored = await registrationOf(c.userId);
    expect(stored?.registration).toMatchObject({ status: "submitted", score: 94, meets: true, criteriaSetId: "default", criteriaVersion: 1, flowId: "registration", flowVersion: 1, year: 2026, groupCode: "resident" });
    expect(stored?.registration.branchId).toBeTruthy();
    expect(stored?.answers["criteria.studyTime"]).toMatchObject({ rawText: "5 tiếng một tuần", value: 5, points: 10 });
    expect(stored?.answers["fullName"]).toMatchObject({ rawText: "Nguyễn Văn An", value: "Nguyễn Văn An" });
    expect(stored?.answers["phone"]?.value).toBeNull();
    const [person] = await suite.test.runtime.database.db.select().from(people).where(eq(people.id, stored?.registration.personId ?? ""));
    expect(person).toMatchObject({ fullName: "Nguyễn Văn An", birthYear: 1975, gender: "male", phone: null });
    const consents = await suite.test.runtime.database.db.select().from(consentRecords).where(eq(consentRecords.personId, stored?.registration.personId ?? ""));
    expect(consents).toHaveLength(1);
    expect(consents[0]).toMatchObject({ granted: true, noticeVersion: "2026-11", channel: "web", userId: c.userId });
  });

  it("from a poster's deep link, which pre-selects the branch", async () => {
    const c = citizen();
    await c.opens("VPHU02");
    c.expectReply(/đồng ý/i);
    await c.taps("Đồng ý");
    c.expectReply(/Chi hội khuyến học thôn Tây/).expectReply(/thôn, bản/);
    const stored = await registrationOf(c.userId);
    expect(stored?.answers.branch?.value).toMatchObject({ branchCode: "VPHU02" });
  });

  it("typed entirely without diacritics, with chat spellings", async () => {
    const c = citizen();
    await c.says("dang ky");
    c.expectReply(/đồng ý/i);
    await c.says("dong y");
    await c.says("phu tho");
    await c.says("xa vinh phu");
    c.expectReply(/chi hội/);
    await c.says("thon dong");
    c.expectReply(/Có phải ý bạn là: Chi hội khuyến học thôn Đông/);
    await c.says("dung");
    c.expectReply(/thôn, bản/);
    await c.says("xom dong");
    await c.says("nguyen thi hoa");
    c.expectReply(/ghi họ tên của bạn là: Nguyen Thi Hoa\. Đúng không/);
    await c.says("dung");
    await c.says("sinh nam 1980");
    await c.says("nu");
    await c.says("0912.345.678");
    await c.says("nong dan");
    await c.says("hang ngay");
    await c.says("co");
    c.expectReply(/chọn ý nào/).expectButtons("Có, đã ghi rõ", "Có, trong đầu");
    await c.says("co trong dau");
    c.expectReply(/Câu 3\/10/);
    await c.says("30 phut moi ngay");
    await c.says("thuong xuyen");
    await c.says("nhan tin zalo");
    await c.says("cong viec khong can");
    await c.says("thinh thoang");
    await c.says("thinh thoang");
    await c.says("hoa thuan");
    await c.says("thuong xuyen");
    c.expectReply(/kế hoạch học tập/);
    await c.says("hoc tin hoc co ban");
    c.expectReply(/Bạn kiểm tra lại/);
    await c.says("gui");
    c.expectReply(/Đã gửi/);
    const stored = await registrationOf(c.userId);
    expect(stored?.registration.status).toBe("submitted");
    expect(stored?.answers.fullName).toMatchObject({ rawText: "nguyen thi hoa", value: "Nguyen Thi Hoa" });
    expect(stored?.answers.phone?.value).toBe("+84912345678");
    expect(stored?.answers["criteria.studyTime"]).toMatchObject({ rawText: "30 phut moi ngay", value: 3.5 });
    expect(stored?.answers.gender?.value).toBe("female");
  });

  it("refusing consent stores nothing personal", async () => {
    const c = citizen();
    await c.says("Xin chào");
    await c.taps("Không đồng ý");
    c.expectReply(/không lưu thông tin nào/);
    await c.says("Nguyễn Văn Bình");
    c.expectReply(/đồng ý/i);
    const identity = await suite.test.runtime.database.db.query.channelIdentities.findFirst({ where: (t, { eq: equals }) => equals(t.userId, c.userId) });
    expect(identity?.personId ?? null).toBeNull();
    expect(await registrationOf(c.userId)).toBeNull();
  });

  it("a sticker or a long paste gets a kind answer and the question again", async () => {
    const c = citizen();
    await answerIdentity(c);
    await c.sendsSticker();
    c.expectReply(/chưa xem được ảnh/).expectReply(/Câu 1\/10/);
    await c.says("x".repeat(4500));
    c.expectReply(/hơi dài/).expectReply(/Câu 1\/10/);
  });
});

describe("the pass rule at its edges", () => {
  it("80 points with one indicator at 4 does not meet", async () => {
    const c = citizen();
    await answerIdentity(c);
    // reading 4, studyPlan 8, hours 3h → 8, encourage 10, digital 8, language 8, numeracy 8, problems 8, relationships 10, cooperation 8 = 80
    await answerCriteria(c, { reading: "Hiếm khi", studyPlan: "Có, trong đầu", hours: "3 giờ", encourage: "Thường xuyên", digital: "Tra cứu, xem video", language: "Giao tiếp cơ bản", numeracy: "Thỉnh thoảng", problems: "Thỉnh thoảng", relationships: "Tốt, hay hòa giải", cooperation: "Thỉnh thoảng" });
    c.expectReply(/80\/100/).expectReply(/CHƯA ĐẠT/).expectReply(/Đọc, cập nhật tin/);
    await c.taps("Gửi");
    expect((await registrationOf(c.userId))?.registration).toMatchObject({ score: 80, meets: false });
  });

  it("80 points with every indicator at 5 or more meets", async () => {
    const c = citizen();
    await answerIdentity(c);
    // reading 8, studyPlan 8, hours 8, encourage 6, digital 8, language 8, numeracy 8, problems 8, relationships 10, cooperation 8 = 80
    await answerCriteria(c, { reading: "Vài lần một tuần", studyPlan: "Có, trong đầu", hours: "3 giờ", encourage: "Thỉnh thoảng", digital: "Tra cứu, xem video", language: "Giao tiếp cơ bản", numeracy: "Thỉnh thoảng", problems: "Thỉnh thoảng", relationships: "Tốt, hay hòa giải", cooperation: "Thỉnh thoảng" });
    c.expectReply(/80\/100/).expectReply(/ĐẠT/).expectReply(/^(?![\s\S]*CHƯA ĐẠT)/);
    await c.taps("Gửi");
    expect((await registrationOf(c.userId))?.registration).toMatchObject({ score: 80, meets: true });
  });
});

describe("editing from the summary", () => {
  it("jumps to the chosen item and comes back to the summary", async () => {
    const c = citizen();
    await answerIdentity(c);
    await answerCriteria(c, strong);
    c.expectReply(/94\/100/);
    await c.taps("Sửa");
    c.expectReply(/sửa mục nào/).expectButtons("Họ tên", "Năm sinh", "Đọc, cập nhật tin");
    await c.taps("Họ tên");
    c.expectReply(/Câu trả lời hiện tại: Nguyễn Văn An/).expectReply(/Họ và tên/);
    await c.says("Nguyễn Văn Ân");
    c.expectReply(/Bạn kiểm tra lại/).expectReply(/Nguyễn Văn Ân/);
    await c.says("sửa");
    await c.taps("Đọc, cập nhật tin");
    await c.taps("Hiếm khi");
    c.expectReply(/Bạn kiểm tra lại/).expectReply(/88\/100/);
    await c.taps("Gửi");
    const stored = await registrationOf(c.userId);
    expect(stored?.registration).toMatchObject({ score: 88, status: "submitted" });
    expect(stored?.answers.fullName?.value).toBe("Nguyễn Văn Ân");
  });

  it("changing the group switches the criteria set and asks its questions again", async () => {
    const c = citizen();
    await answerIdentity(c);
    await answerCriteria(c, strong);
    await c.taps("Sửa");
    await c.taps("Nhóm");
    await c.taps("Học sinh, sinh viên");
    c.expectReply(/\(Câu 1\/10\)/).expectReply(/sách giáo khoa/);
  });
});

describe("a lost session is rebuilt from the database", () => {
  it("continues where the person was after the stored conversation state is lost mid-flow", async () => {
    const c = citizen();
    await answerIdentity(c);
    await c.taps("Hằng ngày");
    await c.taps("Có, đã ghi rõ");
    c.expectReply(/Câu 3\/10/);
    await suite.test.runtime.database.db.delete(conversationSessions).where(eq(conversationSessions.userId, c.userId));
    await c.says("2 tiếng");
    c.expectReply(/Câu 4\/10/);
    const stored = await registrationOf(c.userId);
    expect(stored?.answers["criteria.studyTime"]?.value).toBe(2);
    expect(stored?.answers["criteria.reading"]?.value).toBe("daily");
  });
});
