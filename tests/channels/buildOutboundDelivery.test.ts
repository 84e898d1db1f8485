import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { buildOutboundDelivery } from "../../src/jobs/buildOutboundDelivery.js";
import { textOf } from "../fakes/fakeGraphApi.js";
import { messengerPage, startDeliveryWorld, zaloApp, type DeliveryWorld } from "./support/deliveryWorld.js";
import { silentLogger } from "./support/silentLogger.js";
import { testRedisUrl } from "./support/testRedis.js";

let world: DeliveryWorld;

beforeAll(async () => {
  world = await startDeliveryWorld("build", { redis: true });
});
afterAll(async () => {
  await world?.close();
});

/** The environment `npm start` would get, pointed at the fake platforms. */
function environment(redis: boolean) {
  return {
    NODE_ENV: "test",
    REDIS_URL: redis ? testRedisUrl : undefined,
    REDIS_PREFIX: world.redisPrefix,
    MESSENGER_APP_SECRET: "s",
    MESSENGER_VERIFY_TOKEN: "v",
    MESSENGER_PAGE_ACCESS_TOKEN: messengerPage.pageAccessToken,
    MESSENGER_PAGE_ID: messengerPage.pageId,
    MESSENGER_GRAPH_URL: world.graph.graphUrl,
    ZALO_APP_ID: zaloApp.appId,
    ZALO_APP_SECRET: zaloApp.appSecret,
    ZALO_OA_SECRET_KEY: "oa-secret",
    ZALO_ACCESS_TOKEN: zaloApp.accessToken,
    ZALO_REFRESH_TOKEN: zaloApp.refreshToken,
    ZALO_API_URL: world.zalo.apiUrl,
    ZALO_OAUTH_URL: world.zalo.oauthUrl,
    SEND_RETRY_BASE_MS: "20",
  };
}

describe("buildOutboundDelivery", () => {
  it.each([
    ["with REDIS_URL (BullMQ queue and workers)", true, "4001"],
    ["without REDIS_URL (in process)", false, "4002"],
  ])("wires both channels from the configuration %s", async (_mode, redis, userId) => {
    const delivery = buildOutboundDelivery({ config: loadConfig(environment(redis)), db: world.db, log: silentLogger });
    try {
      expect(delivery.deliveries.map((entry) => entry.channel).sort()).toEqual(["messenger", "zalo"]);
      const graphBefore = world.graph.sent.items.length;
      const zaloBefore = world.zalo.sent.items.length;
      await delivery.dispatcher.dispatch([
        ...(await world.addToOutbox("messenger", userId, [{ text: `Messenger ${userId}` }])),
        ...(await world.addToOutbox("zalo", userId, [{ text: `Zalo ${userId}` }])),
        { id: 0, channel: "web", userId, message: { text: "web chat items are not for this dispatcher" } },
      ]);
      expect(textOf((await world.graph.sent.waitFor(graphBefore + 1)).body)).toBe(`Messenger ${userId}`);
      expect((await world.zalo.sent.waitFor(zaloBefore + 1)).body.message.text).toBe(`Zalo ${userId}`);
    } finally {
      await delivery.close();
    }
  });
});
