import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { consentRecords } from "../../db/schema.js";
import { webTranscript } from "../../src/persistence/conversationStore.js";
import { doubtfulConsents, doubtfulGuardianAnswers } from "../support/doubtfulConsents.js";
import { conversationSuite } from "../support/testRuntime.js";

// Issue 11: consent and a parent's agreement only from words that give it; anything doubtful is asked again.
const suite = conversationSuite("consent");
const citizen = suite.citizen;

const consentsOf = async (userId: string) => suite.test.runtime.database.db.select().from(consentRecords).where(eq(consentRecords.userId, userId));

const guardianQuestion = /Cha mẹ \(người giám hộ\) đã đồng ý/;
const guardianConsentsOf = async (userId: string) => (await consentsOf(userId)).filter((row) => row.guardianConsent);

/** A pupil born in 2013 who has answered up to the parent's-agreement question. */
async function pupilAtGuardianQuestion() {
  const c = citizen();
  for (const text of ["đăng ký", "đồng ý", "Phú Thọ", "Vĩnh Phú", "Không có ở đây", "Thôn Đông", "Phạm Minh Khôi", "2013"]) await c.says(text);
  return c.expectReply(guardianQuestion);
}

describe("consent is never inferred", () => {
  it("asks again after a deferral, a place name with 'Đồng' or a question, and records consent only at 'đồng ý'", async () => {
    const c = citizen();
    await c.says("đăng ký");
    c.expectReply(/có đồng ý/i);
    // Someone else's agreement ("con tôi đồng ý") and words one letter from the "Đồng ý" button ("dong u") are doubtful too.
    for (const doubtful of ["để em hỏi mẹ đã", "Hà Đông", "đồng ý nhưng đừng gọi điện", "ai xem được thông tin của tôi?", "ý", "con tôi đồng ý", "dong u", "dồng ỳ nhưng"]) {
      await c.says(doubtful);
      c.expectReply(/"Đồng ý" hoặc "Không đồng ý"/);
      expect(await consentsOf(c.userId), doubtful).toEqual([]);
    }
    await c.says("đồg ý"); // one slip in typing
    c.expectReply(/tỉnh, thành phố nào/);
    expect(await consentsOf(c.userId)).toHaveLength(1);
  });

  it("none of the doubtful answers the parser refuses records consent through the whole turn (typed labels, commands and all)", async () => {
    const c = citizen();
    await c.says("đăng ký");
    for (const doubtful of doubtfulConsents) {
      await c.says(doubtful);
      expect(await consentsOf(c.userId), doubtful).toEqual([]);
      expect(c.lastText, doubtful).not.toMatch(/tỉnh, thành phố nào/);
    }
    await c.says("đồng ý");
    c.expectReply(/tỉnh, thành phố nào/);
    expect(await consentsOf(c.userId)).toHaveLength(1);
  });

  it("a pupil's answer to another question ('không có sđt', 'nữ') at the parents' question is asked again, not a refusal that deletes what was typed", async () => {
    const c = await pupilAtGuardianQuestion();
    for (const other of ["nữ", "không có sđt", "mẹ không ở nhà"]) {
      await c.says(other);
      c.expectReply(guardianQuestion);
      expect(c.lastText, other).not.toMatch(/đã xóa/);
    }
    await c.says("chưa ạ, tối em hỏi");
    c.expectReply(/đã xóa/);
  });

  it("a pupil's parents: 'để em hỏi mẹ đã' waits, 'dạ rồi ạ' is their agreement", async () => {
    const c = await pupilAtGuardianQuestion();
    await c.says("để em hỏi mẹ đã");
    c.expectReply(guardianQuestion);
    expect(await guardianConsentsOf(c.userId)).toEqual([]);
    await c.says("dạ rồi ạ");
    expect(await guardianConsentsOf(c.userId)).toHaveLength(1);
    expect(c.lastText).not.toMatch(guardianQuestion);
  });

  it("no doubtful answer at the parent's question is taken as the parent's agreement: the pupil's own 'em đồng ý', a guess, a thumbs-up", async () => {
    const c = await pupilAtGuardianQuestion();
    for (const doubtful of doubtfulGuardianAnswers) {
      await c.says(doubtful);
      c.expectReply(guardianQuestion);
      expect(await guardianConsentsOf(c.userId), doubtful).toEqual([]);
    }
    await c.says("bố mẹ em đồng ý rồi ạ");
    expect(await guardianConsentsOf(c.userId)).toHaveLength(1);
  });

  it("shows the consent notice once; after an off-topic reply only the question comes back", async () => {
    const c = citizen();
    await c.says("đăng ký");
    c.expectReply(/Dữ liệu lưu tối đa 5 năm/);
    await c.says("trời hôm nay đẹp quá");
    expect(c.lastText).not.toMatch(/Dữ liệu lưu tối đa 5 năm/);
    // Asking to register again right there is no return: the question, without "welcome back".
    await c.says("tôi muốn đăng ký");
    expect(c.lastText).not.toMatch(/quay lại/);
    c.expectReply(/có đồng ý/i);
    c.expectReply(/có đồng ý/i);
    expect(c.buttonTitles).toEqual(["Đồng ý", "Không đồng ý"]);
  });

  it("refusing keeps nothing the person typed: the page shows none of it on reload", async () => {
    const c = citizen();
    await c.says("chào em, tôi là Nguyễn Văn Tư ở thôn Đông");
    await c.says("đăng ký");
    await c.taps("Không đồng ý");
    c.expectReply(/không lưu thông tin nào/);
    const history = await webTranscript(suite.test.runtime.database.db, c.userId);
    expect(history.entries.filter((entry) => entry.from === "user")).toEqual([]);
    expect(JSON.stringify(history)).not.toContain("Nguyễn Văn Tư");
  });
});
