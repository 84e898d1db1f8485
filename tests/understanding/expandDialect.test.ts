import { describe, expect, it } from "vitest";
import { expandDialect } from "../../src/domain/understanding/expandDialect.js";

describe("Central words written as the standard ones", () => {
  it.each([
    ["nỏ đồng ý", "không đồng ý"],
    ["rứa thì đồng ý", "vậy thì đồng ý"],
    ["có chớ", "có chứ"],
    ["ngày mô cũng đọc", "ngày nào cũng đọc"],
    ["ngay mo cung hoc", "ngay nào cung hoc"],
    ["tối mô cũng coi thời sự", "tối nào cũng coi thời sự"],
    ["hồ sơ tới mô rồi", "hồ sơ tới đâu rồi"],
    ["nỏ đi mô", "không đi đâu"],
    ["chưa mô", "chưa đâu"],
    ["năm ni 62 tuổi", "năm nay 62 tuổi"],
    ["tuần ni bận", "tuần này bận"],
    ["nỏ biết chi", "không biết gì"],
    ["làm răng đăng ký", "làm sao đăng ký"],
    ["răng rứa?", "sao vậy?"],
    ["tuần đọc vài bận", "tuần đọc vài lần"],
    ["nỏ có thì giờ", "không có thời gian"],
    ["tau đồng ý", "tôi đồng ý"],
    ["bán hàng trên phây", "bán hàng trên facebook"],
    ["đúng rồi hè", "đúng rồi nhé"],
    ["bây chừ", "bây giờ"],
    ["đúng dzồi", "đúng rồi"],
    ["dzậy là đúng", "vậy là đúng"],
    ["mần ruộng", "làm ruộng"],
    ["hủy dùm tui", "hủy giúp tui"],
    ["tía má con cho rồi", "bố mẹ con cho rồi"],
    ["tui sanh năm 1968", "tui sinh năm 1968"],
    ["được nghen", "được nhé"],
  ])("%s → %s", (typed, standard) => {
    expect(expandDialect(typed)).toBe(standard);
  });

  it.each([
    "mô hình trồng rau",
    "quy mô",
    "ước mơ học tiếng anh",
    "uoc mo hoc",
    "học hè",
    "nghỉ hè thì đọc",
    "biết tiếng tau",
    "đi tau",
    "chi hội thôn Đông",
    "chi phí học",
    "đau răng",
    "tuần này bận lắm",
    "cư ni",
    "no",
  ])("leaves %s as it is", (typed) => {
    expect(expandDialect(typed)).toBe(typed);
  });
});
