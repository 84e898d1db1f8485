import { describe, expect, it } from "vitest";
import { parseJsonPreservingBigIntegers } from "../../src/channels/shared/parseJsonPreservingBigIntegers.js";
import { WebhookPayloadError } from "../../src/channels/shared/errors.js";
import { textMark, type OutboundEcho } from "../../src/channels/shared/outboundEcho.js";
import { normalizeVietnamesePhone, parseZaloWebhook } from "../../src/channels/zalo/parseZaloWebhook.js";
import { zaloEvents } from "../fakes/signWebhooks.js";

const app = "360846524940903967";
const oa = "388613280878808645";
const user = "246845883529197922";
const ts = "1677721200000";

describe("parseZaloWebhook", () => {
  it("turns user_send_text into text, keeping ids as strings", () => {
    expect(parseZaloWebhook(zaloEvents.text(app, user, oa, "Tôi muốn đăng ký", "96d3cdf3af150460909", ts))).toEqual([
      { channel: "zalo", userId: user, eventId: "96d3cdf3af150460909", at: 1677721200000, kind: "text", text: "Tôi muốn đăng ký" },
    ]);
  });

  it("treats text that is one of the engine's button payloads as a button tap", () => {
    for (const payload of ["opt:group:student", "cmd:restart", "lang:en", "dec:8f2a.b-c", "nav:back"]) {
      expect(parseZaloWebhook(zaloEvents.text(app, user, oa, payload, `m-${payload}`, ts))[0]).toMatchObject({ kind: "payload", payload });
    }
    for (const text of ["opt: có", "cmd:", "option:1", "http://x.vn", "1"]) {
      expect(parseZaloWebhook(zaloEvents.text(app, user, oa, text, `m-${text}`, ts))[0]).toMatchObject({ kind: "text", text });
    }
  });

  it("follow → start, unfollow → unfollow, with the follower id and a synthesized event id", () => {
    expect(parseZaloWebhook(zaloEvents.follow(app, user, oa, ts))).toEqual([
      { channel: "zalo", userId: user, eventId: `follow:${ts}:${user}`, at: 1677721200000, kind: "start" },
    ]);
    const unfollow = { ...zaloEvents.follow(app, user, oa, ts), event_name: "unfollow" };
    expect(parseZaloWebhook(unfollow)[0]).toMatchObject({ kind: "unfollow", userId: user, eventId: `unfollow:${ts}:${user}` });
  });

  it("reads user_submit_info in the flat and the nested layout, phone as E.164, and reports the layout", () => {
    const layouts: string[] = [];
    const base = { app_id: app, event_name: "user_submit_info", timestamp: ts, sender: { id: user }, recipient: { id: oa } };
    const flat = { ...base, info: { name: "Nguyễn Văn A", phone: "84912345678", address: "12 Lê Lợi", ward: "P1", district: "Q1", city: "HCM" } };
    const nested = {
      ...base,
      info: { name: "Trần Thị B", phone: "84987654321", user_dob: "01/01/1990", gender: "female", full_address: { user_city: "Hà Nội", user_ward: "Phúc Xá", user_address: "1 Hàng Bạc" } },
    };
    const observer = { variant: (_name: string, value: string) => layouts.push(value) };
    expect(parseZaloWebhook(flat, observer)[0]).toMatchObject({ kind: "sharedInfo", name: "Nguyễn Văn A", phone: "+84912345678" });
    expect(parseZaloWebhook(nested, observer)[0]).toMatchObject({ kind: "sharedInfo", name: "Trần Thị B", phone: "+84987654321" });
    expect(layouts).toEqual(["flat", "nested"]);
  });

  it("turns images, stickers, voice, video, files, locations, gifs and links into media", () => {
    const kinds = ["image", "sticker", "audio", "video", "file", "location", "gif", "link"].map((what) => {
      const body = { app_id: app, event_name: `user_send_${what}`, timestamp: ts, sender: { id: user }, recipient: { id: oa }, message: { msg_id: `m-${what}`, attachments: [{ type: what, payload: {} }] } };
      const [event] = parseZaloWebhook(body);
      return event?.kind === "media" ? event.mediaType : event?.kind;
    });
    expect(kinds).toEqual(["image", "sticker", "audio", "video", "file", "location", "image", "other"]);
  });

  it("ignores receipts, and hands the OA's own echoes to the echo observer (never as events)", () => {
    const ignored: string[] = [];
    const echoes: OutboundEcho[] = [];
    for (const name of ["user_received_message", "user_seen_message", "oa_send_text", "oa_send_list"]) {
      const body = { app_id: app, event_name: name, timestamp: ts, sender: { id: oa }, recipient: { id: user }, message: { msg_id: "x", text: "hi" } };
      expect(parseZaloWebhook(body, { ignored: (item) => ignored.push(item.reason), echo: (echo) => echoes.push(echo) })).toEqual([]);
    }
    const withoutText = { app_id: app, event_name: "oa_send_image", timestamp: ts, sender: { id: oa }, recipient: { id: user }, message: { msg_id: "y" } };
    expect(parseZaloWebhook(withoutText, { ignored: (item) => ignored.push(item.reason), echo: (echo) => echoes.push(echo) })).toEqual([]);
    expect(ignored).toEqual(["user_received_message", "user_seen_message", "oa_send_image"]);
    expect(echoes).toEqual([
      { channel: "zalo", userId: user, mark: textMark("hi"), platformMessageId: "x" },
      { channel: "zalo", userId: user, mark: textMark("hi"), platformMessageId: "x" },
    ]);
  });

  it("keeps 19-digit ids exact even when they arrive as bare numbers", () => {
    const raw = `{"app_id":360846524940903967,"event_name":"user_send_text","timestamp":"${ts}","sender":{"id":2468458835296197922},"recipient":{"id":"${oa}"},"message":{"msg_id":"m1","text":"chào 1234567890123456789"}}`;
    const [event] = parseZaloWebhook(parseJsonPreservingBigIntegers(raw));
    expect(event).toMatchObject({ userId: "2468458835296197922", text: "chào 1234567890123456789" });
  });

  it("rejects a body that is not a Zalo event", () => {
    expect(() => parseZaloWebhook({ hello: "world" })).toThrow(WebhookPayloadError);
  });
});

describe("normalizeVietnamesePhone", () => {
  it("writes Zalo's 84… and local 0… numbers as E.164", () => {
    expect(normalizeVietnamesePhone("84912345678")).toBe("+84912345678");
    expect(normalizeVietnamesePhone("0912 345 678")).toBe("+84912345678");
    expect(normalizeVietnamesePhone("+84912345678")).toBe("+84912345678");
  });
});
