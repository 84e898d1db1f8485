import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messengerEvents, postWebhook, signedMessengerWebhook, signedZaloWebhook, zaloEvents, type SignedWebhook } from "../fakes/signWebhooks.js";
import { startFakePlatformWorld, testPage, testZaloOa, type FakePlatformWorld } from "../support/platformHelpers.js";

// 5,000 mutated but validly signed Messenger and Zalo payloads (a seeded generator, so a failure can be replayed):
// no crash, no 5xx for well-formed JSON, no error-level log line without its error; 500 forged or tampered ones:
// all 401 and nothing recorded.
let world: FakePlatformWorld;

beforeAll(async () => {
  world = await startFakePlatformWorld({ LOG_LEVEL: "info" });
}, 120_000);
afterAll(async () => {
  await world?.close();
});

/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const oddValues: Json[] = [
  "", " ", "\u0000", "a\u0000b", "\uD800", "\uDFFF x", "😀".repeat(50), "\u202Eabc", "x".repeat(3000), "<script>alert(1)</script>", "' OR 1=1 --", "%s%n",
  "đăng ký", "dang ky", "chihoi ABCDEFGH", "dec:AAAAAAAAAAAAAAAAAAAAAA:confirm", "opt:consent:yes", "GET_STARTED", "cmd:register",
  0, -1, 1.5, 1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null, [], {}, [1, "a", null], { nested: { deeper: { deepest: ["x"] } } },
];

const odd = (next: () => number): Json => structuredClone(oddValues[Math.floor(next() * oddValues.length)]!);

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (value !== null && typeof value === "object") {
    for (const [key, child] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      const path = [...prefix, key];
      out.push(path);
      paths(child as Json, path, out);
    }
  }
  return out;
}

function mutate(base: Json, next: () => number): Json {
  const copy = structuredClone(base) as Json;
  const count = 1 + Math.floor(next() * 3);
  for (let n = 0; n < count; n++) {
    const all = paths(copy);
    if (all.length === 0) break;
    const path = all[Math.floor(next() * all.length)]!;
    let parent = copy as Record<string | number, Json>;
    for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
    const key = path.at(-1)!;
    const roll = next();
    if (roll < 0.15 && !Array.isArray(parent)) delete parent[key];
    else if (roll < 0.25 && !Array.isArray(parent)) parent[`extra_${Math.floor(next() * 100)}`] = odd(next);
    else parent[key] = odd(next);
  }
  return copy;
}

function messengerPayload(index: number, next: () => number): SignedWebhook {
  const psid = `75${String(index).padStart(11, "0")}`;
  const kinds = [
    () => messengerEvents.text(psid, testPage.pageId, "đăng ký", `m_fz_${index}`),
    () => messengerEvents.quickReply(psid, testPage.pageId, "Đồng ý", "opt:consent:yes", `m_fzq_${index}`),
    () => messengerEvents.postback(psid, testPage.pageId, "Bắt đầu", "GET_STARTED", `m_fzp_${index}`),
  ];
  const events = Array.from({ length: 1 + Math.floor(next() * 3) }, () => kinds[Math.floor(next() * kinds.length)]!());
  const batch = messengerEvents.batch(testPage.pageId, events) as unknown as Json;
  return signedMessengerWebhook(testPage.appSecret, mutate(batch, next));
}

function zaloPayload(index: number, next: () => number): SignedWebhook {
  const userId = `246${String(index).padStart(15, "0")}`;
  const base = (next() < 0.7 ? zaloEvents.text(testZaloOa.appId, userId, testZaloOa.oaId, "đăng ký", `zfz${index}`) : zaloEvents.follow(testZaloOa.appId, userId, testZaloOa.oaId)) as unknown as Json;
  const mutated = mutate(base, next) as Record<string, Json>;
  // The signature covers the timestamp as the server reads it: keep it signable whatever the mutation made of it.
  return signedZaloWebhook({ appId: testZaloOa.appId, oaSecretKey: testZaloOa.oaSecretKey }, { ...mutated, timestamp: String(mutated.timestamp ?? "") });
}

async function sendAll(requests: { url: string; webhook: SignedWebhook }[], concurrency = 8): Promise<number[]> {
  const statuses: number[] = new Array(requests.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const index = next++;
        const request = requests[index]!;
        statuses[index] = (await postWebhook(request.url, request.webhook)).status;
      }
    }),
  );
  return statuses;
}

describe("webhook fuzzing", () => {
  it("answers 5,000 mutated, validly signed payloads without a 5xx or a crash", async () => {
    const next = random(20261124);
    const requests = Array.from({ length: 5000 }, (_, index) =>
      index % 5 === 4
        ? { url: `${world.server.url}/webhooks/zalo`, webhook: zaloPayload(index, next) }
        : { url: `${world.server.url}/webhooks/messenger`, webhook: messengerPayload(index, next) },
    );
    const statuses = await sendAll(requests);
    const counts = statuses.reduce<Record<number, number>>((all, status) => ({ ...all, [status]: (all[status] ?? 0) + 1 }), {});
    const failing = statuses.map((status, index) => ({ status, index })).filter(({ status }) => status >= 500);
    expect(failing.slice(0, 5).map(({ index }) => requests[index]!.webhook.body.slice(0, 400)), JSON.stringify(counts)).toEqual([]);
    expect(counts[200]).toBeGreaterThan(1000);
    expect(world.server.child.exitCode).toBeNull();
    expect((await fetch(`${world.server.url}/readyz`)).status).toBe(200);
    const errors = world.server.logs.filter((line) => line.includes('"level":50') || line.includes('"level":60'));
    expect(errors.filter((line) => !line.includes('"err":')).slice(0, 3)).toEqual([]);
  }, 600_000);

  it("answers 401 to 500 forged or tampered payloads and records nothing of them", async () => {
    const requests: { url: string; webhook: SignedWebhook }[] = [];
    for (let index = 0; index < 250; index++) {
      const psid = `76${String(index).padStart(11, "0")}`;
      const body = messengerEvents.batch(testPage.pageId, [messengerEvents.text(psid, testPage.pageId, "đăng ký", `m_forged_${index}`)]);
      const signed = signedMessengerWebhook(index % 2 === 0 ? "not-the-app-secret" : testPage.appSecret, body);
      requests.push({ url: `${world.server.url}/webhooks/messenger`, webhook: index % 2 === 0 ? signed : { ...signed, body: signed.body.replace("đăng ký", "dang ky") } });
      const userId = `247${String(index).padStart(15, "0")}`;
      const zalo = signedZaloWebhook({ appId: testZaloOa.appId, oaSecretKey: index % 2 === 0 ? "wrong-oa-secret" : testZaloOa.oaSecretKey }, zaloEvents.text(testZaloOa.appId, userId, testZaloOa.oaId, "đăng ký", `zfg${index}`));
      requests.push({ url: `${world.server.url}/webhooks/zalo`, webhook: index % 2 === 0 ? zalo : { ...zalo, body: zalo.body.replace("đăng ký", "dang ky") } });
    }
    const statuses = await sendAll(requests);
    expect(new Set(statuses)).toEqual(new Set([401]));
    const { rows } = await world.database.query(`select count(*)::int as n from inbound_events where user_id like '76%' or user_id like '247%'`);
    expect(rows[0].n).toBe(0);
  });
});
