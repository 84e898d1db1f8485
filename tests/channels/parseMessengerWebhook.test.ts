import { describe, expect, it } from "vitest";
import { messengerGetStartedPayload, parseMessengerWebhook } from "../../src/channels/messenger/parseMessengerWebhook.js";
import { WebhookPayloadError } from "../../src/channels/shared/errors.js";
import { messengerEchoMetadata, partMark, type OutboundEcho } from "../../src/channels/shared/outboundEcho.js";
import type { IgnoredWebhookItem } from "../../src/channels/shared/webhookParseObserver.js";
import { messengerEvents } from "../fakes/signWebhooks.js";

const page = "106000000000001";
const t = 1_700_000_000_000;

describe("parseMessengerWebhook", () => {
  it("keeps every event of a batch with 3 people, one person's 2 events in order", () => {
    const body = messengerEvents.batch(
      page,
      [messengerEvents.text("111", page, "xin chào", "m_1", t), messengerEvents.text("222", page, "đăng ký", "m_2", t + 1)],
      [messengerEvents.text("111", page, "Nguyễn Văn A", "m_3", t + 2), messengerEvents.text("333", page, "hi", "m_4", t + 3)],
    );
    const events = parseMessengerWebhook(body);
    expect(events.map((event) => [event.userId, event.eventId])).toEqual([
      ["111", "m_1"],
      ["222", "m_2"],
      ["111", "m_3"],
      ["333", "m_4"],
    ]);
    expect(events[0]).toEqual({ channel: "messenger", userId: "111", eventId: "m_1", at: t, kind: "text", text: "xin chào" });
  });

  it("ignores echoes, delivery and read receipts, and reports them", () => {
    const ignored: IgnoredWebhookItem[] = [];
    const body = messengerEvents.batch(page, [
      { sender: { id: page }, recipient: { id: "111" }, timestamp: t, message: { is_echo: true, app_id: 1517776481860111, mid: "m_echo", text: "bot" } },
      { sender: { id: "111" }, recipient: { id: page }, timestamp: t, delivery: { mids: ["m_echo"], watermark: t } },
      { sender: { id: "111" }, recipient: { id: page }, timestamp: t, read: { watermark: t } },
      messengerEvents.text("111", page, "còn đây", "m_5", t + 5),
    ]);
    expect(parseMessengerWebhook(body, { ignored: (item) => ignored.push(item) }).map((event) => event.eventId)).toEqual(["m_5"]);
    expect(ignored.map((item) => item.reason)).toEqual(["echo", "delivery", "read"]);
  });

  it("hands the echo of one of our outbox calls (its metadata names the row and part) to the echo observer", () => {
    const ignored: IgnoredWebhookItem[] = [];
    const echoes: OutboundEcho[] = [];
    const echo = (metadata: string | undefined) => ({
      sender: { id: page },
      recipient: { id: "111" },
      timestamp: t,
      message: { is_echo: true, app_id: 1517776481860111, mid: "m_echo", text: "bot", ...(metadata === undefined ? {} : { metadata }) },
    });
    const body = messengerEvents.batch(page, [echo(messengerEchoMetadata(42, 1)), echo("something else"), echo(undefined)]);
    expect(parseMessengerWebhook(body, { ignored: (item) => ignored.push(item), echo: (item) => echoes.push(item) })).toEqual([]);
    expect(echoes).toEqual([{ channel: "messenger", userId: "111", outboxId: 42, mark: partMark(1) }]);
    expect(ignored.map((item) => item.reason)).toEqual(["echo", "echo"]);
  });

  it("reads standby[] after messaging[] of the same entry", () => {
    const body = {
      object: "page",
      entry: [{ id: page, time: t, messaging: [messengerEvents.text("111", page, "a", "m_a", t)], standby: [messengerEvents.text("111", page, "b", "m_b", t + 1)] }],
    };
    expect(parseMessengerWebhook(body).map((event) => event.eventId)).toEqual(["m_a", "m_b"]);
  });

  it("turns a quick reply into a payload with its title as text", () => {
    const [event] = parseMessengerWebhook(messengerEvents.batch(page, [messengerEvents.quickReply("111", page, "Có", "opt:consent:yes", "m_q", t)]));
    expect(event).toMatchObject({ kind: "payload", payload: "opt:consent:yes", text: "Có", eventId: "m_q" });
  });

  it("turns postbacks into payloads, Get Started into start, a postback referral into start with ref", () => {
    const events = parseMessengerWebhook(
      messengerEvents.batch(page, [
        messengerEvents.postback("111", page, "Xác nhận", "dec:abc123", "m_p1", t),
        messengerEvents.postback("222", page, "Bắt đầu", messengerGetStartedPayload, "m_p2", t),
        { sender: { id: "333" }, recipient: { id: page }, timestamp: t, postback: { title: "Bắt đầu", payload: messengerGetStartedPayload, referral: { ref: "CH01", source: "SHORTLINK", type: "OPEN_THREAD" } } },
      ]),
    );
    expect(events[0]).toMatchObject({ kind: "payload", payload: "dec:abc123", eventId: "m_p1" });
    expect(events[1]).toMatchObject({ kind: "start", eventId: "m_p2" });
    expect(events[1]).not.toHaveProperty("ref");
    expect(events[2]).toMatchObject({ kind: "start", ref: "CH01", eventId: `postback:333:${t}` });
  });

  it("turns a referral (m.me link with ref) into start with ref", () => {
    const [event] = parseMessengerWebhook(
      messengerEvents.batch(page, [{ sender: { id: "111" }, recipient: { id: page }, timestamp: t, referral: { ref: "CH42", source: "SHORTLINK", type: "OPEN_THREAD" } }]),
    );
    expect(event).toEqual({ channel: "messenger", userId: "111", at: t, eventId: `referral:111:${t}`, kind: "start", ref: "CH42" });
  });

  it("turns attachments and stickers into media", () => {
    const events = parseMessengerWebhook(
      messengerEvents.batch(page, [
        { sender: { id: "111" }, recipient: { id: page }, timestamp: t, message: { mid: "m_i", attachments: [{ type: "image", payload: { url: "https://x/y.jpg" } }] } },
        { sender: { id: "111" }, recipient: { id: page }, timestamp: t, message: { mid: "m_s", sticker_id: 369239263222822, attachments: [{ type: "image", payload: {} }] } },
        { sender: { id: "111" }, recipient: { id: page }, timestamp: t, message: { mid: "m_r", attachments: [{ type: "reel", payload: {} }] } },
      ]),
    );
    expect(events.map((event) => (event.kind === "media" ? event.mediaType : event.kind))).toEqual(["image", "sticker", "other"]);
  });

  it("normalises second timestamps to milliseconds", () => {
    const [event] = parseMessengerWebhook(messengerEvents.batch(page, [messengerEvents.postback("111", page, "x", "cmd:help", "m_x", 1527459824)]));
    expect(event?.at).toBe(1527459824000);
  });

  it("skips a malformed item without losing the rest, and rejects a malformed envelope", () => {
    const ignored: IgnoredWebhookItem[] = [];
    const body = messengerEvents.batch(page, [{ sender: {}, timestamp: "x" }, messengerEvents.text("111", page, "ok", "m_ok", t)]);
    expect(parseMessengerWebhook(body, { ignored: (item) => ignored.push(item) }).map((event) => event.eventId)).toEqual(["m_ok"]);
    expect(ignored).toHaveLength(1);
    expect(() => parseMessengerWebhook({ object: "page", entry: "nope" })).toThrow(WebhookPayloadError);
  });
});
