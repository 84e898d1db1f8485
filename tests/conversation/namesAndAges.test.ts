import { describe, expect, it } from "vitest";
import { TestCitizen, conversationSuite } from "../support/testRuntime.js";

// Issue 11: names without titles and fillers, shown back when we changed them or they came without diacritics;
// "ok" is not a name; "bác 70 rồi" is an age.
const suite = conversationSuite("names");
const citizen = suite.citizen;

async function toName(c: TestCitizen) {
  await c.says("đăng ký");
  await c.taps("Đồng ý");
  await c.says("phú thọ ạ");
  await c.says("Vĩnh Phú");
  await c.taps("Không có ở đây");
  await c.says("Thôn Đông");
  return c.expectReply(/họ và tên/i);
}

describe("names and ages as people type them", () => {
  it("asks again for 'ok', takes the title off 'bác …' and shows it back, reads 'bác 70 rồi' as an age", async () => {
    const c = citizen();
    await toName(c);
    await c.says("ok");
    c.expectReply(/chưa phải họ tên/);
    await c.says("bác Nguyễn Văn Ba");
    c.expectReply(/ghi họ tên của bạn là: Nguyễn Văn Ba\. Đúng không/);
    await c.taps("Đúng");
    c.expectReply(/sinh năm/);
    await c.says("bác 70 rồi");
    c.expectReply(/Có phải ý bạn là: 1956/);
    await c.says("đúng rồi");
    c.expectReply(/giới tính/i);
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Họ tên: Nguyễn Văn Ba/);
    expect(c.lastText).toMatch(/Năm sinh: 1956/);
  });

  it("keeps a word we took for a title when the person says it is part of the name", async () => {
    const c = citizen();
    await toName(c);
    await c.says("dạ tôi là Ông Ích Khiêm ạ");
    c.expectReply(/ghi họ tên của bạn là: Ích Khiêm\. Đúng không/);
    await c.says("không");
    c.expectReply(/sinh năm/);
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Họ tên: Ông Ích Khiêm/);
  });
});
