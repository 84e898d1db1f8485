import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeGraphApi } from "../fakes/fakeGraphApi.js";
import type { FakeZaloApi } from "../fakes/fakeZaloApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook, signedZaloWebhook, zaloEvents } from "../fakes/signWebhooks.js";
import { WebchatClient, type ServerProcess } from "../support/serverProcess.js";
import { buttonFor, settled, testPage, testZaloOa, startFakePlatformWorld, type FakePlatformWorld } from "../support/platformHelpers.js";

// One server started as `npm start` is, with only environment variables: Messenger and Zalo pointed at fake
// platform servers on loopback, PostgreSQL and Redis shared with the test.
const page = testPage;
const zaloKeys = testZaloOa;
let graph: FakeGraphApi;
let zalo: FakeZaloApi;
let server: ServerProcess;
let database: pg.Client;
let world: FakePlatformWorld;
let environment: Record<string, string | undefined>;
let sequence = 0;

beforeAll(async () => {
  // Every level on: the log of whole registrations is checked for the citizen's name and phone below.
  world = await startFakePlatformWorld({ LOG_LEVEL: "trace" });
  ({ graph, zalo, server, database, environment } = world);
}, 120_000);

afterAll(async () => {
  await world?.close();
});



type Answer = { type: "text" | "tap"; value: string };
const t = (value: string): Answer => ({ type: "text", value });
const tap = (value: string): Answer => ({ type: "tap", value });

const script: Answer[] = [
  t("đăng ký"), tap("Đồng ý"), t("Phú Thọ"), t("Vĩnh Phú"), tap("Không có ở đây"), t("Thôn Đông"), t("Trần Văn Ba"), t("1972"), tap("Nam"),
  t("0912 345 678"), tap("Người lao động"), tap("Hằng ngày"), tap("Có, đã ghi rõ"), t("2 tiếng mỗi tuần"), tap("Thường xuyên"),
  tap("Tra cứu, xem video"), tap("Công việc không cần"), tap("Thường xuyên"), tap("Thỉnh thoảng"), tap("Hòa thuận"), tap("Thường xuyên"),
  t("Học kỹ thuật trồng cây ăn quả"), tap("Gửi"),
];

async function messengerSays(psid: string, answer: Answer) {
  const mid = `m_${++sequence}`;
  let event;
  if (answer.type === "text") event = messengerEvents.text(psid, page.pageId, answer.value, mid);
  else {
    const last = [...graph.sent.items].reverse().find((entry) => entry.recipientId === psid);
    const message = last?.body.message;
    const buttons = message ? ("quick_replies" in message && message.quick_replies ? message.quick_replies : []) : [];
    const button = buttonFor(buttons as { title?: string; payload?: string }[], message && "text" in message ? message.text : "", answer.value);
    if (!button || !("payload" in button)) throw new Error(`no quick reply "${answer.value}" in ${JSON.stringify(message)}`);
    event = messengerEvents.quickReply(psid, page.pageId, answer.value, String(button.payload), mid);
  }
  const response = await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(page.appSecret, messengerEvents.batch(page.pageId, [event])));
  expect(response.status).toBe(200);
  await settled(database, "messenger", psid);
}

async function zaloSays(userId: string, answer: Answer) {
  let text = answer.value;
  if (answer.type === "tap") {
    const last = [...zalo.sent.items].reverse().find((entry) => entry.userId === userId);
    const button = buttonFor(last?.body.message.attachment?.payload.buttons ?? [], last?.body.message.text ?? "", answer.value);
    if (!button || typeof button.payload !== "string") throw new Error(`no button "${answer.value}" in ${JSON.stringify(last?.body)}`);
    text = button.payload;
  }
  const body = zaloEvents.text(zaloKeys.appId, userId, zaloKeys.oaId, text, `zmsg${++sequence}`);
  const response = await postWebhook(`${server.url}/webhooks/zalo`, signedZaloWebhook(zaloKeys, body));
  expect(response.status).toBe(200);
  await settled(database, "zalo", userId);
}

async function storedRegistration(channel: string, userId: string) {
  const { rows } = await database.query(
    `select r.status, r.score, r.meets, r.group_code, r.criteria_set_id, r.criteria_version, r.year, p.full_name, p.birth_year, p.gender, p.phone
       from registrations r join channel_identities i on i.person_id = r.person_id join people p on p.id = r.person_id
      where i.channel = $1 and i.user_id = $2`,
    [channel, userId],
  );
  const answers = await database.query(
    `select a.field, a.value, a.points from registration_answers a join registrations r on r.id = a.registration_id
       join channel_identities i on i.person_id = r.person_id where i.channel = $1 and i.user_id = $2 order by a.field`,
    [channel, userId],
  );
  return { registration: rows[0], answers: answers.rows };
}

describe("the same registration over Messenger, Zalo and the web chat", () => {
  it("stores the same registration whichever channel it came through", async () => {
    const psid = "24681357902468135";
    for (const answer of script) await messengerSays(psid, answer);
    expect(graph.textsTo(psid).at(-1)).toMatch(/Đã gửi/);

    const zaloUser = "246845883529197922";
    for (const answer of script) await zaloSays(zaloUser, answer);
    expect(zalo.textsTo(zaloUser).at(-1)).toMatch(/Đã gửi/);

    const web = new WebchatClient(server.url);
    for (const answer of script) await web.says(answer.value);

    const userId = web.cookie.split("=")[1] ?? "";
    const viaWeb = await storedRegistration("web", userId);
    expect(viaWeb.registration).toMatchObject({ status: "submitted", meets: true, full_name: "Trần Văn Ba", phone: "+84912345678", group_code: "worker" });
    expect(await storedRegistration("messenger", psid)).toEqual(viaWeb);
    expect(await storedRegistration("zalo", zaloUser)).toEqual(viaWeb);
    expect(graph.rejections).toEqual([]);
    // Three whole registrations, every log level: no line carries the name or the phone, in any spelling.
    const log = server.logs.join("\n");
    expect(log).toMatch(/"msg":"turn handled"/);
    for (const secret of ["Trần Văn Ba", "Tran Van Ba", "Trần", "0912 345 678", "0912345678", "912345678"]) expect(log).not.toContain(secret);
  });

  it("refuses forged webhooks with 401 and leaves no trace", async () => {
    const body = messengerEvents.batch(page.pageId, [messengerEvents.text("999000111", page.pageId, "đăng ký", "m_forged")]);
    const forged = signedMessengerWebhook("wrong-secret", body);
    expect((await postWebhook(`${server.url}/webhooks/messenger`, forged)).status).toBe(401);
    const zaloForged = signedZaloWebhook({ appId: zaloKeys.appId, oaSecretKey: "wrong" }, zaloEvents.text(zaloKeys.appId, "111222333", zaloKeys.oaId, "đăng ký", "zf1"));
    expect((await postWebhook(`${server.url}/webhooks/zalo`, zaloForged)).status).toBe(401);
    const { rows } = await database.query("select count(*)::int as n from inbound_events where user_id in ('999000111', '111222333')");
    expect(rows[0].n).toBe(0);
    const identities = await database.query("select count(*)::int as n from channel_identities where user_id in ('999000111', '111222333')");
    expect(identities.rows[0].n).toBe(0);
    const redis = new Redis(environment.REDIS_URL ?? "");
    try {
      expect(await redis.keys(`${environment.REDIS_PREFIX}*999000111*`)).toEqual([]);
      expect(await redis.keys(`${environment.REDIS_PREFIX}*111222333*`)).toEqual([]);
    } finally {
      await redis.quit();
    }
  });

  it("answers the Messenger verification handshake", async () => {
    const ok = await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444`);
    expect(await ok.text()).toBe("1158201444");
    const wrong = await fetch(`${server.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`);
    expect(wrong.status).toBe(403);
  });
});
