import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sanitizeForDatabase } from "../../src/persistence/sanitizeForDatabase.js";
import { webTranscript } from "../../src/persistence/conversationStore.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// A NUL byte or half an emoji in what a person typed used to make PostgreSQL refuse the event: the webhook answered
// 500 on every redelivery and the rest of its batch was never recorded.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

describe("events with text PostgreSQL refuses", () => {
  it("removes NUL and replaces lone surrogates, everywhere in a value", () => {
    expect(sanitizeForDatabase({ text: "đồng\u0000 ý \uD83D", list: ["\uDE00x"], n: 1, nested: { "k\u0000": null } })).toEqual({
      text: "đồng ý \uFFFD",
      list: ["\uFFFDx"],
      n: 1,
      nested: { k: null },
    });
    expect(sanitizeForDatabase("😀 ok")).toBe("😀 ok");
  });

  it("records and answers them, and the next event of the batch too", async () => {
    const { inbox, database } = test.runtime;
    const userId = "nul-visitor";
    const at = Date.now();
    const results = [];
    for (const [index, text] of ["đăng ký\u0000", "Đồng ý \uD83D", "phu tho"].entries()) {
      results.push(await inbox.record({ eventId: `nul-${index}`, channel: "web", userId, at: at + index, kind: "text", text }));
    }
    expect(results.map((result) => result.status)).toEqual(["recorded", "recorded", "recorded"]);
    await inbox.drain({ channel: "web", userId });
    const transcript = await webTranscript(database.db, userId);
    const said = transcript.entries.filter((entry) => entry.from === "user").map((entry) => entry.text);
    expect(said).toEqual(["đăng ký", "Đồng ý \uFFFD", "phu tho"]);
    expect(transcript.entries.filter((entry) => entry.from === "bot").map((entry) => entry.text).join("\n")).toMatch(/xã|phường/i);
  });
});
