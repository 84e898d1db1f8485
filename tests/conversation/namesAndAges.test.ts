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

  it("keeps the year and phone said with the name, says so, and does not ask for them again", async () => {
    const c = citizen();
    await toName(c);
    await c.says("Lê Thị Hoa\n1960\n0912 345 678");
    c.expectReply(/ghi họ tên của bạn là: Lê Thị Hoa\. Đúng không/);
    await c.taps("Đúng");
    c.expectReply(/Tôi cũng đã ghi năm sinh 1960, số điện thoại \+84912345678 bạn vừa nhắn/);
    c.expectReply(/giới tính/i);
    await c.taps("Nữ");
    // The phone question is not asked: the next one is the group.
    c.expectReply(/nhóm|đối tượng/i);
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Họ tên: Lê Thị Hoa/);
    expect(c.lastText).toMatch(/Năm sinh: 1960/);
    expect(c.lastText).toMatch(/0912345678|\+84912345678/);
  });

  it("asks for a year it is not sure of, and keeps a phone said with the year", async () => {
    const c = citizen();
    await toName(c);
    await c.says("Tôi tên Trần Văn Nam sinh năm 60");
    c.expectReply(/ghi họ tên của bạn là: Trần Văn Nam\. Đúng không/);
    await c.taps("Đúng");
    expect(c.lastText).not.toMatch(/cũng đã ghi/);
    c.expectReply(/sinh năm/);
    await c.says("1960, sđt 0987654321");
    c.expectReply(/cũng đã ghi số điện thoại \+84987654321/);
    c.expectReply(/giới tính/i);
  });

  it("keeps the hamlet said with the commune and does not ask for it again", async () => {
    const c = citizen();
    await c.says("đăng ký");
    await c.taps("Đồng ý");
    await c.says("phú thọ ạ");
    await c.says("Vĩnh Phú, thôn Tây");
    c.expectReply(/Tôi cũng đã ghi nơi ở Thôn Tây bạn vừa nhắn/);
    await c.taps("Không có ở đây");
    // The village question is not asked: the next one is the name.
    c.expectReply(/họ và tên/i);
    await c.says("Nguyễn Văn Tây");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Thôn\/tổ dân phố: Thôn Tây/);
  });
});

