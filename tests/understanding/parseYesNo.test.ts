import { describe, expect, it } from "vitest";
import { parseYesNo } from "../../src/domain/understanding/index.js";

describe("parseYesNo", () => {
  it.each(["có", "co", "đồng ý", "dong y", "ok", "oke", "ừ", "uk", "vâng", "dạ", "được", "dc", "chắc chắn", "yes", "y", "sure", "agree", "I agree", "đúng rồi", "Dạ em đồng ý ạ", "ok em", "👍"])(
    "%j is yes",
    (input) => expect(parseYesNo(input)).toBe("yes"),
  );

  it.each(["không", "ko", "k", "hok", "không đồng ý", "khong dong y", "ko đồng ý", "no", "n", "nope", "từ chối", "không muốn", "chưa đồng ý", "I don't agree", "no thanks", "sai rồi"])(
    "%j is no",
    (input) => expect(parseYesNo(input)).toBe("no"),
  );

  it("reads a negated yes as no, and a polite particle before no as no", () => {
    expect(parseYesNo("không đồng ý")).toBe("no");
    expect(parseYesNo("đồng ý")).toBe("yes");
    expect(parseYesNo("dạ không")).toBe("no");
    expect(parseYesNo("I do not agree")).toBe("no");
  });

  it("softening words after a yes do not turn it into a no", () => {
    expect(parseYesNo("được thôi")).toBe("yes");
    expect(parseYesNo("thôi")).toBe("no");
  });

  it.each(["không biết", "có lẽ", "maybe", "có hay không?", "ok không?", "tôi chưa hiểu", "hello", "", "???", "không chắc"])(
    "%j is neither: ask again",
    (input) => expect(parseYesNo(input)).toBeNull(),
  );
});
