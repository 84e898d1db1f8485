import { describe, expect, it } from "vitest";
import { renderMessengerMessage } from "../../src/channels/messenger/renderMessengerMessage.js";
import { shortenTitle } from "../../src/channels/shared/shortenTitle.js";
import { splitText } from "../../src/channels/shared/splitText.js";
import { renderZaloMessage } from "../../src/channels/zalo/renderZaloMessage.js";
import type { Button } from "../../src/conversation/types.js";
import { graphSendBodySchema } from "../fakes/fakeGraphApi.js";
import { zaloCsBodySchema } from "../fakes/fakeZaloApi.js";

const sentence = "Hội Khuyến học xã ghi nhận đăng ký của bạn và sẽ liên hệ sớm nhất có thể. ";
const options = (count: number, title = (i: number) => `Lựa chọn ${i}`): Button[] =>
  Array.from({ length: count }, (_, index) => ({ title: title(index + 1), payload: `opt:group:${index + 1}` }));

describe("splitText", () => {
  it("leaves a short text alone, NFC-normalised", () => {
    const decomposed = "Đăng ký".normalize("NFD");
    expect(splitText(decomposed, 2000)).toEqual(["Đăng ký".normalize("NFC")]);
  });

  it("splits at sentence ends, each part within the limit, nothing lost", () => {
    const text = sentence.repeat(60).trim();
    const parts = splitText(text, 2000);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part.endsWith(".")).toBe(true);
    }
    expect(parts.join(" ")).toBe(text);
  });

  it("measures after NFC: decomposed Vietnamese that fits once composed is not split", () => {
    const composed = "ệ".repeat(1500);
    expect(composed.normalize("NFD").length).toBe(4500);
    expect(splitText(composed.normalize("NFD"), 2000)).toEqual([composed]);
  });

  it("splits a sentence without full stops at word ends, and a giant word between characters", () => {
    const words = "khuyến học ".repeat(300).trim();
    const parts = splitText(words, 2000);
    for (const part of parts) {
      expect(part.length).toBeLessThanOrEqual(2000);
      expect(part).toMatch(/^(khuyến|học) .* (khuyến|học)$/u);
    }
    expect(parts.join(" ")).toBe(words);
    const giant = "ữ".repeat(4100);
    expect(splitText(giant, 2000).map((part) => part.length)).toEqual([2000, 2000, 100]);
  });
});

describe("shortenTitle", () => {
  it("keeps titles that fit", () => {
    expect(shortenTitle("Người dân", 20)).toBe("Người dân");
    expect(shortenTitle("Chi hội trưởng xã Ái", 20)).toBe("Chi hội trưởng xã Ái");
  });

  it("cuts after the last whole Vietnamese word and adds …", () => {
    expect(shortenTitle("Học sinh trung học phổ thông", 20)).toBe("Học sinh trung học…");
    expect(shortenTitle("Người cao tuổi, hưu trí", 20)).toBe("Người cao tuổi, hưu…");
    const short = shortenTitle("Cán bộ, công chức, viên chức", 20);
    expect(short.length).toBeLessThanOrEqual(20);
    expect(short).toBe("Cán bộ, công chức…");
  });

  it("never splits a letter from its diacritics, even for decomposed input or one long word", () => {
    const decomposed = "Nghiêng nghiêng nghiêng nghiêng".normalize("NFD");
    const short = shortenTitle(decomposed, 20);
    expect(short).toBe("Nghiêng nghiêng…");
    expect(short.normalize("NFC")).toBe(short);
    const oneWord = shortenTitle("Ngườiiiiiiiiiiiiiiiiiiiiiiiiii", 20);
    expect(oneWord).toHaveLength(20);
    expect(oneWord.startsWith("Người")).toBe(true);
  });
});

describe("renderMessengerMessage", () => {
  it("sends a plain text as RESPONSE, split at 2,000 characters", () => {
    const bodies = renderMessengerMessage("111", { text: sentence.repeat(60) });
    expect(bodies.length).toBe(3);
    for (const body of bodies) expect(graphSendBodySchema.safeParse(body).success).toBe(true);
    expect(bodies[0]).toMatchObject({ recipient: { id: "111" }, messaging_type: "RESPONSE" });
  });

  it("puts up to 13 options as quick replies on the last part, titles shortened", () => {
    const buttons = options(13, (i) => `Lựa chọn số ${i} rất dài dòng`);
    const bodies = renderMessengerMessage("111", { text: "Bạn thuộc nhóm nào?", buttons }, "UPDATE");
    expect(bodies).toHaveLength(1);
    const body = bodies[0];
    expect(graphSendBodySchema.parse(body)).toBeTruthy();
    expect(body?.messaging_type).toBe("UPDATE");
    const message = body?.message;
    if (!message || !("text" in message)) throw new Error("expected a text message");
    expect(message.quick_replies?.map((reply) => reply.payload)).toEqual(buttons.map((button) => button.payload));
    expect(message.quick_replies?.[0]?.title).toBe("Lựa chọn số 1 rất…");
  });

  it("falls back to a numbered list beyond 13 options", () => {
    const bodies = renderMessengerMessage("111", { text: "Chọn xã:", buttons: options(14) });
    expect(bodies).toHaveLength(1);
    const message = bodies[0]?.message;
    expect(message).toEqual({ text: `Chọn xã:\n\n${options(14).map((button, index) => `${index + 1}. ${button.title}`).join("\n")}` });
  });

  it("numbers the options when shortened titles would look alike", () => {
    const buttons: Button[] = [
      { title: "Tôi là học sinh trung học cơ sở", payload: "opt:g:thcs" },
      { title: "Tôi là học sinh trung học phổ thông", payload: "opt:g:thpt" },
    ];
    const [body] = renderMessengerMessage("111", { text: "Bạn là ai?", buttons });
    expect(graphSendBodySchema.safeParse(body).success).toBe(true);
    expect(body?.message).toEqual({
      text: "Bạn là ai?\n\n1. Tôi là học sinh trung học cơ sở\n2. Tôi là học sinh trung học phổ thông",
      quick_replies: [
        { content_type: "text", title: "1", payload: "opt:g:thcs" },
        { content_type: "text", title: "2", payload: "opt:g:thpt" },
      ],
    });
  });

  it("uses a button template (≤ 3 buttons, text ≤ 640) for decisions, splitting the text before it", () => {
    const buttons: Button[] = [
      { title: "Xác nhận", payload: "dec:8f3a9c:confirm" },
      { title: "Từ chối", payload: "dec:8f3a9c:reject" },
    ];
    const text = sentence.repeat(12);
    const bodies = renderMessengerMessage("111", { text, buttons }, "UPDATE");
    for (const body of bodies) expect(graphSendBodySchema.safeParse(body).success, JSON.stringify(body)).toBe(true);
    const last = bodies.at(-1)?.message;
    if (!last || !("attachment" in last)) throw new Error("expected a template");
    expect(last.attachment.payload.buttons).toEqual([
      { type: "postback", title: "Xác nhận", payload: "dec:8f3a9c:confirm" },
      { type: "postback", title: "Từ chối", payload: "dec:8f3a9c:reject" },
    ]);
    expect(last.attachment.payload.text.length).toBeLessThanOrEqual(640);
  });
});

describe("renderZaloMessage", () => {
  it("sends up to 5 options as oa.query.hide buttons on the last part", () => {
    const bodies = renderZaloMessage("246845883529197922", { text: sentence.repeat(30), buttons: options(5, (i) => `Phương án thứ ${i} của bạn`) });
    expect(bodies.length).toBe(2);
    for (const body of bodies) expect(zaloCsBodySchema.safeParse(body).success).toBe(true);
    expect(bodies[0]?.message.attachment).toBeUndefined();
    expect(bodies[1]?.message.attachment?.payload.buttons).toEqual(
      options(5).map((button, index) => ({ title: `Phương án thứ ${index + 1} của…`, type: "oa.query.hide", payload: button.payload })),
    );
  });

  it("falls back to a numbered list beyond 5 options or with a payload over 1,000 characters", () => {
    const [many] = renderZaloMessage("2468", { text: "Chọn:", buttons: options(6) });
    expect(many?.message).toEqual({ text: `Chọn:\n\n${options(6).map((button, index) => `${index + 1}. ${button.title}`).join("\n")}` });
    const [long] = renderZaloMessage("2468", { text: "Chọn:", buttons: [{ title: "A", payload: `opt:x:${"a".repeat(1000)}` }] });
    expect(long?.message.attachment).toBeUndefined();
    expect(long?.message.text).toBe("Chọn:\n\n1. A");
  });
});
