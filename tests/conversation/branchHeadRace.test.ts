import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelIdentities } from "../../db/schema.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";
import { headOf, personOn, registerWithCode, registrationOf } from "./support/branchHeadWorld.js";
import type { TestPerson } from "./support/testPerson.js";

// Two processes need one database server: embedded PGlite lives inside a single process.

let one: TestRuntime;
let two: TestRuntime;
let headA: TestPerson;
let headB: TestPerson;

beforeAll(async () => {
  one = await startTestRuntime();
  two = await startTestRuntime({ DATABASE_SCHEMA: one.environment.DATABASE_SCHEMA, REDIS_PREFIX: one.environment.REDIS_PREFIX });
  headA = await headOf(one.runtime, "VPHU01", "Trần Thị Bình", personOn(one.runtime, "head-a"));
  headB = await headOf(two.runtime, "VPHU01", "Đỗ Văn Cường", personOn(two.runtime, "head-b"));
});
afterAll(async () => {
  await two?.runtime.close();
  await one?.close();
});

async function personIdOf(person: TestPerson): Promise<string | null> {
  const [row] = await one.runtime.database.db
    .select()
    .from(channelIdentities)
    .where(and(eq(channelIdentities.channel, person.channel), eq(channelIdentities.userId, person.userId)));
  return row?.personId ?? null;
}

let citizenCount = 0;
async function freshSubmission(): Promise<TestPerson> {
  const citizen = await registerWithCode(personOn(one.runtime, "race-citizen"), "VPHU01", { name: `Nguyễn Văn Đua ${"ABCDEFGHIJ"[citizenCount++]}`, birthYear: 1980, village: "Thôn Đông" });
  await headA.reads();
  await headB.reads();
  headA.expectReply(/Có đăng ký mới/);
  headB.expectReply(/Có đăng ký mới/);
  return citizen;
}

const outcomeText = {
  confirm: { won: /Đã xác nhận đăng ký/, seen: "xác nhận" },
  reject: { won: /Đã ghi nhận: chưa xác nhận/, seen: "từ chối" },
  more: { won: /Đã gửi yêu cầu bổ sung/, seen: "yêu cầu bổ sung" },
} as const;

/** Exactly one decision stored; the winner is told it is done, the other who decided and when; the citizen hears once. */
async function expectOneDecision(citizen: TestPerson, actions: { a: keyof typeof outcomeText; b: keyof typeof outcomeText }) {
  const { registration, decisions } = await registrationOf(one.runtime, citizen);
  expect(decisions).toHaveLength(1);
  const aWon = registration.decidedByPersonId === (await personIdOf(headA));
  expect(aWon || registration.decidedByPersonId === (await personIdOf(headB))).toBe(true);
  const [winner, loser, winnerName, action] = aWon ? [headA, headB, "Trần Thị Bình", actions.a] : [headB, headA, "Đỗ Văn Cường", actions.b];
  expect(decisions[0]?.action).toBe(action);
  expect(registration.status).toBe({ confirm: "confirmed", reject: "rejected", more: "needs_info" }[action]);
  winner.expectReply(outcomeText[action].won);
  loser.expectReply(new RegExp(`đã được ${winnerName} ${outcomeText[action].seen} lúc .*Không có gì thay đổi`));
  await citizen.reads();
  expect(citizen.replies.filter((reply) => /Chi hội khuyến học thôn Đông (đã xác nhận|chưa xác nhận|đề nghị)/.test(reply.text))).toHaveLength(1);
}

describe("two heads deciding the same registration at the same moment, in two processes", () => {
  it("Xác nhận against a Từ chối reason: one decision stored, both told the truth", async () => {
    for (let round = 0; round < 3; round++) {
      const citizen = await freshSubmission();
      await headB.taps("Từ chối");
      headB.expectReply(/lý do/);
      await Promise.all([headA.taps("Xác nhận"), headB.says("Chưa đủ điều kiện về thời gian học")]);
      await expectOneDecision(citizen, { a: "confirm", b: "reject" });
    }
  });

  it("Xác nhận tapped by both: one decision stored, both told the truth", async () => {
    for (let round = 0; round < 3; round++) {
      const citizen = await freshSubmission();
      await Promise.all([headA.taps("Xác nhận"), headB.taps("Xác nhận")]);
      await expectOneDecision(citizen, { a: "confirm", b: "confirm" });
    }
  });

  it("a Từ chối reason against a Cần bổ sung reason: one decision stored, both told the truth", async () => {
    const citizen = await freshSubmission();
    await headA.taps("Từ chối");
    await headB.taps("Cần bổ sung");
    await headB.taps("Tất cả");
    headB.expectReply(/tất cả các tiêu chí/);
    await Promise.all([headA.says("Không đúng địa bàn"), headB.says("Trả lời lại giúp tôi")]);
    await expectOneDecision(citizen, { a: "reject", b: "more" });
  });
});
