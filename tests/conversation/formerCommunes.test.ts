import { describe, expect, it } from "vitest";
import { TestCitizen, conversationSuite } from "../support/testRuntime.js";

// Issue 11: people name the commune they always lived in; since July 2025 it is part of a new one. The demo data
// ships the mapping for its communes (from former-communes.csv).
const suite = conversationSuite("former");
const citizen = suite.citizen;

async function toCommune(c: TestCitizen, province: string) {
  await c.says("đăng ký");
  await c.taps("Đồng ý");
  await c.says(province);
  return c.expectReply(/xã, phường nào/);
}

describe("communes of before July 2025", () => {
  it("an old ward is shown with the new one to confirm, then taken", async () => {
    const c = citizen();
    await toCommune(c, "Hà Nội");
    await c.says("phuong phuc la");
    c.expectReply(/Phường Phúc La \(Quận Hà Đông\) cũ nay thuộc Phường Hà Đông — đúng không ạ\?/);
    await c.taps("Đúng");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Hà Đông/);
  });

  it("an old name typed with a typo is still recognised and shown spelt right with its new commune", async () => {
    const c = citizen();
    await toCommune(c, "Hà Nội");
    await c.says("phuong phuc laa");
    c.expectReply(/Phường Phúc La \(Quận Hà Đông\) cũ nay thuộc Phường Hà Đông — đúng không ạ\?/);
    await c.taps("Đúng");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Hà Đông/);
  });

  it("an old ward split between two new ones asks which", async () => {
    const c = citizen();
    await toCommune(c, "Hà Nội");
    await c.says("Trương Định");
    c.expectReply(/nhiều nơi tên Phường Trương Định/);
    expect(c.buttonTitles).toEqual(expect.arrayContaining(["Phường Bạch Mai (Quận Hai Bà Trưng cũ)", "Phường Tương Mai (Quận Hai Bà Trưng cũ)"]));
    await c.taps("Phường Tương Mai (Quận Hai Bà Trưng cũ)");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Tương Mai/);
  });

  it("a name that is a commune today is that commune, not an old one", async () => {
    const c = citizen();
    await toCommune(c, "Hà Nội");
    await c.says("Bạch Mai");
    expect(c.lastText).not.toMatch(/cũ nay thuộc/);
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Bạch Mai/);
  });

  it("a name of today that a former ward merged elsewhere also had asks which: today's or the old one", async () => {
    const c = citizen();
    await toCommune(c, "Điện Biên");
    await c.says("mường thanh");
    c.expectReply(/Hiện nay có Phường Mường Thanh; trước tháng 7\/2025 cũng có nơi cùng tên/);
    expect(c.buttonTitles).toEqual(["Phường Mường Thanh (hiện nay)", "Phường Điện Biên Phủ (Thành phố Điện Biên Phủ cũ)"]);
    await c.taps("Phường Điện Biên Phủ (Thành phố Điện Biên Phủ cũ)");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Điện Biên Phủ/);
    // The same question typed "hiện nay" is today's.
    const d = citizen();
    await toCommune(d, "Điện Biên");
    await d.says("Mường Thanh");
    await d.says("hiện nay");
    await d.says("dữ liệu của tôi");
    expect(d.lastText).toMatch(/Xã\/phường: Phường Mường Thanh/);
  });

  it("a commune said with the province ('tôi ở Đông Anh Hà Nội') is shown back at once; 'không phải' asks for it", async () => {
    const c = citizen();
    await c.says("đăng ký");
    await c.taps("Đồng ý");
    await c.says("tôi ở Đông Anh Hà Nội");
    c.expectReply(/Xã Đông Anh, Thành phố Hà Nội — đúng không ạ\?/);
    await c.taps("Đúng");
    c.expectReply(/chi hội khuyến học nào/);
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Xã Đông Anh/);
    const d = citizen();
    await d.says("đăng ký");
    await d.taps("Đồng ý");
    await d.says("xã vĩnh phú, phú thọ");
    await d.taps("Không phải");
    d.expectReply(/xã, phường nào của Tỉnh Phú Thọ/);
    // A city's nickname names the city, not its ward of that name; a name an old ward had too is asked about there.
    const e = citizen();
    await e.says("đăng ký");
    await e.taps("Đồng ý");
    await e.says("mường thanh điện biên");
    e.expectReply(/xã, phường nào của Tỉnh Điện Biên/);
  });

  it("an old district named instead of the commune lists the new communes made from it", async () => {
    const c = citizen();
    await toCommune(c, "Hà Nội");
    await c.says("quận Hai Bà Trưng");
    c.expectReply(/Quận Hai Bà Trưng cũ nay gồm/);
    expect(c.buttonTitles).toEqual(expect.arrayContaining(["Phường Bạch Mai"]));
    await c.taps("Phường Bạch Mai");
    await c.says("dữ liệu của tôi");
    expect(c.lastText).toMatch(/Xã\/phường: Phường Bạch Mai/);
  });
});
