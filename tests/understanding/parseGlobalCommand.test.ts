import { describe, expect, it } from "vitest";
import { parseGlobalCommand } from "../../src/domain/understanding/index.js";
import { expandPattern } from "../../src/domain/understanding/parseGlobalCommand.js";

describe("parseGlobalCommand", () => {
  it.each([
    ["trợ giúp", "help"],
    ["tro giup", "help"],
    ["giúp", "help"],
    ["help", "help"],
    ["hướng dẫn", "help"],
    ["?", "help"],
    ["hủy", "cancel"],
    ["huy", "cancel"],
    ["hủy bỏ", "cancel"],
    ["cancel", "cancel"],
    ["dừng lại", "cancel"],
    ["quay lại", "back"],
    ["quay lai", "back"],
    ["trở lại", "back"],
    ["back", "back"],
    ["sửa", "edit"],
    ["sua", "edit"],
    ["chỉnh sửa", "edit"],
    ["edit", "edit"],
    ["trạng thái", "status"],
    ["trang thai", "status"],
    ["tình trạng", "status"],
    ["status", "status"],
    ["dữ liệu của tôi", "myData"],
    ["du lieu cua toi", "myData"],
    ["xem dữ liệu", "myData"],
    ["my data", "myData"],
    ["xóa dữ liệu", "deleteData"],
    ["xoa du lieu", "deleteData"],
    ["xoá dữ liệu", "deleteData"],
    ["delete my data", "deleteData"],
    ["delete data", "deleteData"],
    ["ngôn ngữ", "language"],
    ["ngon ngu", "language"],
    ["language", "language"],
    ["tiếng anh", "language"],
    ["english", "language"],
    ["tiếng việt", "language"],
    ["đăng ký", "register"],
    ["dang ky", "register"],
    ["dk", "register"],
    ["đk", "register"],
    ["register", "register"],
    ["bắt đầu", "register"],
    ["bat dau", "register"],
    ["start", "register"],
  ])("%j → %s", (input, command) => expect(parseGlobalCommand(input)).toBe(command));

  it("allows a trailing mark, politeness and small typos in longer phrases", () => {
    expect(parseGlobalCommand("Hủy!")).toBe("cancel");
    expect(parseGlobalCommand("Trợ giúp.")).toBe("help");
    expect(parseGlobalCommand("quay lại?")).toBe("back");
    expect(parseGlobalCommand("tôi muốn hủy ạ")).toBe("cancel");
    expect(parseGlobalCommand("quay lia")).toBe("back");
    expect(parseGlobalCommand("tro giupp")).toBe("help");
    expect(parseGlobalCommand("xoa du leiu")).toBe("deleteData");
  });

  it("commands as older people and pupils put them, the speaker said inside ('thôi bác không làm nữa')", () => {
    const said: [string, string][] = [
      ["bác không biết làm", "help"], ["khó quá", "help"], ["con không biết trả lời sao", "help"], ["thôi bác không làm nữa", "cancel"],
      ["gõ nhầm, quay lại", "back"], ["bấm nhầm rồi", "back"], ["trở lại câu trước", "back"], ["kiểm tra hồ sơ", "status"],
      ["hồ sơ của tôi được duyệt chưa", "status"], ["tôi muốn xóa thông tin cá nhân", "deleteData"], ["cho xem dữ liệu của tôi", "myData"],
      ["không muốn nhận tin nhắn nữa", "remindersOff"], ["tui hổng hiểu", "help"],
    ];
    for (const [text, command] of said) expect(parseGlobalCommand(text), text).toBe(command);
    // Answers, not commands: "không biết dùng" answers the phone-use question, "không biết" any question.
    for (const text of ["không biết dùng", "không biết", "bà con", "khó", "không nhắn tin"]) expect(parseGlobalCommand(text), text).toBeNull();
  });

  it("a pattern stands for every phrase it combines, an empty choice leaving its group out", () => {
    expect(expandPattern("(xem|kiem tra) (ho so|) cua toi")).toEqual(["xem ho so cua toi", "xem cua toi", "kiem tra ho so cua toi", "kiem tra cua toi"]);
  });

  it("cancelling a registration is not registering", () => {
    expect(parseGlobalCommand("hủy đăng ký")).toBe("cancel");
  });

  it("an edit naming its field is an edit ('cho tôi sửa lại tên'), and a wish to hear no more reminders stops them", () => {
    for (const text of ["cho tôi sửa lại tên", "em muốn sửa năm sinh", "đổi lại địa chỉ", "sửa sđt"]) expect(parseGlobalCommand(text), text).toBe("edit");
    for (const text of ["đừng nhắn nhắc tôi nữa", "không nhắc nữa", "thôi khỏi nhắc nữa", "không cần gửi tin nhắc nữa"]) expect(parseGlobalCommand(text), text).toBe("remindersOff");
    // "nhắc" without "nữa" or someone told: not a wish to stop.
    expect(parseGlobalCommand("không nhắc")).toBeNull();
  });

  it("never confuses deleting with viewing data", () => {
    expect(parseGlobalCommand("xem du lieu cua toi")).toBe("myData");
    expect(parseGlobalCommand("xom du lieu cua toi")).toBeNull();
  });

  it.each(["tôi sẽ học sửa xe", "sửa xe máy", "tôi muốn học tiếng anh", "không", "đồng ý", "dk ABC123", "huy chương", "", "😊"])(
    "%j is an answer, not a command",
    (input) => expect(parseGlobalCommand(input)).toBeNull(),
  );
});
