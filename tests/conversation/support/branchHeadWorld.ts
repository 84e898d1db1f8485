import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import { branches, channelIdentities, decisionTokens, registrationDecisions, registrations } from "../../../db/schema.js";
import { createBranch, createBranchInvite } from "../../../src/persistence/branchStore.js";
import type { Runtime } from "../../../src/runtime.js";
import { TestPerson } from "./testPerson.js";

let counter = 0;
export const personOn = (runtime: Runtime, prefix: string, channel: TestPerson["channel"] = "web", clock?: () => number) =>
  new TestPerson(runtime, `${prefix}-${++counter}-${Date.now()}`, channel, clock);

export async function branchByCode(runtime: Runtime, code: string) {
  const [branch] = await runtime.database.db.select().from(branches).where(eq(branches.code, code));
  if (!branch) throw new Error(`no branch ${code}`);
  return branch;
}

export async function inviteFor(runtime: Runtime, branchCode: string, now = new Date()): Promise<string> {
  const invite = await createBranchInvite(runtime.database.db, (await branchByCode(runtime, branchCode)).id, { inviteTtlDays: 14, now });
  if (!invite) throw new Error("no invite");
  return invite.code;
}

/** A new branch, seen by the engine at once (what the admin API's onBranchesChanged does). */
export async function newBranch(runtime: Runtime, commune: { province: string; commune: string }, name: string): Promise<{ id: string; code: string }> {
  const created = await createBranch(runtime.database.db, { ...commune, name }, { inviteTtlDays: 14, now: new Date() });
  if (created.status !== "created") throw new Error(`branch not created: ${created.status}`);
  runtime.worlds.invalidate();
  return created.branch;
}

/** Claims the branch with a fresh invite and gives the head's name. */
export async function headOf(runtime: Runtime, branchCode: string, name: string, person = personOn(runtime, "head")): Promise<TestPerson> {
  await person.says(`chihoi ${await inviteFor(runtime, branchCode)}`);
  person.expectReply(/chi hội trưởng của/).expectReply(/họ và tên/);
  await person.says(name);
  person.expectReply(new RegExp(`Cảm ơn ${name}`));
  return person;
}

export type CriteriaAnswers = string[];
/** Ten taps and typed hours giving 94/100 on the default criteria set. */
export const strongAnswers: CriteriaAnswers = ["Hằng ngày", "Có, đã ghi rõ", "5 tiếng một tuần", "Thường xuyên", "Tra cứu, xem video", "Công việc không cần", "Thường xuyên", "Thường xuyên", "Hòa thuận", "Thường xuyên"];

/** A citizen registering with the poster's code ("dk <code>") and submitting. */
export async function registerWithCode(citizen: TestPerson, code: string, person: { name: string; birthYear: number; village: string }): Promise<TestPerson> {
  await citizen.says(`dk ${code}`);
  await citizen.taps("Đồng ý");
  citizen.expectReply(/thôn, bản/);
  await citizen.says(person.village);
  await citizen.says(person.name);
  await citizen.says(String(person.birthYear));
  await citizen.taps("Nam");
  await citizen.taps("Bỏ qua");
  await citizen.taps("Người dân trong xã");
  for (const [index, answer] of strongAnswers.entries()) {
    if (index === 2) await citizen.says(answer);
    else await citizen.taps(answer);
  }
  await citizen.says("Đọc một cuốn sách mỗi tháng, học dùng điện thoại để xem giá nông sản.");
  citizen.expectReply(/Bạn kiểm tra lại/);
  await citizen.taps("Gửi");
  citizen.expectReply(/Đã gửi/);
  return citizen;
}

export async function registrationOf(runtime: Runtime, citizen: TestPerson) {
  const db = runtime.database.db;
  const [identity] = await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, citizen.channel), eq(channelIdentities.userId, citizen.userId)));
  const [registration] = await db.select().from(registrations).where(eq(registrations.personId, identity?.personId ?? ""));
  if (!registration) throw new Error("no registration");
  const decisions = await db.select().from(registrationDecisions).where(eq(registrationDecisions.registrationId, registration.id));
  const tokens = await db.select().from(decisionTokens).where(eq(decisionTokens.registrationId, registration.id));
  return { registration, decisions, tokens };
}

/** The decision payloads on a head's last card. */
export function cardPayloads(head: TestPerson): { confirm: string; reject: string; more: string } {
  const payload = (title: string) => head.button(title).payload;
  const payloads = { confirm: payload("Xác nhận"), reject: payload("Từ chối"), more: payload("Cần bổ sung") };
  for (const [action, value] of Object.entries(payloads)) expect(value).toMatch(new RegExp(`^dec:[A-Za-z0-9_-]{22}:${action}$`));
  return payloads;
}
