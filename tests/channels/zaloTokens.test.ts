import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisLocks } from "../../src/channels/shared/redisLocks.js";
import { ZaloTokenRefreshError } from "../../src/channels/shared/errors.js";
import { createZaloClient } from "../../src/channels/zalo/zaloClient.js";
import { createZaloTokenManager } from "../../src/channels/zalo/zaloTokens.js";
import { createPlatformTokenStore } from "../../src/jobs/platformTokenStore.js";
import { openDatabase, type DatabaseHandle } from "../../src/persistence/openDatabase.js";
import { startFakeZaloApi, type FakeZaloApi } from "../fakes/fakeZaloApi.js";
import { silentLogger } from "./support/silentLogger.js";
import { openTestDatabase, testDatabaseUrl } from "./support/testDatabase.js";
import { testRedisPrefix, testRedisUrl } from "./support/testRedis.js";

const app = { appId: "360846524940903967", appSecret: "zalo-app-secret", accessToken: "zat-initial", refreshToken: "zrt-initial" };
const redisKeys = testRedisPrefix("zalotokens");

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let secondHandle: DatabaseHandle;
let fake: FakeZaloApi;
const connections: Redis[] = [];

/** A token manager as one process would build it: its own Redis connection and database pool. */
function processManager(handle: DatabaseHandle, options: { now?: () => Date; storeName?: string; initialRefreshToken?: string } = {}) {
  const redis = new Redis(testRedisUrl);
  connections.push(redis);
  return createZaloTokenManager({
    store: createPlatformTokenStore(handle.db, options.storeName ?? "zalo"),
    locks: createRedisLocks(redis, redisKeys.prefix),
    appId: app.appId,
    appSecret: app.appSecret,
    oauthUrl: fake.oauthUrl,
    initialAccessToken: app.accessToken,
    initialRefreshToken: options.initialRefreshToken ?? app.refreshToken,
    log: silentLogger,
    ...(options.now ? { now: options.now } : {}),
  });
}

beforeAll(async () => {
  database = await openTestDatabase("zalotokens");
  secondHandle = await openDatabase({ url: testDatabaseUrl, dataDir: "memory://", schemaName: database.handle.schemaName, poolSize: 2 });
  fake = await startFakeZaloApi(app);
});

afterAll(async () => {
  await Promise.all(connections.map((redis) => redis.quit()));
  await fake?.close();
  await secondHandle?.close();
  await redisKeys.cleanup();
  await database?.drop();
});

describe("Zalo token manager", () => {
  it("seeds from the environment once, then two processes racing a refresh make exactly one refresh call and both use the new token", async () => {
    const processA = processManager(database.handle);
    const processB = processManager(secondHandle);
    const [tokenA, tokenB] = await Promise.all([processA.accessToken(), processB.accessToken()]);
    expect([tokenA, tokenB]).toEqual([app.accessToken, app.accessToken]);

    fake.expireAccessTokens();
    fake.setRefreshDelay(150);
    const client = createZaloClient({ apiUrl: fake.apiUrl });
    const rejected = await client.getOa(tokenA);
    expect(rejected.status === "failed" && rejected.failure.kind).toBe("tokenInvalid");

    const [newA, newB] = await Promise.all([processA.refreshAfterRejection(tokenA), processB.refreshAfterRejection(tokenB)]);
    fake.setRefreshDelay(0);
    expect(fake.refreshes.items).toEqual([{ refreshToken: app.refreshToken, outcome: "issued" }]);
    expect(newA).toBe(newB);
    expect(fake.currentAccessTokens()).toEqual([newA]);
    expect(await processA.accessToken()).toBe(newA);
    expect(await processB.accessToken()).toBe(newA);
    for (const token of [await processA.accessToken(), await processB.accessToken()]) expect((await client.getOa(token)).status).toBe("ok");

    const stored = await createPlatformTokenStore(database.handle.db, "zalo").read();
    expect(stored?.accessToken).toBe(newA);
    expect(stored?.refreshToken).not.toBe(app.refreshToken);
    expect(stored?.expiresAt?.getTime()).toBeGreaterThan(Date.now() + 89_000_000);
  });

  it("refreshes before expiry, once across processes, with the refresh token saved by the last refresh", async () => {
    const nearExpiry = () => new Date(Date.now() + 88_000_000);
    const processC = processManager(database.handle, { now: nearExpiry });
    const processD = processManager(secondHandle, { now: nearExpiry });
    const before = fake.refreshes.items.length;
    const [tokenC, tokenD] = await Promise.all([processC.accessToken(), processD.accessToken()]);
    expect(fake.refreshes.items.slice(before).map((refresh) => refresh.outcome)).toEqual(["issued"]);
    expect(tokenC).toBe(tokenD);
    expect(fake.currentAccessTokens()).toEqual([tokenC]);
  });

  it("says the OA needs re-authorisation when Zalo refuses the refresh token", async () => {
    const broken = processManager(database.handle, { storeName: "zalo-broken", initialRefreshToken: "zrt-already-used" });
    const token = await broken.accessToken();
    const refusal = await broken.refreshAfterRejection(token).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ZaloTokenRefreshError);
    expect((refusal as ZaloTokenRefreshError).retryable).toBe(false);
    expect(fake.refreshes.items.at(-1)).toEqual({ refreshToken: "zrt-already-used", outcome: "rejected" });
  });
});
