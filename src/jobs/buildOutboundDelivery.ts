import { Redis } from "ioredis";
import type { Logger } from "pino";
import { createMessengerClient, type MessengerClient } from "../channels/messenger/messengerClient.js";
import type { PlatformSendResult } from "../channels/shared/sendFailure.js";
import { createLocalLocks } from "../channels/shared/localLocks.js";
import type { Locks } from "../channels/shared/locks.js";
import { createRedisLocks } from "../channels/shared/redisLocks.js";
import { createZaloClient, type ZaloClient } from "../channels/zalo/zaloClient.js";
import { createZaloTokenManager, type ZaloTokenManager } from "../channels/zalo/zaloTokens.js";
import type { Config } from "../config.js";
import type { OutboundDispatcher } from "../conversation/ports.js";
import type { Database } from "../persistence/openDatabase.js";
import type { ChannelDelivery } from "./channelDelivery.js";
import { createInProcessOutboundDispatcher } from "./inProcessOutboundDispatcher.js";
import { createMessengerDelivery } from "./messengerDelivery.js";
import { startOutboundWorkers } from "./outboundWorkers.js";
import { createPlatformTokenStore } from "./platformTokenStore.js";
import { createQueuedOutboundDispatcher } from "./queuedOutboundDispatcher.js";
import { replyRateChannel } from "./outboundQueue.js";
import { createInlineFirstDispatcher } from "./inlineFirstDispatcher.js";
import { createSendRate } from "../broadcasts/sendRate.js";
import { createZaloDelivery, zaloCallWithToken } from "./zaloDelivery.js";

/** The platform clients themselves, for sends that are not outbox messages (broadcast templates). */
export type PlatformClients = {
  messenger: MessengerClient | null;
  zalo: { client: ZaloClient; withToken: (call: (accessToken: string) => Promise<PlatformSendResult>) => Promise<PlatformSendResult> } | null;
};

export type OutboundDelivery = {
  /** For a turn's replies: sent at once from this process when possible (SEND_INLINE), else queued. */
  dispatcher: OutboundDispatcher;
  /** For rows handed over in bulk (the relay's sweep): always the queue (or the in-process dispatcher). */
  queue: OutboundDispatcher;
  /** The Zalo OA token manager when Zalo is configured (e.g. for a health check with getoa). */
  zaloTokens: ZaloTokenManager | null;
  deliveries: ChannelDelivery[];
  platforms: PlatformClients;
  /** The recipient locks every sender holds (recipientLock.ts): the relay takes one before it settles a cut row. */
  locks: Locks;
  close(): Promise<void>;
};

/**
 * Builds outbound delivery from the configuration: Zalo and Messenger deliveries for the configured channels;
 * with REDIS_URL a BullMQ dispatcher (plus workers when RUN_WORKERS), without it the in-process dispatcher.
 */
export function buildOutboundDelivery(deps: { config: Config; db: Database; log: Logger }): OutboundDelivery {
  const { config, db, log } = deps;
  const lockRedis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, enableAutoPipelining: true }) : null;
  const locks: Locks = lockRedis ? createRedisLocks(lockRedis, config.REDIS_PREFIX) : createLocalLocks();
  const deliveries: ChannelDelivery[] = [];
  let zaloTokens: ZaloTokenManager | null = null;
  const platforms: PlatformClients = { messenger: null, zalo: null };

  if (config.messengerEnabled && config.MESSENGER_PAGE_ACCESS_TOKEN) {
    const client = createMessengerClient({
      graphUrl: config.MESSENGER_GRAPH_URL,
      pageAccessToken: config.MESSENGER_PAGE_ACCESS_TOKEN,
      ...(config.MESSENGER_PAGE_ID ? { pageId: config.MESSENGER_PAGE_ID } : {}),
    });
    deliveries.push(createMessengerDelivery(client));
    platforms.messenger = client;
  }
  if (config.zaloEnabled && config.ZALO_APP_ID && config.ZALO_APP_SECRET) {
    zaloTokens = createZaloTokenManager({
      store: createPlatformTokenStore(db, "zalo"),
      locks,
      appId: config.ZALO_APP_ID,
      appSecret: config.ZALO_APP_SECRET,
      oauthUrl: config.ZALO_OAUTH_URL,
      initialAccessToken: config.ZALO_ACCESS_TOKEN,
      initialRefreshToken: config.ZALO_REFRESH_TOKEN,
      log,
    });
    const client = createZaloClient({ apiUrl: config.ZALO_API_URL, businessApiUrl: config.ZALO_BUSINESS_API_URL });
    deliveries.push(createZaloDelivery({ client, tokens: zaloTokens, log }));
    platforms.zalo = { client, withToken: zaloCallWithToken({ tokens: zaloTokens, log }) };
  }

  const ratePerSecond = { messenger: config.MESSENGER_RATE_PER_SECOND, zalo: config.ZALO_RATE_PER_SECOND };
  if (!config.REDIS_URL) {
    const dispatcher = createInProcessOutboundDispatcher({
      db,
      deliveries,
      retryAttempts: config.SEND_RETRY_ATTEMPTS,
      retryBaseMs: config.SEND_RETRY_BASE_MS,
      ratePerSecond,
      locks,
      log,
    });
    return { dispatcher, queue: dispatcher, zaloTokens, deliveries, platforms, locks, close: () => dispatcher.close() };
  }
  const queue = createQueuedOutboundDispatcher({
    redisUrl: config.REDIS_URL,
    redisPrefix: config.REDIS_PREFIX,
    retryAttempts: config.SEND_RETRY_ATTEMPTS,
    retryBaseMs: config.SEND_RETRY_BASE_MS,
  });
  const workers =
    config.RUN_WORKERS && deliveries.length > 0
      ? startOutboundWorkers({ redisUrl: config.REDIS_URL, redisPrefix: config.REDIS_PREFIX, db, deliveries, ratePerSecond, log })
      : null;
  // Replies and the workers draw on one per-channel budget of sends per second, shared by every process.
  const sendRate = createSendRate(lockRedis, config.REDIS_PREFIX);
  const inline =
    config.SEND_INLINE && deliveries.length > 0
      ? createInlineFirstDispatcher({
          db,
          deliveries,
          locks,
          budget: async (channel, count) => {
            const perSecond = ratePerSecond[channel];
            return perSecond ? sendRate.tryTake(replyRateChannel(channel), perSecond, count) : true;
          },
          queue,
          log,
          retryDelayMs: config.SEND_RETRY_BASE_MS,
        })
      : null;
  const dispatcher = inline ?? queue;
  return {
    dispatcher,
    queue,
    zaloTokens,
    deliveries,
    platforms,
    locks,
    async close() {
      // Sends under way finish first: a row claimed mid-send at the stop would be given up, not sent.
      await inline?.close();
      await workers?.close();
      await queue.close();
      await lockRedis?.quit();
    },
  };
}
