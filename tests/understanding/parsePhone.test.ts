import { describe, expect, it } from "vitest";
import { parsePhone } from "../../src/domain/understanding/index.js";

describe("parsePhone", () => {
  it.each([
    "0912 345 678",
    "0912.345.678",
    "0912-345-678",
    "0912345678",
    "+84 912345678",
    "84912345678",
    "(+84) 912 345 678",
    "+84 (0) 912 345 678",
    "0084 912 345 678",
    "sđt: 0912 345 678 ạ",
    "912345678",
  ])("%j → +84912345678", (input) => {
    expect(parsePhone(input)).toEqual({ status: "ok", e164: "+84912345678" });
  });

  it.each([
    ["0326 111 222", "+84326111222"],
    ["0522 123 456", "+84522123456"],
    ["0703123456", "+84703123456"],
    ["0868.999.000", "+84868999000"],
    ["0993 456 789", "+84993456789"],
  ])("accepts the mobile prefix of %j", (input, e164) => {
    expect(parsePhone(input)).toEqual({ status: "ok", e164 });
  });

  it("converts an old 11-digit number to its 2018 prefix", () => {
    expect(parsePhone("01662 345 678")).toEqual({ status: "ok", e164: "+84362345678" });
  });

  it.each([
    ["a Hà Nội landline", "024 3826 1234"],
    ["a Đà Nẵng landline", "0236 3822 111"],
    ["an unused prefix 095", "0951234567"],
    ["an unused prefix 031", "0312345678"],
    ["too short", "0912345"],
    ["too long", "09123456789"],
    ["two different numbers", "0912345678 hoặc 0987654321"],
    ["a foreign number", "+1 415 555 0100"],
    ["no number", "không có"],
  ])("rejects %s", (_, input) => {
    expect(parsePhone(input)).toEqual({ status: "invalid" });
  });

  it.each([
    ["không chín một hai ba bốn năm sáu bảy tám", "+84912345678"],
    ["khong chin tam bay sau nam bon ba hai mot", "+84987654321"],
    ["số của tôi là không chín tám bảy sáu năm bốn ba hai một", "+84987654321"],
  ])("reads a number said digit by digit (voice typing): %s", (input, e164) => {
    expect(parsePhone(input)).toEqual({ status: "ok", e164 });
  });

  it("does not read a few number words as a phone number", () => {
    expect(parsePhone("năm một chín sáu tám")).toEqual({ status: "invalid" });
  });
});
