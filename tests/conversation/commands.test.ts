import { describe, expect, it } from "vitest";
import { TestCitizen, conversationSuite } from "../support/testRuntime.js";

const suite = conversationSuite("cmd");
const citizen = suite.citizen;

/** Brings a citizen to a given question: "province", "birthYear", "criteria" (question 1) or "summary". */
async function reach(c: TestCitizen, stop: "province" | "birthYear" | "criteria" | "summary") {
  await c.says("đăng ký");
  await c.taps("Đồng ý");
  if (stop === "province") return c.expectReply(/tỉnh, thành phố nào/);
  await c.says("Phú Thọ");
  await c.says("Vĩnh Phú");
  await c.taps("Không có ở đây");
  await c.says("Thôn Đông");
  await c.says("Phạm Văn Tư");
  if (stop === "birthYear") return c.expectReply(/sinh năm/);
  await c.says("1970");
  await c.taps("Nam");
  await c.taps("Bỏ qua");
  await c.taps("Người dân trong xã");
  if (stop === "criteria") return c.expectReply(/Câu 1\/10/);
  for (const title of ["Hằng ngày", "Có, đã ghi rõ"]) await c.taps(title);
  await c.says("6 tiếng");
  for (const title of ["Thường xuyên", "Tra cứu, xem video", "Thành thạo", "Thường xuyên", "Thường xuyên", "Hòa thuận", "Thường xuyên"]) await c.taps(title);
  await c.says("Học tiếng Anh giao tiếp");
  return c.expectReply(/Bạn kiểm tra lại/);
}

const questionAt = { province: /tỉnh, thành phố nào/, birthYear: /sinh năm/, criteria: /Câu 1\/10/, summary: /gửi đăng ký hay sửa/ } as const;
const stops = ["province", "birthYear", "criteria", "summary"] as const;

describe("global commands work at every step, with or without diacritics, in Vietnamese and English", () => {
  for (const stop of stops) {
    it(`help, status, my data and language at the ${stop} question, then the same question again`, async () => {
      const c = citizen();
      await reach(c, stop);
      for (const help of ["trợ giúp", "tro giup", "help"]) {
        await c.says(help);
        c.expectReply(/quay lại/).expectReply(questionAt[stop]);
      }
      for (const status of ["trạng thái", "trang thai", "status"]) {
        await c.says(status);
        c.expectReply(/đã trả lời \d+\/\d+ câu/).expectReply(questionAt[stop]);
      }
      for (const myData of ["dữ liệu của tôi", "du lieu cua toi", "my data"]) {
        await c.says(myData);
        c.expectReply(/Dữ liệu tôi đang lưu về bạn/).expectReply(/Đồng ý xử lý dữ liệu lúc/).expectReply(questionAt[stop]);
        if (stop !== "province") c.expectReply(/Phạm Văn Tư/);
      }
      await c.says("ngon ngu");
      await c.taps("English");
      c.expectReply(/Switched to English/);
      await c.says("language");
      await c.taps("Tiếng Việt");
      c.expectReply(/Đã chuyển sang tiếng Việt/).expectReply(questionAt[stop]);
    });

    it(`back and edit at the ${stop} question`, async () => {
      const c = citizen();
      await reach(c, stop);
      await c.says(stop === "birthYear" ? "quay lai" : "quay lại");
      if (stop === "province") c.expectReply(/câu đầu tiên/).expectReply(questionAt.province);
      if (stop === "birthYear") c.expectReply(/Câu trước bạn đã trả lời: Phạm Văn Tư/).expectReply(/Họ và tên/);
      if (stop === "criteria") c.expectReply(/Câu trước bạn đã trả lời: Người dân trong xã/).expectReply(/nhóm nào/);
      if (stop === "summary") c.expectReply(/Câu trước bạn đã trả lời: Học tiếng Anh giao tiếp/).expectReply(/kế hoạch học tập/);
      await c.says("edit");
      if (stop === "province") c.expectReply(/Chưa có câu trả lời nào để sửa/);
      else c.expectReply(/sửa mục nào/).expectButtons("Họ tên");
    });

    it(`cancel at the ${stop} question asks first, and "no" keeps everything`, async () => {
      const c = citizen();
      await reach(c, stop);
      await c.says("huy");
      c.expectReply(/chắc muốn hủy/);
      await c.taps("Làm tiếp");
      c.expectReply(/làm tiếp/).expectReply(questionAt[stop]);
      await c.says("cancel");
      await c.taps("Hủy đăng ký");
      c.expectReply(/Đã hủy/);
      await c.says("trạng thái");
      c.expectReply(/đã hủy/);
      await c.says("đăng ký");
      c.expectReply(/đồng ý/i);
    });
  }

  it("status after sending without a branch says the commune association places it (no branch head waits on it yet)", async () => {
    const c = citizen();
    await reach(c, "summary");
    await c.taps("Gửi");
    c.expectReply(/Hội Khuyến học xã sẽ xếp/);
    await c.says("trạng thái");
    c.expectReply(/đang chờ Hội Khuyến học xã xếp chi hội/);
    expect(c.lastText).not.toMatch(/chi hội trưởng/);
  });

  it("at 'delete everything?' and 'cancel?' a yes must be unmistakable: 'ok giữ lại', 'ừ mà thôi làm tiếp' keep everything", async () => {
    const c = citizen();
    await reach(c, "birthYear");
    await c.says("xóa dữ liệu");
    c.expectReply(/xóa toàn bộ dữ liệu/);
    await c.says("ok giữ lại");
    c.expectReply(/giữ nguyên/).expectReply(/sinh năm/);
    await c.says("xóa dữ liệu");
    await c.says("dạ tôi chỉ muốn sửa tên");
    expect(c.lastText).not.toMatch(/Đã xóa/);
    await c.says("hủy");
    c.expectReply(/chắc muốn hủy/);
    await c.says("ừ mà thôi làm tiếp");
    c.expectReply(/làm tiếp/);
    await c.says("dữ liệu của tôi");
    c.expectReply(/Phạm Văn Tư/);
    await c.says("xóa dữ liệu");
    await c.says("vâng, xóa hết đi");
    c.expectReply(/Đã xóa toàn bộ dữ liệu/);
  });

  it("delete my data asks first, then removes the person and their answers", async () => {
    const c = citizen();
    await reach(c, "birthYear");
    await c.says("xoa du lieu");
    c.expectReply(/xóa toàn bộ dữ liệu/);
    await c.taps("Giữ lại");
    c.expectReply(/giữ nguyên/).expectReply(/sinh năm/);
    const db = suite.test.runtime.database.db;
    const before = await db.query.channelIdentities.findFirst({ where: (t, { eq }) => eq(t.userId, c.userId) });
    expect(before?.personId).toBeTruthy();
    await c.says("delete my data");
    await c.taps("Xóa hết");
    c.expectReply(/Đã xóa toàn bộ dữ liệu/);
    const identity = await db.query.channelIdentities.findFirst({ where: (t, { eq }) => eq(t.userId, c.userId) });
    expect(identity).toBeUndefined();
    expect(await db.query.people.findFirst({ where: (t, { eq }) => eq(t.id, before?.personId ?? "") })).toBeUndefined();
    expect(await db.query.registrations.findFirst({ where: (t, { eq }) => eq(t.personId, before?.personId ?? "") })).toBeUndefined();
    expect(await db.query.inboundEvents.findMany({ where: (t, { eq }) => eq(t.userId, c.userId) })).toHaveLength(0);
    await c.says("dữ liệu của tôi");
    c.expectReply(/không lưu dữ liệu nào/);
  });

  it("a registration code typed as 'dk <code>' pre-selects the branch", async () => {
    const c = citizen();
    await c.says("dk tnua01");
    await c.taps("Đồng ý");
    c.expectReply(/Chi hội khuyến học bản Him Lam/).expectReply(/thôn, bản/);
    const other = citizen();
    await other.says("DK ZZZ999");
    other.expectReply(/không tìm thấy chi hội có mã "ZZZ999"/);
  });
});

describe("answers that look like commands", () => {
  it("takes 'tiếng Anh' as a learning plan, and a thumbs-up is not consent", async () => {
    const c = citizen();
    await c.says("đăng ký");
    await c.says("👍");
    c.expectReply(/vui lòng chọn "Đồng ý"/);
    await reach(c, "summary");
    await c.says("quay lại");
    c.expectReply(/kế hoạch học tập/);
    await c.says("tiếng Anh");
    c.expectReply(/Bạn kiểm tra lại/).expectReply(/Kế hoạch \(tự viết\): tiếng Anh/);
  });
});
