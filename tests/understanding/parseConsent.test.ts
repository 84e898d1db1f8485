import { describe, expect, it } from "vitest";
import { parseConsent, parseDestructiveConfirmation, parseGuardianConsent, parseYesNo, stripTypingMarks } from "../../src/domain/understanding/index.js";
import { doubtfulConsents, doubtfulGuardianAnswers } from "../support/doubtfulConsents.js";

// Consent is recorded only from an unmistakable agreement (domain.md: explicit consent; Decree 356/2025). Anything
// doubtful must come back as null, so the question is asked again.
const agreements = [
  "Đồng ý", "đồng ý ạ", "dong y", "Dạ, em đồng ý", "ok", "oke ạ", "có", "Có ạ", "vâng", "yes", "I agree", "ddoongf ys", "d9o62ng y1", "tôi đồng ý", "Đồng ý!",
  // what the agreement is to, said after it
  "đồng ý cho sử dụng thông tin", "tôi đồng ý lưu dữ liệu của tôi", "dong y cho phep xu ly thong tin ca nhan", "tôi cho phép", "I agree to the terms", "đồng ý đăng ký",
  // Southern yes, and a "mà" that only insists
  "ừa", "đồng ý rồi mà",
  // the speaker calling themself "con", "em", "cháu"; sharing as the object
  "con đồng ý ạ", "dạ cháu đồng ý", "đồng ý chia sẻ thông tin",
  // one slip in typing
  "đồg ý", "dogn ý",
];
const refusals = ["tôi không đồng ý chia sẻ", "hổng đúng", "Không đồng ý", "không", "ko", "hông", "hổng chịu", "kho6ng", "khoong", "từ chối", "no", "thôi khỏi", "chưa đồng ý", "không đồng ý đâu", "không cho phép"];

describe("parseConsent", () => {
  it.each(agreements)("%j is an agreement", (text) => expect(parseConsent(text)).toBe("yes"));
  it.each(refusals)("%j is a refusal", (text) => expect(parseConsent(text)).toBe("no"));

  it("never takes a doubtful answer as agreement", () => {
    const particles = ["", " ạ", " nhé", " nha", "!", "..."];
    const doubtful = doubtfulConsents.flatMap((text) => particles.map((particle) => `${text}${particle}`));
    const taken = doubtful.filter((text) => parseConsent(text) === "yes");
    expect(taken).toEqual([]);
  });

  it("'X chứ không phải Y' (X, not Y) is no answer: at the guardian question it would have deleted what the pupil typed", () => {
    expect(parseGuardianConsent("em đăng ký cho bà chứ không phải cho em")).toBeNull();
    expect(parseYesNo("đúng chứ không phải sai")).toBeNull();
    expect(parseYesNo("đồng ý chứ")).toBe("yes");
  });

  it("the guardian question: parents named, 'rồi' for 'already', still nothing doubtful", () => {
    for (const text of ["mẹ em đồng ý rồi", "bố mẹ cho rồi ạ", "rồi ạ", "dạ rồi", "ba má em đồng ý", "đã", "có ạ"]) expect(parseGuardianConsent(text), text).toBe("yes");
    for (const text of ["chưa", "bố mẹ không đồng ý", "chưa ạ", "hông", "em chưa hỏi", "chưa, để em hỏi mẹ"]) expect(parseGuardianConsent(text), text).toBe("no");
    // A "chưa" after other words may not be about the agreement at all: asked again.
    expect(parseGuardianConsent("mẹ đi làm chưa về")).toBeNull();
    // "chưa hỏi được": the "được" of a thing not managed is no yes.
    for (const text of ["chưa hỏi được", "em chưa hỏi được ạ", "chưa gọi được cho mẹ", "không liên lạc được với bố"]) expect(parseGuardianConsent(text), text).toBe("no");
    for (const text of [...doubtfulGuardianAnswers, "chưa, để em hỏi mẹ"]) expect(parseGuardianConsent(text), text).not.toBe("yes");
    // "em" after a parent is whose parent it is, not the speaker agreeing.
    for (const text of ["bố mẹ em đồng ý rồi", "mẹ con cho phép rồi", "nhà em đồng ý rồi ạ"]) expect(parseGuardianConsent(text), text).toBe("yes");
  });

  it("ordinary yes/no questions no longer read 'Đông' or 'đồng' alone as yes, and read Southern and Telex no", () => {
    expect(parseYesNo("Hà Đông")).toBeNull();
    expect(parseYesNo("đồng")).toBeNull();
    expect(parseYesNo("hổng phải")).toBe("no");
    expect(parseYesNo("hem")).toBe("no");
    expect(parseYesNo("kho6ng")).toBe("no");
  });

  it("strips Telex and VNI marks a keyboard left behind", () => {
    expect(["ddoongf", "ys", "kho6ng", "d9o62ng", "khoong", "dduwowcj"].map(stripTypingMarks)).toEqual(["dong", "y", "khong", "dong", "khong", "duoc"]);
  });

  it("'delete everything?' and 'cancel?': the keep button named is a no whatever yes comes with it; a yes only when unmistakable", () => {
    const keep = ["Giữ lại", "Keep"];
    const read = (texts: string[]) => texts.map((text) => parseDestructiveConfirmation(text, keep));
    expect(read(["ok giữ lại", "ừ mà thôi giữ lại", "giu lai", "không xóa", "đừng xóa", "thôi"])).toEqual(Array(6).fill("no"));
    expect(read(["vâng, xóa hết đi", "xóa đi", "Xóa hết ạ", "có", "ok", "yes delete it", "đồng ý xóa"])).toEqual(Array(7).fill("yes"));
    // Something else said, or "dung xoa" (đừng or đúng?): asked again, nothing deleted.
    expect(read(["dạ tôi chỉ muốn sửa tên", "ok cho tôi xem dữ liệu trước", "có nên xóa không", "dung xoa"])).toEqual(Array(4).fill(null));
  });
});
