import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { registrations } from "../../db/schema.js";
import { TestCitizen, conversationSuite } from "../support/testRuntime.js";

// Issue 11: typing what a button says (or nearly) does what tapping it does; a command inside a polite sentence
// goes where it says.
const suite = conversationSuite("labels");
const citizen = suite.citizen;

async function toBirthYear(c: TestCitizen) {
  await c.says("đăng ký");
  await c.taps("Đồng ý");
  await c.says("Phú Thọ");
  await c.says("Vĩnh Phú");
  await c.taps("Không có ở đây");
  await c.says("Thôn Đông");
  await c.says("Phạm Văn Tư");
  return c.expectReply(/sinh năm/);
}

/** Up to the group question (born 1970, a man, no phone). */
async function toGroup(c: TestCitizen) {
  await toBirthYear(c);
  await c.says("1970");
  await c.taps("Nam");
  await c.taps("Bỏ qua");
  return c.expectReply(/nhóm nào/);
}

/** Up to the foreign-language question (the sixth of the ten). */
async function toForeignLanguage(c: TestCitizen) {
  await toGroup(c);
  await c.taps("Người dân trong xã");
  for (const title of ["Hằng ngày", "Có, đã ghi rõ"]) await c.taps(title);
  await c.says("6 tiếng");
  await c.taps("Thường xuyên");
  await c.taps("Tra cứu, xem video");
  return c.expectReply(/ngoại ngữ/i);
}

async function toSummary(c: TestCitizen) {
  await toForeignLanguage(c);
  for (const title of ["Thành thạo", "Thường xuyên", "Thường xuyên", "Hòa thuận", "Thường xuyên"]) await c.taps(title);
  await c.says("Học tiếng Anh giao tiếp");
  return c.expectReply(/gửi đăng ký hay sửa/);
}

describe("typed button labels", () => {
  it("'hủy đăng ký' typed at the cancel question cancels (it no longer loops)", async () => {
    const c = citizen();
    await toBirthYear(c);
    await c.says("hủy");
    c.expectReply(/chắc muốn hủy/);
    await c.says("huy dang ky a");
    c.expectReply(/Đã hủy/);
  });

  it("an option typed at a choice question is the answer even where a slip would make it a command ('giữ cháu', 'giúp cháu')", async () => {
    const c = citizen();
    await toGroup(c);
    await c.says("giữ cháu");
    c.expectReply(/Câu 1\/10/);
    // A command written as it is still wins.
    await c.says("trợ giúp");
    c.expectReply(/quay lại/);
  });

  it("at 'Có phải ý bạn là …?', a sentence that only has 'được' in it ('được 7 điểm') does not confirm the guess", async () => {
    const c = citizen();
    await toGroup(c);
    await c.taps("Người dân trong xã");
    await c.says("hằn ngày");
    c.expectReply(/Có phải ý bạn là: Hằng ngày/);
    await c.says("con tôi được 7 điểm");
    c.expectReply(/Câu 1\/10/);
    await c.says("đúng rồi, hằng ngày");
    c.expectReply(/Câu 2\/10/);
  });

  it("'English' typed at the language chooser switches the language", async () => {
    const c = citizen();
    await toBirthYear(c);
    await c.says("ngôn ngữ");
    await c.says("English");
    c.expectReply(/year were you born|birth/i);
  });

  it("'tiếng Anh' and 'Vietnamese' typed at the language chooser choose (they no longer reopen it); 'thanh hoa' names none", async () => {
    const c = citizen();
    await toBirthYear(c);
    await c.says("ngôn ngữ");
    await c.says("tiếng anh");
    c.expectReply(/year were you born|birth/i);
    await c.says("language");
    await c.says("thanh hoa");
    expect(c.lastText).not.toMatch(/Switched|Đã chuyển/);
    await c.says("ngôn ngữ");
    await c.says("vietnamese");
    c.expectReply(/sinh năm/i);
  });

  it("'gởi nhé' at the summary sends the registration; 'sửa năm sinh' goes straight to that question", async () => {
    const c = citizen();
    await toSummary(c);
    // The summary shows the ten answers in a few words, and the result in plain words.
    const answers = c.lastText.split("Câu trả lời về học tập:")[1] ?? "";
    expect(answers.split("\n").filter((line) => line.startsWith("• "))).toHaveLength(10);
    expect(c.lastText).toMatch(/Tổng điểm tự đánh giá: \d+\/100/);
    expect(c.lastText).not.toMatch(/chỉ số|Tạm tính/i);
    await c.says("em muốn sửa năm sinh ạ");
    c.expectReply(/sinh năm/);
    await c.says("1971");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("cho tôi sửa lại số điện thoại");
    c.expectReply(/điện thoại/i);
    await c.taps("Bỏ qua");
    // One word of a field's name is enough when no other field has it.
    await c.says("sửa tên");
    c.expectReply(/họ và tên|họ tên/i);
    await c.says("Nguyễn Văn Bình");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("gởi nhé");
    c.expectReply(/đã gửi|Đã gửi|chờ/i);
    const [registration] = await suite.test.runtime.database.db.select().from(registrations).where(eq(registrations.status, "submitted"));
    expect(registration).toBeDefined();
  });

  it("'năm sinh sai rồi', 'ghi nhầm tên' at the summary go straight to that question; 'sai rồi' alone shows the fields", async () => {
    const c = citizen();
    await toSummary(c);
    await c.says("năm sinh sai rồi");
    c.expectReply(/sinh năm/);
    await c.says("1972");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("ghi nhầm tên rồi ạ");
    c.expectReply(/họ và tên|họ tên/i);
    await c.says("Nguyễn Văn Bình");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("số điện thoại chưa đúng");
    c.expectReply(/điện thoại/i);
    await c.taps("Bỏ qua");
    c.expectReply(/gửi đăng ký hay sửa/);
    // "sai rồi" alone: which one, from the list of fields.
    await c.says("sai rồi");
    c.expectReply(/muốn sửa/i);
    await c.taps("Giới tính");
    c.expectReply(/giới tính/i);
    await c.taps("Nữ");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Năm sinh: 1972/);
    expect(c.lastText).toMatch(/Họ tên: Nguyễn Văn Bình/);
  });

  it("'sửa năm sinh thành 1962', 'đổi tên là …', 'sửa giới tính sang nữ' change the answer at once and come back to the summary", async () => {
    const c = citizen();
    await toSummary(c);
    await c.says("sửa năm sinh thành 1962");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("đổi tên là Lê Thị Hoa");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("sửa giới tính sang nữ");
    c.expectReply(/gửi đăng ký hay sửa/);
    await c.says("sửa năm sinh là 1963 chứ không phải 1962");
    c.expectReply(/gửi đăng ký hay sửa/);
    // A new answer not understood: the question, as after "sửa năm sinh".
    await c.says("sửa năm sinh thành hôm qua");
    c.expectReply(/sinh năm/);
    await c.says("1963");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Năm sinh: 1963/);
    expect(c.lastText).toMatch(/Họ tên: Lê Thị Hoa/);
    expect(c.lastText).toMatch(/Giới tính: Nữ/);
  });

  it("'ok gửi hồ sơ nhé' sends the registration; 'gửi sau' and 'không gửi' do not", async () => {
    const c = citizen();
    await toSummary(c);
    for (const text of ["gửi sau", "không gửi"]) {
      await c.says(text);
      c.expectReply(/gửi đăng ký hay sửa/);
    }
    await c.says("ok gửi hồ sơ nhé");
    c.expectReply(/Đã gửi/);
  });

  it("the edit menu takes a field's name", async () => {
    const c = citizen();
    await toSummary(c);
    await c.says("sửa");
    await c.says("giới tính");
    c.expectReply(/giới tính/i);
    await c.says("nữ");
    c.expectReply(/gửi đăng ký hay sửa/);
    // "sđt" is how a phone number is written short.
    await c.says("cho tôi sửa sđt");
    c.expectReply(/điện thoại/i);
    await c.says("0912 345 678");
    c.expectReply(/gửi đăng ký hay sửa/);
    expect(c.lastText).toMatch(/Điện thoại: \+84912345678|Điện thoại: 0912/);
  });

  it("commands inside polite sentences, and 'tiếng Anh' at the foreign-language question is an answer", async () => {
    const c = citizen();
    await toForeignLanguage(c);
    await c.says("tiếng Anh");
    expect(c.lastText).not.toMatch(/English|Switched/);
    c.expectReply(/ngoại ngữ/i);
    await c.says("giúp em với ạ");
    c.expectReply(/quay lại/).expectReply(/ngoại ngữ/i);
    await c.says("cho tôi xem lại thông tin");
    c.expectReply(/Dữ liệu tôi đang lưu/);
  });

  it("a command after a polite 'Dạ,' at 'Có phải ý bạn là …?' is the command, not a yes to the guess", async () => {
    const c = citizen();
    await toBirthYear(c);
    await c.says("sinh năm 72");
    c.expectReply(/1972\?/);
    await c.says("Dạ, tôi muốn hủy");
    c.expectReply(/chắc muốn hủy/);
    await c.taps("Làm tiếp");
    c.expectReply(/sinh năm/);
    await c.says("sinh năm 72");
    await c.says("sửa thông tin đã khai");
    c.expectReply(/sửa mục nào/);
    await c.taps("Họ tên");
    await c.says("Phạm Văn Tư");
    // The year was never taken from the guess: it is asked again.
    c.expectReply(/sinh năm/);
  });
});
