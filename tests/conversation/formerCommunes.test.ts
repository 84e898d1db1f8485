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
