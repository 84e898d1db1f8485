import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createMessengerWebhookRouter } from "../../src/channels/messenger/messengerWebhookRouter.js";
import { ChannelNotConfiguredError } from "../../src/channels/shared/errors.js";
import { messengerEchoMetadata, partMark, textMark, type OutboundEcho } from "../../src/channels/shared/outboundEcho.js";
import { createZaloWebhookRouter } from "../../src/channels/zalo/zaloWebhookRouter.js";
import { createFakeConversationInbox } from "../fakes/fakeConversationInbox.js";
import { listenOnLoopback, type LoopbackServer } from "../fakes/listenOnLoopback.js";
import { messengerEvents, postWebhook, signedMessengerWebhook, signedZaloWebhook, zaloEvents } from "../fakes/signWebhooks.js";
import { silentLogger } from "./support/silentLogger.js";

const config = {
  MESSENGER_APP_SECRET: "messenger-app-secret",
  MESSENGER_VERIFY_TOKEN: "verify-me",
  ZALO_APP_ID: "360846524940903967",
  ZALO_OA_ID: "388613280878808645",
  ZALO_OA_SECRET_KEY: "zalo-oa-secret",
  ZALO_APP_SECRET: "zalo-app-secret",
  WEBHOOK_BODY_LIMIT: "4kb",
};
const page = "106000000000001";
const zaloKeys = { appId: config.ZALO_APP_ID, oaSecretKey: config.ZALO_OA_SECRET_KEY };

let fake = createFakeConversationInbox();
let server: LoopbackServer;
/** What the routers handed to the echo recorder; `echoFailure` makes the next recording throw. */
let echoes: OutboundEcho[] = [];
let echoFailure: Error | null = null;
const recordEchoes = async (list: readonly OutboundEcho[]) => {
  if (echoFailure) throw echoFailure;
  echoes.push(...list);
};

beforeAll(async () => {
  const app = express();
  const inbox = {
    record: (event: Parameters<typeof fake.inbox.record>[0]) => fake.inbox.record(event),
    drain: (identity: Parameters<typeof fake.inbox.drain>[0]) => fake.inbox.drain(identity),
  };
  app.use(createMessengerWebhookRouter({ config, inbox, log: silentLogger, recordEchoes }));
  app.use(createZaloWebhookRouter({ config, inbox, log: silentLogger, recordEchoes }));
  server = await listenOnLoopback(app);
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  fake = createFakeConversationInbox();
  echoes = [];
  echoFailure = null;
});

describe("echoes of the bot's own messages", () => {
  it("are recorded (never as events) and answered 200; a failed recording answers 5xx so the platform sends them again", async () => {
    const t = 1_700_000_000_000;
    const messengerEcho = messengerEvents.batch(page, [
      { sender: { id: page }, recipient: { id: "111" }, timestamp: t, message: { is_echo: true, app_id: 1, mid: "m_e", text: "Chào bạn", metadata: messengerEchoMetadata(7, 0) } },
    ]);
    const zaloEcho = { app_id: config.ZALO_APP_ID, event_name: "oa_send_text", timestamp: String(t), sender: { id: config.ZALO_OA_ID }, recipient: { id: "222" }, message: { msg_id: "z1", text: "Chào bạn" } };
    expect(await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(config.MESSENGER_APP_SECRET, messengerEcho))).toEqual({ status: 200, text: "EVENT_RECEIVED" });
    expect((await postWebhook(`${server.url}/webhooks/zalo`, signedZaloWebhook(zaloKeys, zaloEcho))).status).toBe(200);
    expect(echoes).toEqual([
      { channel: "messenger", userId: "111", outboxId: 7, mark: partMark(0) },
      { channel: "zalo", userId: "222", mark: textMark("Chào bạn"), platformMessageId: "z1" },
    ]);
    expect(fake.recorded.items).toEqual([]);
    echoFailure = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect((await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(config.MESSENGER_APP_SECRET, messengerEcho))).status).toBeGreaterThanOrEqual(500);
  });
});

describe("Messenger webhook", () => {
  it("answers the subscription handshake with the challenge, and 403 to a wrong token", async () => {
    const ok = await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
    expect([ok.status, await ok.text()]).toEqual([200, "1158201444"]);
    const wrong = await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });

  it("records a batch of 3 people in order, then drains each person once in order of first appearance", async () => {
    const t = 1_700_000_000_000;
    const body = messengerEvents.batch(
      page,
      [messengerEvents.text("111", page, "đăng ký", "m_1", t), messengerEvents.text("222", page, "chào", "m_2", t + 1)],
      [messengerEvents.text("111", page, "Nguyễn Văn A", "m_3", t + 2), messengerEvents.quickReply("333", page, "Có", "opt:consent:yes", "m_4", t + 3)],
    );
    const response = await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(config.MESSENGER_APP_SECRET, body));
    expect(response).toEqual({ status: 200, text: "EVENT_RECEIVED" });
    expect(fake.recorded.items.map((event) => event.eventId)).toEqual(["m_1", "m_2", "m_3", "m_4"]);
    await fake.drained.waitFor(3);
    expect(fake.drained.items).toEqual([
      { channel: "messenger", userId: "111" },
      { channel: "messenger", userId: "222" },
      { channel: "messenger", userId: "333" },
    ]);
  });

  it("records a webhook delivered 3 times once", async () => {
    const webhook = signedMessengerWebhook(config.MESSENGER_APP_SECRET, messengerEvents.batch(page, [messengerEvents.text("111", page, "hi", "m_dup", 1)]));
    const answers = await Promise.all([1, 2, 3].map(() => postWebhook(`${server.url}/webhooks/messenger`, webhook)));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(fake.recorded.items).toHaveLength(1);
  });

  it("answers 401 with no effect to a forged, tampered or unsigned request", async () => {
    const body = messengerEvents.batch(page, [messengerEvents.text("111", page, "hi", "m_forged", 1)]);
    const forged = signedMessengerWebhook("not-the-secret", body);
    const signed = signedMessengerWebhook(config.MESSENGER_APP_SECRET, body);
    const tampered = { ...signed, body: signed.body.replace('"hi"', '"ha"') };
    const unsigned = { body: signed.body, headers: { "content-type": "application/json" } };
    for (const request of [forged, tampered, unsigned]) {
      expect((await postWebhook(`${server.url}/webhooks/messenger`, request)).status).toBe(401);
    }
    expect(fake.recorded.items).toEqual([]);
    expect(fake.drained.items).toEqual([]);
  });

  it("answers 404 to a signed webhook for another object", async () => {
    const webhook = signedMessengerWebhook(config.MESSENGER_APP_SECRET, { object: "instagram", entry: [] });
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBe(404);
  });

  it("answers 413 to a body over the limit, before anything else", async () => {
    const body = messengerEvents.batch(page, [messengerEvents.text("111", page, "x".repeat(5000), "m_big", 1)]);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(config.MESSENGER_APP_SECRET, body))).status).toBe(413);
    expect(fake.recorded.items).toEqual([]);
  });

  it("answers 500 when recording fails (so Meta retries), and records on the redelivery", async () => {
    const webhook = signedMessengerWebhook(
      config.MESSENGER_APP_SECRET,
      messengerEvents.batch(page, [messengerEvents.text("111", page, "a", "m_r1", 1), messengerEvents.text("111", page, "b", "m_r2", 2)]),
    );
    fake.failNextRecords(1);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBe(500);
    expect(fake.drained.items).toEqual([]);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBe(200);
    expect(fake.recorded.items.map((event) => event.eventId)).toEqual(["m_r1", "m_r2"]);
  });

  it("records and handles the good events of a batch with one it cannot record, and takes that one on the redelivery", async () => {
    const webhook = signedMessengerWebhook(
      config.MESSENGER_APP_SECRET,
      messengerEvents.batch(page, [
        messengerEvents.text("111", page, "a", "m_p1", 1),
        messengerEvents.text("222", page, "poison", "m_p2", 2),
        messengerEvents.text("222", page, "after it", "m_p3", 3),
        messengerEvents.text("333", page, "c", "m_p4", 4),
      ]),
    );
    fake.failRecordingOf("m_p2");
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBe(500);
    // Person 222's later message waits for the redelivery, so their order holds; the others are handled at once.
    expect(fake.recorded.items.map((event) => event.eventId)).toEqual(["m_p1", "m_p4"]);
    await fake.drained.waitFor(2);
    expect(fake.drained.items).toEqual([
      { channel: "messenger", userId: "111" },
      { channel: "messenger", userId: "333" },
    ]);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, webhook)).status).toBe(200);
    expect(fake.recorded.items.map((event) => event.eventId)).toEqual(["m_p1", "m_p4", "m_p2", "m_p3"]);
  });
});

describe("Zalo webhook", () => {
  const user = "246845883529197922";

  it("answers any GET with 200", async () => {
    expect((await fetch(`${server.url}/webhooks/zalo`)).status).toBe(200);
    expect((await fetch(`${server.url}/webhooks/zalo?verify=1`)).status).toBe(200);
  });

  it("records a signed text and drains the person", async () => {
    const webhook = signedZaloWebhook(zaloKeys, zaloEvents.text(config.ZALO_APP_ID, user, config.ZALO_OA_ID, "Tôi muốn đăng ký", "msg-1", "1677721200000"));
    expect(await postWebhook(`${server.url}/webhooks/zalo`, webhook)).toEqual({ status: 200, text: "ok" });
    expect(fake.recorded.items).toEqual([{ channel: "zalo", userId: user, eventId: "msg-1", at: 1677721200000, kind: "text", text: "Tôi muốn đăng ký" }]);
    expect(await fake.drained.waitFor(1)).toEqual({ channel: "zalo", userId: user });
  });

  it("accepts every documented signature variant and records a query-button tap as a payload", async () => {
    const variants = [
      { firstTerm: config.ZALO_OA_ID },
      { secret: config.ZALO_APP_SECRET },
      { firstTerm: config.ZALO_OA_ID, secret: config.ZALO_APP_SECRET },
      { timestampHeader: true },
    ];
    for (const [index, variant] of variants.entries()) {
      const webhook = signedZaloWebhook(zaloKeys, zaloEvents.text(config.ZALO_APP_ID, user, config.ZALO_OA_ID, "opt:group:student", `msg-v${index}`), variant);
      expect((await postWebhook(`${server.url}/webhooks/zalo`, webhook)).status).toBe(200);
    }
    expect(fake.recorded.items.map((event) => event.kind)).toEqual(["payload", "payload", "payload", "payload"]);
  });

  it("answers 401 with no effect to a wrong secret, a tampered body or a missing signature", async () => {
    const payload = zaloEvents.text(config.ZALO_APP_ID, user, config.ZALO_OA_ID, "hi", "msg-forged");
    const forged = signedZaloWebhook(zaloKeys, payload, { secret: "wrong" });
    const signed = signedZaloWebhook(zaloKeys, payload);
    const tampered = { ...signed, body: signed.body.replace('"hi"', '"ha"') };
    const unsigned = { body: signed.body, headers: { "content-type": "application/json" } };
    const notJson = { body: "hello", headers: { "x-zevent-signature": `mac=${"0".repeat(64)}` } };
    for (const request of [forged, tampered, unsigned, notJson]) expect((await postWebhook(`${server.url}/webhooks/zalo`, request)).status).toBe(401);
    expect(fake.recorded.items).toEqual([]);
    expect(fake.drained.items).toEqual([]);
  });

  it("answers 200 without recording receipts, and 413 to a body over the limit", async () => {
    const receipt = { app_id: config.ZALO_APP_ID, event_name: "user_seen_message", timestamp: "1", sender: { id: config.ZALO_OA_ID }, recipient: { id: user }, message: { msg_ids: ["a"] } };
    expect((await postWebhook(`${server.url}/webhooks/zalo`, signedZaloWebhook(zaloKeys, receipt))).status).toBe(200);
    const big = signedZaloWebhook(zaloKeys, zaloEvents.text(config.ZALO_APP_ID, user, config.ZALO_OA_ID, "x".repeat(5000), "msg-big"));
    expect((await postWebhook(`${server.url}/webhooks/zalo`, big)).status).toBe(413);
    expect(fake.recorded.items).toEqual([]);
  });

  it("answers 500 when recording fails", async () => {
    fake.failNextRecords(1);
    const webhook = signedZaloWebhook(zaloKeys, zaloEvents.follow(config.ZALO_APP_ID, user, config.ZALO_OA_ID));
    expect((await postWebhook(`${server.url}/webhooks/zalo`, webhook)).status).toBe(500);
    expect((await postWebhook(`${server.url}/webhooks/zalo`, webhook)).status).toBe(200);
    expect(fake.recorded.items.map((event) => event.kind)).toEqual(["start"]);
  });
});

it("refuses to build a router for an unconfigured channel", () => {
  expect(() => createZaloWebhookRouter({ config: { ...config, ZALO_OA_SECRET_KEY: undefined }, inbox: fake.inbox, log: silentLogger })).toThrow(ChannelNotConfiguredError);
  expect(() => createMessengerWebhookRouter({ config: { ...config, MESSENGER_APP_SECRET: undefined }, inbox: fake.inbox, log: silentLogger })).toThrow(ChannelNotConfiguredError);
});
