import { and, asc, eq } from "drizzle-orm";
import { Redis } from "ioredis";
import { channelIdentities, outboundMessages } from "../../../db/schema.js";
import { createMessengerClient } from "../../../src/channels/messenger/messengerClient.js";
import { createLocalLocks } from "../../../src/channels/shared/localLocks.js";
import { createRedisLocks } from "../../../src/channels/shared/redisLocks.js";
import { createZaloClient } from "../../../src/channels/zalo/zaloClient.js";
import { createZaloTokenManager } from "../../../src/channels/zalo/zaloTokens.js";
import type { OutboxItem } from "../../../src/conversation/ports.js";
import type { OutboundMessage } from "../../../src/conversation/types.js";
import type { DeliveryChannel } from "../../../src/jobs/channelDelivery.js";
import { createMessengerDelivery } from "../../../src/jobs/messengerDelivery.js";
import { createPlatformTokenStore } from "../../../src/jobs/platformTokenStore.js";
import { createZaloDelivery } from "../../../src/jobs/zaloDelivery.js";
import { startFakeGraphApi } from "../../fakes/fakeGraphApi.js";
import { startFakeZaloApi } from "../../fakes/fakeZaloApi.js";
import { silentLogger } from "./silentLogger.js";
import { openTestDatabase } from "./testDatabase.js";
import { testRedisPrefix, testRedisUrl } from "./testRedis.js";

export const zaloApp = { appId: "360846524940903967", appSecret: "zalo-app-secret", accessToken: "zat-initial", refreshToken: "zrt-initial" };
export const messengerPage = { pageId: "106000000000001", pageAccessToken: "EAAB-page-token" };

/**
 * Everything the delivery tests share: a migrated schema, fake Graph and Zalo servers, and the app's real
 * Messenger and Zalo deliveries pointed at them (Redis locks when `redis`, local locks otherwise).
 */
export async function startDeliveryWorld(label: string, options: { redis: boolean }) {
  const database = await openTestDatabase(label);
  const redisKeys = testRedisPrefix(label);
  const graph = await startFakeGraphApi(messengerPage);
  const zalo = await startFakeZaloApi(zaloApp);
  const lockRedis = options.redis ? new Redis(testRedisUrl) : null;
  const db = database.handle.db;
  const tokens = createZaloTokenManager({
    store: createPlatformTokenStore(db, "zalo"),
    locks: lockRedis ? createRedisLocks(lockRedis, redisKeys.prefix) : createLocalLocks(),
    appId: zaloApp.appId,
    appSecret: zaloApp.appSecret,
    oauthUrl: zalo.oauthUrl,
    initialAccessToken: zaloApp.accessToken,
    initialRefreshToken: zaloApp.refreshToken,
    log: silentLogger,
  });
  const deliveries = [
    createMessengerDelivery(createMessengerClient({ graphUrl: graph.graphUrl, ...messengerPage })),
    createZaloDelivery({ client: createZaloClient({ apiUrl: zalo.apiUrl }), tokens, log: silentLogger }),
  ];

  /** Writes outbox rows as the turn processor would (replies carry their inbound event id) and returns them. */
  async function addToOutbox(channel: DeliveryChannel, userId: string, messages: OutboundMessage[], options: { proactive?: boolean } = {}): Promise<OutboxItem[]> {
    const rows = await db
      .insert(outboundMessages)
      .values(messages.map((message) => ({ channel, userId, message, inboundEventId: options.proactive ? null : 1 })))
      .returning({ id: outboundMessages.id });
    return rows.map((row, index) => ({ id: row.id, channel, userId, message: messages[index] as OutboundMessage }));
  }

  async function outboxOf(channel: DeliveryChannel, userId: string) {
    return db
      .select()
      .from(outboundMessages)
      .where(and(eq(outboundMessages.channel, channel), eq(outboundMessages.userId, userId)))
      .orderBy(asc(outboundMessages.id));
  }

  async function identityOf(channel: DeliveryChannel, userId: string) {
    const [row] = await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, channel), eq(channelIdentities.userId, userId)));
    return row;
  }

  return {
    db,
    graph,
    zalo,
    tokens,
    deliveries,
    redisPrefix: redisKeys.prefix,
    addToOutbox,
    outboxOf,
    identityOf,
    async close() {
      await Promise.allSettled([graph.close(), zalo.close()]);
      await lockRedis?.quit();
      await redisKeys.cleanup();
      await database.drop();
    },
  };
}

export type DeliveryWorld = Awaited<ReturnType<typeof startDeliveryWorld>>;
