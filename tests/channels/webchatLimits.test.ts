import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rateLimitStore } from "../../src/http/rateLimitStore.js";
import { WebchatClient } from "../support/serverProcess.js";
import { startWebchatApp } from "../support/webchatApp.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// The web chat is open to anyone: a visitor (and an IP address) sending more than a person could type in a minute
// gets 429 with Retry-After, counted in Redis so every process agrees; other visitors are not affected.
let test: TestRuntime;
let app: Awaited<ReturnType<typeof startWebchatApp>>;
let url: string;

beforeAll(async () => {
  test = await startTestRuntime();
  app = await startWebchatApp(test, { limits: { perVisitorPerMinute: 5, perIpPerMinute: 8, store: (name) => rateLimitStore(test.runtime.redis, test.config.REDIS_PREFIX, name) } });
  url = app.url;
});
afterAll(async () => {
  await app?.close();
  await test?.close();
});

async function statusOf(visitor: WebchatClient, text: string): Promise<{ status: number; retryAfter: string | null }> {
  const response = await fetch(`${url}/chat/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: visitor.cookie },
    body: JSON.stringify({ text }),
  });
  const setCookie = response.headers.get("set-cookie");
  if (setCookie) visitor.cookie = setCookie.split(";")[0] ?? "";
  return { status: response.status, retryAfter: response.headers.get("retry-after") };
}

/** A visitor as the page makes one: loading the history first gives them their cookie. */
async function visitor(): Promise<WebchatClient> {
  const client = new WebchatClient(url);
  const response = await fetch(`${url}/chat/api/history`);
  client.cookie = response.headers.get("set-cookie")?.split(";")[0] ?? "";
  return client;
}

describe("web chat rate limits", () => {
  it("answer 429 past the per-visitor limit, then past the per-IP limit, with Retry-After", async () => {
    const first = await visitor();
    const statuses = [];
    for (let n = 0; n < 6; n++) statuses.push((await statusOf(first, `tin ${n}`)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect((await statusOf(first, "nữa")).retryAfter).toBe("60");
    // Seven requests from this IP so far (both refusals count): a new visitor gets one more, then the IP is full.
    const second = await visitor();
    expect([(await statusOf(second, "chào")).status, (await statusOf(second, "chào")).status]).toEqual([200, 429]);
  });
});

describe("the page", () => {
  it("is rendered in the language the visitor chose last (its cookie), Vietnamese otherwise", async () => {
    const vietnamese = await (await fetch(`${url}/chat`)).text();
    expect(vietnamese).toMatch(/<html lang="vi">/);
    expect(vietnamese).toMatch(/<title>Trợ lý/);
    const english = await (await fetch(`${url}/chat`, { headers: { cookie: "lca-lang=en" } })).text();
    expect(english).toMatch(/<html lang="en">/);
    expect(english).toMatch(/<title>Learning Citizen Assistant<\/title>/);
    expect(english).toMatch(/<h1 data-word="title">Learning Citizen Assistant<\/h1>/);
  });
});
