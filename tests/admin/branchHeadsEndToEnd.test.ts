import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeGraphApi } from "../fakes/fakeGraphApi.js";
import type { FakeZaloApi } from "../fakes/fakeZaloApi.js";
import { messengerEvents, postWebhook, signedMessengerWebhook, signedZaloWebhook, zaloEvents } from "../fakes/signWebhooks.js";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.js";
import { buttonFor, settled, startFakePlatformWorld, testPage, testZaloOa, type FakePlatformWorld } from "../support/platformHelpers.js";

// Acceptance of issue 5, through `npm start` with only environment variables: an admin creates a branch over the API,
// a head claims it, a citizen registers with "dk <code>", the head decides from the card; over Messenger and Zalo.
const adminToken = "e2e-admin-token";
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
  world = await startFakePlatformWorld({ ADMIN_TOKEN: adminToken });
  ({ graph, zalo, server, database, environment } = world);
}, 120_000);

afterAll(async () => {
  await world?.close();
});

async function admin(path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/api/admin${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}



type Step = { type: "text" | "tap"; value: string };
const say = (value: string): Step => ({ type: "text", value });
const tap = (value: string): Step => ({ type: "tap", value });
const registrationWith = (code: string, name: string): Step[] => [
  say(`dk ${code}`), tap("Đồng ý"), say("Thôn Nam"), say(name), say("1972"), tap("Nam"), say("0912 345 678"), tap("Người lao động"),
  tap("Hằng ngày"), tap("Có, đã ghi rõ"), say("5 tiếng mỗi tuần"), tap("Thường xuyên"), tap("Tra cứu, xem video"), tap("Công việc không cần"),
  tap("Thường xuyên"), tap("Thường xuyên"), tap("Hòa thuận"), tap("Thường xuyên"), say("Học kỹ thuật trồng cây ăn quả"), tap("Gửi"),
];

type Button = { title?: string; payload?: unknown };
/** The last Messenger message to a person, with its quick replies or template buttons. */
function lastMessengerMessage(psid: string): { text: string; buttons: Button[]; template: boolean } {
  const message = [...graph.sent.items].reverse().find((entry) => entry.recipientId === psid)?.body.message;
  if (!message) return { text: "", buttons: [], template: false };
  if ("attachment" in message) return { text: message.attachment.payload.text, buttons: message.attachment.payload.buttons, template: true };
  const quickReplies = (message.quick_replies ?? []).flatMap((reply) => ("title" in reply ? [{ title: reply.title, payload: reply.payload }] : []));
  return { text: message.text, buttons: quickReplies, template: false };
}

async function messengerSays(psid: string, step: Step) {
  const mid = `m_${++sequence}`;
  let event;
  if (step.type === "text") event = messengerEvents.text(psid, page.pageId, step.value, mid);
  else {
    const last = lastMessengerMessage(psid);
    const button = buttonFor(last.buttons, last.text, step.value);
    if (!button) throw new Error(`no button "${step.value}" in ${JSON.stringify(last)}`);
    event = last.template
      ? messengerEvents.postback(psid, page.pageId, step.value, String(button.payload), mid)
      : messengerEvents.quickReply(psid, page.pageId, step.value, String(button.payload), mid);
  }
  expect((await postWebhook(`${server.url}/webhooks/messenger`, signedMessengerWebhook(page.appSecret, messengerEvents.batch(page.pageId, [event])))).status).toBe(200);
  await settled(database, "messenger", psid);
}

async function zaloSays(userId: string, step: Step) {
  let text = step.value;
  if (step.type === "tap") {
    const last = [...zalo.sent.items].reverse().find((entry) => entry.userId === userId);
    const button = buttonFor(last?.body.message.attachment?.payload.buttons ?? [], last?.body.message.text ?? "", step.value);
    if (!button || typeof button.payload !== "string") throw new Error(`no button "${step.value}" in ${JSON.stringify(last?.body)}`);
    text = button.payload;
  }
  const body = zaloEvents.text(zaloKeys.appId, userId, zaloKeys.oaId, text, `zmsg${++sequence}`);
  expect((await postWebhook(`${server.url}/webhooks/zalo`, signedZaloWebhook(zaloKeys, body))).status).toBe(200);
  await settled(database, "zalo", userId);
}

async function registrationOf(channel: string, userId: string) {
  const { rows } = await database.query(
    `select r.status, r.decision_reason from registrations r join channel_identities i on i.person_id = r.person_id where i.channel = $1 and i.user_id = $2`,
    [channel, userId],
  );
  return rows[0] as { status: string; decision_reason: string | null } | undefined;
}

describe("branch heads decide by message buttons, end to end", () => {
  let branch: { id: string; code: string; inviteCode: string };
  const messengerHead = "24681357900000001";
  const zaloHead = "246845883500000001";

  it("over Messenger: branch created by the API, claimed by a head, a citizen registers with its code, Xác nhận confirms", async () => {
    const created = await admin("/branches", { province: "Phu Tho", commune: "vinh phu", name: "Chi hội khuyến học thôn Nam" });
    expect(created.status).toBe(201);
    branch = created.json as typeof branch;
    expect(branch.code).toBe("VPHU03");

    await messengerSays(messengerHead, say(`chihoi ${branch.inviteCode}`));
    expect(graph.textsTo(messengerHead).join("\n")).toMatch(/chi hội trưởng của Chi hội khuyến học thôn Nam/);
    await messengerSays(messengerHead, say("Trần Thị Bình"));
    expect((await admin(`/branches/${branch.id}`)).json).toMatchObject({ heads: [{ name: "Trần Thị Bình", channels: ["messenger"] }] });

    const citizen = "24681357900000002";
    for (const step of registrationWith(branch.code, "Trần Văn Ba")) await messengerSays(citizen, step);
    expect(graph.textsTo(citizen).at(-1)).toMatch(/Đã gửi/);
    await settled(database, "messenger", messengerHead);
    const card = lastMessengerMessage(messengerHead);
    expect(card.text).toMatch(/Trần Văn Ba, sinh năm 1972/);
    expect(card.buttons.map((button) => button.title)).toEqual(["Xác nhận", "Từ chối", "Cần bổ sung"]);

    await messengerSays(messengerHead, tap("Xác nhận"));
    expect(graph.textsTo(messengerHead).at(-1)).toMatch(/Đã xác nhận đăng ký của Trần Văn Ba/);
    expect(await registrationOf("messenger", citizen)).toMatchObject({ status: "confirmed" });
    await settled(database, "messenger", citizen);
    expect(graph.textsTo(citizen).at(-1)).toMatch(/Chúc mừng bạn!/);
  });

  it("over Messenger: Từ chối asks for a reason, which reaches the citizen", async () => {
    const citizen = "24681357900000003";
    for (const step of registrationWith(branch.code, "Lê Văn Cả")) await messengerSays(citizen, step);
    await settled(database, "messenger", messengerHead);
    await messengerSays(messengerHead, tap("Từ chối"));
    expect(graph.textsTo(messengerHead).at(-1)).toMatch(/lý do/);
    await messengerSays(messengerHead, say("Chưa sinh hoạt tại chi hội"));
    expect(await registrationOf("messenger", citizen)).toMatchObject({ status: "rejected", decision_reason: "Chưa sinh hoạt tại chi hội" });
    await settled(database, "messenger", citizen);
    expect(graph.textsTo(citizen).join("\n")).toMatch(/Lý do: Chưa sinh hoạt tại chi hội/);
  });

  it("over Messenger: Cần bổ sung reopens two indicators, the citizen answers them again and resubmits, the head gets a new card", async () => {
    const citizen = "24681357900000004";
    for (const step of registrationWith(branch.code, "Phùng Văn Em")) await messengerSays(citizen, step);
    await settled(database, "messenger", messengerHead);
    for (const title of ["Cần bổ sung", "Đọc, cập nhật tin", "Ngoại ngữ", "Xong"]) await messengerSays(messengerHead, tap(title));
    expect(graph.textsTo(messengerHead).at(-1)).toMatch(/cần bổ sung gì \(Đọc, cập nhật tin, Ngoại ngữ\)/);
    await messengerSays(messengerHead, say("Ghi rõ sách báo bạn đọc"));
    expect(await registrationOf("messenger", citizen)).toMatchObject({ status: "needs_info" });
    await settled(database, "messenger", citizen);
    expect(graph.textsTo(citizen).join("\n")).toMatch(/đề nghị bạn bổ sung đăng ký năm \d{4}: Đọc, cập nhật tin, Ngoại ngữ\. Lời nhắn: Ghi rõ sách báo bạn đọc/);
    expect(graph.textsTo(citizen).at(-1)).toMatch(/Câu 1\/10/);
    await messengerSays(citizen, tap("Vài lần một tuần"));
    expect(graph.textsTo(citizen).at(-1)).toMatch(/Câu 6\/10/);
    await messengerSays(citizen, tap("Giao tiếp cơ bản"));
    await messengerSays(citizen, tap("Gửi"));
    expect(graph.textsTo(citizen).at(-1)).toMatch(/Đã gửi/);
    expect(await registrationOf("messenger", citizen)).toMatchObject({ status: "submitted" });
    await settled(database, "messenger", messengerHead);
    expect(lastMessengerMessage(messengerHead).text).toMatch(/Có đăng ký mới[\s\S]*Phùng Văn Em[\s\S]*92\/100/);
    await messengerSays(messengerHead, tap("Xác nhận"));
    expect(await registrationOf("messenger", citizen)).toMatchObject({ status: "confirmed" });
  });

  it("over Zalo: a new invite claimed by a second head, a Zalo citizen, Xác nhận tapped (the payload arrives as text)", async () => {
    const invite = await admin(`/branches/${branch.id}/invites`, {});
    expect(invite.status).toBe(201);
    await zaloSays(zaloHead, say(`CHI HỘI ${String(invite.json.inviteCode).toLowerCase()}`));
    expect(zalo.textsTo(zaloHead).join("\n")).toMatch(/chi hội trưởng của Chi hội khuyến học thôn Nam/);
    await zaloSays(zaloHead, say("Đỗ Văn Cường"));

    const citizen = "246845883500000002";
    for (const step of registrationWith(branch.code, "Hà Văn Dũng")) await zaloSays(citizen, step);
    expect(zalo.textsTo(citizen).at(-1)).toMatch(/Đã gửi/);
    await settled(database, "zalo", zaloHead);
    expect(zalo.textsTo(zaloHead).at(-1)).toMatch(/Hà Văn Dũng, sinh năm 1972/);
    await zaloSays(zaloHead, tap("Xác nhận"));
    expect(zalo.textsTo(zaloHead).at(-1)).toMatch(/Đã xác nhận đăng ký của Hà Văn Dũng/);
    expect(await registrationOf("zalo", citizen)).toMatchObject({ status: "confirmed" });
    await settled(database, "zalo", citizen);
    expect(zalo.textsTo(citizen).at(-1)).toMatch(/Chúc mừng bạn!/);

    // The Messenger head's card for the same registration now only tells who decided.
    await settled(database, "messenger", messengerHead);
    await messengerSays(messengerHead, tap("Xác nhận"));
    expect(graph.textsTo(messengerHead).at(-1)).toMatch(/đã được Đỗ Văn Cường xác nhận lúc/);
    expect(graph.rejections).toEqual([]);
  });

  it("two heads tapping at the same moment through two server processes: exactly one decision, both told the truth", async () => {
    const second = await startServerProcess(environment);
    try {
      const citizen = "246845883500000003";
      for (const step of registrationWith(branch.code, "Mai Văn Giang")) await zaloSays(citizen, step);
      await settled(database, "messenger", messengerHead);
      await settled(database, "zalo", zaloHead);
      const messengerCard = lastMessengerMessage(messengerHead);
      const zaloCard = [...zalo.sent.items].reverse().find((entry) => entry.userId === zaloHead)?.body.message;
      const messengerConfirm = buttonFor(messengerCard.buttons, messengerCard.text, "Xác nhận");
      const zaloConfirm = buttonFor(zaloCard?.attachment?.payload.buttons ?? [], zaloCard?.text ?? "", "Xác nhận");
      expect(messengerCard.text).toMatch(/Mai Văn Giang/);
      expect(zaloCard?.text).toMatch(/Mai Văn Giang/);
      const messengerTap = signedMessengerWebhook(
        page.appSecret,
        messengerEvents.batch(page.pageId, [messengerEvents.postback(messengerHead, page.pageId, "Xác nhận", String(messengerConfirm?.payload), `m_${++sequence}`)]),
      );
      const zaloTap = signedZaloWebhook(zaloKeys, zaloEvents.text(zaloKeys.appId, zaloHead, zaloKeys.oaId, String(zaloConfirm?.payload), `zmsg${++sequence}`));
      const answers = await Promise.all([postWebhook(`${server.url}/webhooks/messenger`, messengerTap), postWebhook(`${second.url}/webhooks/zalo`, zaloTap)]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      await settled(database, "messenger", messengerHead);
      await settled(database, "zalo", zaloHead);
      const { rows } = await database.query(
        `select r.status, p.full_name as decided_by from registrations r join channel_identities i on i.person_id = r.person_id
           join people p on p.id = r.decided_by_person_id where i.channel = 'zalo' and i.user_id = $1`,
        [citizen],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0].status).toBe("confirmed");
      const winner = rows[0].decided_by as string;
      const loser = winner === "Trần Thị Bình" ? { texts: zalo.textsTo(zaloHead) } : { texts: graph.textsTo(messengerHead) };
      const winnerTexts = winner === "Trần Thị Bình" ? graph.textsTo(messengerHead) : zalo.textsTo(zaloHead);
      expect(winnerTexts.at(-1)).toMatch(/Đã xác nhận đăng ký của Mai Văn Giang/);
      expect(loser.texts.at(-1)).toMatch(new RegExp(`đã được ${winner} xác nhận lúc`));
    } finally {
      await second.stop();
    }
  });
});
