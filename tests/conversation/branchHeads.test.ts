import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { branchHeads, branchInvites, registrationAnswers } from "../../db/schema.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";
import { branchByCode, cardPayloads, headOf, inviteFor, newBranch, personOn, registerWithCode, registrationOf } from "./support/branchHeadWorld.js";
import type { TestPerson } from "./support/testPerson.js";

let test: TestRuntime;
const person = (prefix: string) => personOn(test.runtime, prefix);
const db = () => test.runtime.database.db;

beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

async function headsOf(branchCode: string) {
  const branch = await branchByCode(test.runtime, branchCode);
  return db().select().from(branchHeads).where(eq(branchHeads.branchId, branch.id));
}

describe("a branch head claims a branch with an invite code", () => {
  it("typed in any case, with or without the space and diacritics, or through the deep link; several heads per branch", async () => {
    const first = person("claim");
    const code = await inviteFor(test.runtime, "VTRI01");
    await first.says(`Chi Hội ${code.toLowerCase()}`);
    first.expectReply(/Bạn đã trở thành chi hội trưởng của Chi hội khuyến học khu phố 1/).expectReply(/họ và tên/);
    await first.says("Lê Thị Hoa");
    first.expectReply(/Cảm ơn Lê Thị Hoa/).expectReply(/danh sách/);
    const [invite] = await db().select().from(branchInvites).where(eq(branchInvites.code, code));
    expect(invite?.usedAt).toBeInstanceOf(Date);

    const second = person("claim");
    await second.says(`CHIHOI${(await inviteFor(test.runtime, "VTRI01")).toLowerCase()}`);
    second.expectReply(/chi hội trưởng của Chi hội khuyến học khu phố 1/);
    const third = person("claim");
    await third.opens(`chihoi_${await inviteFor(test.runtime, "VTRI01")}`);
    third.expectReply(/chi hội trưởng của Chi hội khuyến học khu phố 1/).expectReply(/họ và tên/);
    expect(await headsOf("VTRI01")).toHaveLength(3);

    await first.says("chihoi " + (await inviteFor(test.runtime, "VTRI01")));
    first.expectReply(/đã là chi hội trưởng của Chi hội khuyến học khu phố 1 rồi/);
    expect(await headsOf("VTRI01")).toHaveLength(3);
  });

  it("a wrong, used or expired code says so in the same words, and binds nobody", async () => {
    const wrong = person("wrong");
    await wrong.says("chihoi ZZZZ9999");
    const wrongText = wrong.expectReply(/không dùng được/).lastText;

    const used = await inviteFor(test.runtime, "VDON01");
    const owner = person("owner");
    await owner.says(`chihoi ${used}`);
    owner.expectReply(/chi hội trưởng của Ban khuyến học Trường THCS Vân Đồn/);
    const late = person("late");
    await late.says(`chihoi ${used}`);
    expect(late.lastText).toBe(wrongText);

    const expired = await inviteFor(test.runtime, "VDON01", new Date(Date.now() - 15 * 24 * 3600_000));
    const slow = person("slow");
    await slow.says(`chi hoi ${expired}`);
    expect(slow.lastText).toBe(wrongText);
    const [invite] = await db().select().from(branchInvites).where(eq(branchInvites.code, expired));
    expect(invite?.usedAt).toBeNull();
    expect(await headsOf("VDON01")).toHaveLength(1);

    // Whatever they send next is not taken for a head's name.
    await late.says("xin chào");
    late.expectReply(/Công dân học tập/).expectReply(/đồng ý/i);
  });
});

describe("a submission reaches every head of the branch as a card, and the first decision wins", () => {
  let headA: TestPerson;
  let headB: TestPerson;
  let otherBranchHead: TestPerson;

  beforeAll(async () => {
    headA = await headOf(test.runtime, "VPHU01", "Trần Thị Bình");
    headB = await headOf(test.runtime, "VPHU01", "Đỗ Văn Cường");
    otherBranchHead = await headOf(test.runtime, "VPHU02", "Phạm Thị Dung");
  });

  it("the card shows name, birth year, group, village, score and result, with three buttons and a token per head", async () => {
    const citizen = await registerWithCode(person("citizen"), "VPHU01", { name: "Nguyễn Văn An", birthYear: 1975, village: "Thôn Đông" });
    await headA.reads();
    headA
      .expectReply(/Có đăng ký mới cần bạn xác nhận/)
      .expectReply(/Chi hội khuyến học thôn Đông/)
      .expectReply(/Nguyễn Văn An, sinh năm 1975/)
      .expectReply(/Nhóm: Người dân trong xã/)
      .expectReply(/Thôn\/tổ dân phố: Thôn Đông/)
      .expectReply(/94\/100 – đạt/);
    expect(headA.buttonTitles).toEqual(["Xác nhận", "Từ chối", "Cần bổ sung"]);
    const a = cardPayloads(headA);
    const b = cardPayloads(await headB.reads());
    expect(a.confirm).not.toBe(b.confirm);
    await otherBranchHead.reads();
    otherBranchHead.expectNothing();
    const { tokens } = await registrationOf(test.runtime, citizen);
    expect(tokens.map((token) => token.cardStatus)).toEqual(["sent", "sent"]);
  });

  it("Xác nhận confirms and tells the citizen; every later tap says who decided and when, and changes nothing", async () => {
    const citizen = await registerWithCode(person("citizen"), "VPHU01", { name: "Hoàng Văn Bảo", birthYear: 1980, village: "Xóm Giữa" });
    await headA.reads();
    await headB.reads();
    const a = cardPayloads(headA);
    const b = cardPayloads(headB);
    await headA.taps("Xác nhận");
    headA.expectReply(/Đã xác nhận đăng ký của Hoàng Văn Bảo/);
    const decided = await registrationOf(test.runtime, citizen);
    expect(decided.registration).toMatchObject({ status: "confirmed", decisionReason: null });
    expect(decided.decisions).toHaveLength(1);
    await citizen.reads();
    citizen.expectReply(/Chúc mừng bạn! Chi hội khuyến học thôn Đông đã xác nhận đăng ký Công dân học tập năm 2026/);

    await headB.sendsPayload(b.reject);
    headB.expectReply(/Đăng ký này đã được Trần Thị Bình xác nhận lúc \d\d:\d\d ngày \d\d\/\d\d\/2026\. Không có gì thay đổi/);
    await headA.sendsPayload(a.confirm);
    headA.expectReply(/Bạn đã xác nhận đăng ký này lúc/);
    await headA.sendsPayload(a.more);
    headA.expectReply(/Bạn đã xác nhận đăng ký này lúc/);
    const after = await registrationOf(test.runtime, citizen);
    expect(after.registration).toMatchObject({ status: "confirmed", decidedAt: decided.registration.decidedAt, decidedByPersonId: decided.registration.decidedByPersonId });
    expect(after.decisions).toHaveLength(1);
    await citizen.reads();
    citizen.expectNothing();
    await citizen.says("trạng thái");
    citizen.expectReply(/đã được chi hội xác nhận/);
  });

  it("Từ chối asks for a reason (hủy stores nothing) and the citizen gets the decision with the reason, in their language", async () => {
    const citizen = person("citizen");
    await citizen.says("ngôn ngữ");
    await citizen.taps("English");
    await registerWithCodeInEnglish(citizen);
    await headA.reads();
    await headB.reads();
    await headB.taps("Từ chối");
    headB.expectReply(/lý do chưa xác nhận đăng ký của Vũ Thị Cúc/).expectButtons("Hủy");
    await headB.says("hủy");
    headB.expectReply(/Đã hủy, chưa lưu quyết định nào/);
    expect((await registrationOf(test.runtime, citizen)).registration.status).toBe("submitted");

    await headA.taps("Từ chối");
    await headA.says("Hủy bỏ kế hoạch");
    headA.expectReply(/Đã ghi nhận: chưa xác nhận đăng ký của Vũ Thị Cúc/);
    const stored = await registrationOf(test.runtime, citizen);
    expect(stored.registration).toMatchObject({ status: "rejected", decisionReason: "Hủy bỏ kế hoạch" });
    expect(stored.decisions[0]).toMatchObject({ action: "reject", reason: "Hủy bỏ kế hoạch" });
    await citizen.reads();
    citizen.expectReply(/has not confirmed your 2026 learning citizen registration\. Reason: Hủy bỏ kế hoạch/);
  });

  it("Cần bổ sung reopens the chosen items; the citizen answers them again and resubmits, and the heads get new cards", async () => {
    const citizen = await registerWithCode(person("citizen"), "VPHU01", { name: "Lý Văn Đức", birthYear: 1990, village: "Thôn Đông" });
    await headA.reads();
    await headB.reads();
    const firstRound = cardPayloads(headA);
    await headA.taps("Cần bổ sung");
    headA.expectReply(/Đăng ký của Lý Văn Đức cần bổ sung mục nào/).expectButtons("Đọc, cập nhật tin", "Ngoại ngữ", "Tất cả");
    await headA.taps("Đọc, cập nhật tin");
    headA.expectReply(/Đã chọn: Đọc, cập nhật tin/).expectButtons("Ngoại ngữ", "Xong");
    expect(headA.buttonTitles).not.toContain("Đọc, cập nhật tin");
    await headA.taps("Ngoại ngữ");
    await headA.taps("Xong");
    headA.expectReply(/Lý Văn Đức cần bổ sung gì \(Đọc, cập nhật tin, Ngoại ngữ\)/);
    await headA.says("Ghi rõ bạn đọc sách gì và học ngoại ngữ nào");
    headA.expectReply(/Đã gửi yêu cầu bổ sung cho Lý Văn Đức/);

    const reopened = await registrationOf(test.runtime, citizen);
    expect(reopened.registration.status).toBe("needs_info");
    expect(reopened.decisions[0]).toMatchObject({ action: "more", reopenedFields: ["criteria.reading", "criteria.foreignLanguage"] });
    const fields = (await db().select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, reopened.registration.id))).map((a) => a.field);
    expect(fields).not.toContain("criteria.reading");
    expect(fields).not.toContain("criteria.foreignLanguage");
    expect(fields).toContain("criteria.studyTime");

    await citizen.reads();
    citizen
      .expectReply(/đề nghị bạn bổ sung đăng ký năm 2026: Đọc, cập nhật tin, Ngoại ngữ\. Lời nhắn: Ghi rõ bạn đọc sách gì/)
      .expectReply(/Câu 1\/10/)
      .expectButtons("Hằng ngày");
    await citizen.taps("Vài lần một tuần");
    citizen.expectReply(/Câu 6\/10/);
    await citizen.taps("Giao tiếp cơ bản");
    citizen.expectReply(/Bạn kiểm tra lại/).expectReply(/92\/100/);
    await citizen.taps("Gửi");
    citizen.expectReply(/Đã gửi/);

    const resubmitted = await registrationOf(test.runtime, citizen);
    expect(resubmitted.registration).toMatchObject({ status: "submitted", submissionRound: 2, score: 92 });
    await headA.reads();
    headA.expectReply(/Có đăng ký mới/).expectReply(/Lý Văn Đức/).expectReply(/92\/100/);
    const secondRound = cardPayloads(headA);
    expect(secondRound.confirm).not.toBe(firstRound.confirm);
    await headB.reads();
    headB.expectReply(/Lý Văn Đức/);

    // A card of the first round decides nothing any more.
    await headA.sendsPayload(firstRound.confirm);
    headA.expectReply(/Bạn đã yêu cầu bổ sung đăng ký này lúc/);
    expect((await registrationOf(test.runtime, citizen)).registration.status).toBe("submitted");
    await headA.sendsPayload(secondRound.confirm);
    headA.expectReply(/Đã xác nhận đăng ký của Lý Văn Đức/);
    expect((await registrationOf(test.runtime, citizen)).registration.status).toBe("confirmed");
  });

  it("refuses forgeries: another branch's head replaying a captured payload, a citizen typing one, a modified token", async () => {
    const citizen = await registerWithCode(person("citizen"), "VPHU01", { name: "Mai Văn Em", birthYear: 1985, village: "Thôn Đông" });
    await headA.reads();
    const captured = cardPayloads(headA);
    const notUnderstood = /Xin lỗi, tôi chưa hiểu/;

    await otherBranchHead.sendsPayload(captured.confirm);
    otherBranchHead.expectReply(notUnderstood).expectNoReply(/Mai Văn Em|đã được/);
    await otherBranchHead.says(captured.reject);
    otherBranchHead.expectReply(notUnderstood).expectNoReply(/lý do/);

    const bystander = person("bystander");
    await bystander.says("đăng ký");
    await bystander.taps("Đồng ý");
    await bystander.says(captured.confirm);
    bystander.expectReply(notUnderstood).expectReply(/tỉnh, thành phố nào/);
    await citizen.says(captured.confirm);
    citizen.expectReply(notUnderstood);

    const token = captured.confirm.split(":")[1] ?? "";
    const modified = `dec:${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}:confirm`;
    await headA.sendsPayload(modified);
    headA.expectReply(notUnderstood);
    await headA.says("dec:not-a-token:confirm");
    headA.expectReply(notUnderstood);

    const stored = await registrationOf(test.runtime, citizen);
    expect(stored.registration).toMatchObject({ status: "submitted", decidedAt: null, decidedByPersonId: null, decisionReason: null });
    expect(stored.decisions).toEqual([]);
  });

  it("a head removed from the branch can no longer decide with their old card", async () => {
    const former = await headOf(test.runtime, "VPHU01", "Tạ Văn Giang");
    const citizen = await registerWithCode(person("citizen"), "VPHU01", { name: "Đinh Thị Hà", birthYear: 1992, village: "Thôn Đông" });
    await former.reads();
    const payloads = cardPayloads(former);
    const [identity] = await db().query.channelIdentities.findMany({ where: (t, { and, eq: equals }) => and(equals(t.channel, "web"), equals(t.userId, former.userId)) });
    await db().delete(branchHeads).where(eq(branchHeads.personId, identity?.personId ?? ""));
    await former.sendsPayload(payloads.confirm);
    former.expectReply(/không còn là chi hội trưởng/);
    expect((await registrationOf(test.runtime, citizen)).registration.status).toBe("submitted");
  });
});

describe("a head's commands", () => {
  it("danh sách pages the pending registrations five at a time with the card buttons; thống kê counts this year by status", async () => {
    const branch = await newBranch(test.runtime, { province: "Phú Thọ", commune: "Việt Trì" }, "Chi hội khuyến học khu phố 9");
    const head = await headOf(test.runtime, branch.code, "Cao Thị Lan");
    const citizens: TestPerson[] = [];
    for (let i = 0; i < 7; i++) {
      citizens.push(await registerWithCode(person("listed"), branch.code, { name: `Nguyễn Văn Số ${"ABCDEFG"[i]}`, birthYear: 1970 + i, village: "Khu phố 9" }));
    }
    await head.reads();
    expect(head.replies).toHaveLength(7);
    await head.taps("Xác nhận");
    head.expectReply(/Đã xác nhận đăng ký của Nguyễn Văn Số A/);

    await head.says("danh sach");
    head.expectReply(/Đăng ký đang chờ xác nhận: 1–5 trong tổng số 6/).expectReply(/Còn 1 đăng ký nữa/).expectNoReply(/Số A|Số G/);
    expect(head.buttonTitles.filter((title) => title === "Xác nhận")).toHaveLength(5);
    expect(head.lastText.indexOf("Số B")).toBeLessThan(head.lastText.indexOf("Số F"));
    await head.taps("Xem thêm");
    head.expectReply(/6–6 trong tổng số 6/).expectReply(/Số G/).expectNoReply(/Xem thêm/);
    await head.taps("Xác nhận");
    head.expectReply(/Đã xác nhận đăng ký của Nguyễn Văn Số G/);

    await head.says("thống kê");
    head.expectReply(/Thống kê năm 2026/).expectReply(/Chi hội khuyến học khu phố 9: chờ xác nhận 5, đã xác nhận 2, chưa xác nhận 0/);
    await head.says("list");
    head.expectReply(/1–5 trong tổng số 5/);

    // The same words from someone who heads nothing are not a command.
    const citizen = person("notahead");
    await citizen.says("danh sách");
    citizen.expectReply(/đồng ý/i);
  });
});

/** The same registration in English, for a citizen who switched language first. */
async function registerWithCodeInEnglish(citizen: TestPerson) {
  await citizen.says("dk VPHU01");
  await citizen.taps(/^(I agree|Agree)/);
  await citizen.says("Xóm Bãi");
  await citizen.says("Vũ Thị Cúc");
  await citizen.says("1970");
  await citizen.taps(/^Female/);
  await citizen.taps(/^Skip/);
  await citizen.says("farmer");
  const buttonsAt = (n: number) => citizen.replies.flatMap((reply) => reply.buttons ?? [])[n]?.title ?? "";
  for (let index = 0; index < 10; index++) {
    if (index === 2) await citizen.says("5 hours a week");
    else await citizen.taps(buttonsAt(0));
  }
  await citizen.says("Read a book every month.");
  await citizen.taps(/^Submit/);
  citizen.expectReply(/submitted|Submitted|sent/i);
}
