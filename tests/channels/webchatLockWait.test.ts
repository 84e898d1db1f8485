import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebchatClient } from "../support/serverProcess.js";
import { startWebchatApp } from "../support/webchatApp.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Issue 9: a web chat request never waits long on a lock another process holds: 202, and the reply is picked up
// by the page's next look (/chat/api/updates) once the turn ran.
let test: TestRuntime;
let app: Awaited<ReturnType<typeof startWebchatApp>>;
let url: string;

beforeAll(async () => {
  test = await startTestRuntime();
  app = await startWebchatApp(test, { replyWaitMs: 300 });
  url = app.url;
});
afterAll(async () => {
  await app?.close();
  await test?.close();
});

describe("the web chat and a busy turn lock", () => {
  it("answers 202 while another holder has the visitor's lock, then the reply arrives through updates", async () => {
    const visitor = new WebchatClient(url);
    await visitor.says("xin chào");
    const userId = visitor.cookie.split("=")[1]!;
    const key = `${test.config.REDIS_PREFIX}lock:web:${userId}`;
    expect(await test.runtime.redis!.set(key, "another-process", "PX", 20_000, "NX")).toBe("OK");

    const response = await fetch(`${url}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: visitor.cookie },
      body: JSON.stringify({ text: "đăng ký", after: visitor.lastOutboxId }),
    });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { pending?: boolean; entries: unknown[] };
    expect(body.pending).toBe(true);

    await test.runtime.redis!.del(key);
    await expect
      .poll(
        async () => {
          const updates = (await (await fetch(`${url}/chat/api/updates?after=${visitor.lastOutboxId}`, { headers: { cookie: visitor.cookie } })).json()) as { entries: { text: string }[] };
          return updates.entries.map((entry) => entry.text).join("\n");
        },
        { timeout: 15_000, interval: 100 },
      )
      .toMatch(/có đồng ý/i);
  });
});
