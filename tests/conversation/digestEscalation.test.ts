import { and, eq } from "drizzle-orm";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escalations, headDigests, outboundMessages } from "../../db/schema.js";
import { digestDay, runDailyDigest } from "../../src/jobs/digestJob.js";
import { runEscalation } from "../../src/jobs/escalationJob.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";
import { headOf, personOn, registerWithCode, registrationOf, strongAnswers } from "./support/branchHeadWorld.js";
import type { TestPerson } from "./support/testPerson.js";

let test: TestRuntime;
const dayMs = 24 * 3600_000;
const start = Date.now();
const later = (days: number) => new Date(start + days * dayMs);

let logLines: string[] = [];
const capturingLogger = () => pino({ level: "info" }, { write: (line: string) => void logLines.push(line) });

let bich: TestPerson; // VPHU01, web chat
let zaloHead: TestPerson; // VPHU01, Zalo, last wrote 3 days ago (inside Zalo's 7 days)
let cuong: TestPerson; // VTRI01, web chat
let messengerHead: TestPerson; // VTRI01, Messenger, last wrote 3 days ago (outside Messenger's 24 h)
let idleHead: TestPerson; // TNUA01, nothing pending
let branchless: TestPerson;

const digestDeps = () => ({ db: test.runtime.database.db, translate: test.runtime.translate, dispatchers: test.runtime.dispatchers, logger: capturingLogger() });
const outboxOf = (person: TestPerson) =>
  test.runtime.database.db.select().from(outboundMessages).where(and(eq(outboundMessages.channel, person.channel), eq(outboundMessages.userId, person.userId)));

beforeAll(async () => {
  test = await startTestRuntime();
  const { runtime } = test;
  const threeDaysAgo = () => start - 3 * dayMs;
  bich = await headOf(runtime, "VPHU01", "Trần Thị Bích");
  zaloHead = await headOf(runtime, "VPHU01", "Ngô Văn Khải", personOn(runtime, "zalo-head", "zalo", threeDaysAgo));
  cuong = await headOf(runtime, "VTRI01", "Đỗ Văn Cường");
  messengerHead = await headOf(runtime, "VTRI01", "Lâm Thị Mai", personOn(runtime, "messenger-head", "messenger", threeDaysAgo));
  idleHead = await headOf(runtime, "TNUA01", "Lò Văn Pọm");
  const citizen = (prefix: string) => {
    const person = personOn(runtime, prefix);
    citizensByPrefix.set(prefix, person);
    return person;
  };
  await registerWithCode(citizen("c1"), "VPHU01", { name: "Nguyễn Văn An", birthYear: 1975, village: "Thôn Đông" });
  await registerWithCode(citizen("c2"), "VPHU01", { name: "Phan Thị Bảy", birthYear: 1982, village: "Thôn Đông" });
  await registerWithCode(citizen("c3"), "VTRI01", { name: "Trịnh Văn Chín", birthYear: 1968, village: "Khu phố 1" });
  await registerWithCode(citizen("c4"), "VPHU01", { name: "Hà Thị Dịu", birthYear: 1990, village: "Thôn Đông" });
  await bich.reads();
  await bich.taps(/Xác nhận/);
  bich.expectReply(/Nguyễn Văn An/);
  branchless = await registerWithoutBranch(citizen("c5"));
  for (const head of [bich, zaloHead, cuong, messengerHead, idleHead]) await head.reads();
});
afterAll(async () => {
  await test?.close();
});

describe("cards outside the messaging window", () => {
  it("go to a Zalo head who wrote 3 days ago, but are held for a Messenger head who wrote 3 days ago", async () => {
    const [zaloCards, messengerCards] = await Promise.all([outboxOf(zaloHead), outboxOf(messengerHead)]);
    expect(zaloCards.filter((row) => (row.message as { text: string }).text.includes("Có đăng ký mới"))).toHaveLength(3);
    expect(messengerCards.filter((row) => (row.message as { text: string }).text.includes("Có đăng ký mới"))).toHaveLength(0);
    const tokens = (await registrationOf(test.runtime, await citizenOf("c3"))).tokens;
    expect(tokens.map((token) => token.cardStatus).sort()).toEqual(["held", "sent"]);
  });
});

describe("the daily digest", () => {
  it("lists to each head what waits in their branches, once a day; outside the window it is recorded, not sent", async () => {
    const now = later(0);
    const first = await runDailyDigest(digestDeps(), now);
    expect(first).toMatchObject({ day: digestDay(now), sent: 3, outsideWindow: 1, unreachable: 0, alreadyDone: 0 });

    await bich.reads();
    bich.expectReply(/Chào Trần Thị Bích! Có 2 đăng ký đang chờ bạn xác nhận/).expectReply(/Phan Thị Bảy \(1982\)/).expectReply(/Hà Thị Dịu \(1990\)/);
    bich.expectNoReply(/Nguyễn Văn An|Trịnh Văn Chín/).expectButtons("Xem danh sách");
    await zaloHead.reads();
    zaloHead.expectReply(/Chào Ngô Văn Khải! Có 2 đăng ký/);
    await cuong.reads();
    cuong.expectReply(/Có 1 đăng ký/).expectReply(/Trịnh Văn Chín \(1968\), 94 điểm, Chi hội khuyến học khu phố 1 – chờ 0 ngày/).expectNoReply(/Phan Thị Bảy/);
    await messengerHead.reads();
    messengerHead.expectNothing();
    await idleHead.reads();
    idleHead.expectNothing();
    const recorded = await test.runtime.database.db.select().from(headDigests).where(eq(headDigests.day, digestDay(now)));
    expect(recorded.map((row) => [row.status, row.pendingCount]).sort()).toEqual([["outside_window", 1], ["sent", 1], ["sent", 2], ["sent", 2]]);

    // A second run the same day in Asia/Ho_Chi_Minh: an hour later, or earlier when later would be past midnight there.
    const sameDay = [3600_000, -3600_000].map((ms) => new Date(now.getTime() + ms)).find((at) => digestDay(at) === digestDay(now))!;
    const again = await runDailyDigest(digestDeps(), sameDay);
    expect(again).toMatchObject({ sent: 0, outsideWindow: 0, alreadyDone: 4 });
    for (const head of [bich, zaloHead, cuong, messengerHead]) expect((await head.reads()).replies).toEqual([]);

    await bich.says("xin chào");
    await bich.reads();
    const nextDay = await runDailyDigest(digestDeps(), later(1.5));
    expect(nextDay).toMatchObject({ sent: 3, outsideWindow: 1 });
    await bich.reads();
    bich.expectReply(/Có 2 đăng ký đang chờ bạn xác nhận/).expectReply(/chờ 1 ngày/);
    await bich.taps("Xem danh sách");
    bich.expectReply(/1–2 trong tổng số 2/).expectButtons("Xác nhận", "Từ chối", "Cần bổ sung");
  });
});

describe("escalation", () => {
  it("records each submission pending longer than ESCALATE_AFTER_DAYS once, for its commune, and logs no personal data", async () => {
    const deps = () => ({ db: test.runtime.database.db, logger: capturingLogger(), escalateAfterDays: 7 });
    logLines = [];
    expect((await runEscalation(deps(), later(6))).escalated).toEqual([]);
    const { escalated } = await runEscalation(deps(), later(8));
    expect(escalated.map((item) => item.communeCode).sort()).toEqual(["00247", "00581", "00581", "00581"]);
    expect(escalated.every((item) => item.pendingDays >= 7)).toBe(true);
    const branchlessId = (await registrationOf(test.runtime, branchless)).registration.id;
    expect(escalated.find((item) => item.registrationId === branchlessId)).toMatchObject({ communeCode: "00581", branchId: null });
    expect((await runEscalation(deps(), later(9))).escalated).toEqual([]);
    expect(await test.runtime.database.db.select().from(escalations)).toHaveLength(4);

    const logged = logLines.join("\n");
    expect(logged).toMatch(/ESCALATE_AFTER_DAYS/);
    for (const name of ["Nguyễn", "Phan Thị Bảy", "Trịnh Văn Chín", "Hà Thị Dịu", "Bích", "Thôn Đông"]) expect(logged).not.toContain(name);
  });
});

const citizensByPrefix = new Map<string, TestPerson>();
async function citizenOf(prefix: string): Promise<TestPerson> {
  const found = citizensByPrefix.get(prefix);
  if (found) return found;
  throw new Error(`no citizen ${prefix}`);
}

/** A citizen whose village has no branch yet: the commune's admins handle the registration. */
async function registerWithoutBranch(citizen: TestPerson): Promise<TestPerson> {
  await citizen.says("đăng ký");
  await citizen.taps("Đồng ý");
  await citizen.says("Phú Thọ");
  await citizen.says("Vĩnh Phú");
  await citizen.taps("Không có ở đây");
  await citizen.says("Xóm Mới");
  await citizen.says("Đặng Văn Mười");
  await citizen.says("1979");
  await citizen.taps("Nam");
  await citizen.taps("Bỏ qua");
  await citizen.taps("Người dân trong xã");
  for (const [index, answer] of strongAnswers.entries()) {
    if (index === 2) await citizen.says(answer);
    else await citizen.taps(answer);
  }
  await citizen.says("Học làm vườn.");
  await citizen.taps("Gửi");
  citizen.expectReply(/Đã gửi/);
  return citizen;
}
