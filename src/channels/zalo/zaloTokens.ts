import type { Logger } from "pino";
import { ZaloNotAuthorizedError, ZaloTokenRefreshError } from "../shared/errors.js";
import { acquireLock, type Locks } from "../shared/locks.js";
import { refreshZaloAccessToken, type ZaloTokenPair } from "./refreshZaloAccessToken.js";

export type StoredTokens = { accessToken: string; refreshToken: string | null; expiresAt: Date | null; updatedAt: Date };

/** Where the OA's token pair lives for every process (platform_tokens, name "zalo"). */
export interface PlatformTokenStore {
  read(): Promise<StoredTokens | null>;
  /** Stores the pair only when none is stored yet: the first start seeds from the environment. */
  insertIfAbsent(tokens: { accessToken: string; refreshToken: string | null; expiresAt: Date | null }): Promise<void>;
  save(tokens: ZaloTokenPair): Promise<void>;
}

export type ZaloTokenManager = {
  /** A usable access token; refreshed first when it is close to expiry. */
  accessToken(): Promise<string>;
  /** After Zalo answered -216/-220 to `rejectedAccessToken`: the newer token, refreshing only if nobody did yet. */
  refreshAfterRejection(rejectedAccessToken: string): Promise<string>;
};

export type ZaloTokenManagerOptions = {
  store: PlatformTokenStore;
  /** Redis locks across processes; local locks in the single-process mode. */
  locks: Locks;
  appId: string;
  appSecret: string;
  oauthUrl: string;
  /** ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN: used once, when the store is still empty. */
  initialAccessToken?: string | undefined;
  initialRefreshToken?: string | undefined;
  log: Logger;
  now?: () => Date;
  /** Refresh this long before expiry (Z9 refreshes 6 h ahead), capped at half the token's lifetime. */
  refreshMarginMs?: number;
  lockTtlMs?: number;
  lockWaitMs?: number;
  timeoutMs?: number;
};

const lockName = "zalo:token-refresh";

/**
 * The Zalo OA token lifecycle (platforms.md §3): refresh tokens are single-use, so a refresh happens under a
 * cross-process lock, re-reads the stored pair after taking it (another process may have refreshed already, then
 * its pair is used), and saves the new pair in PostgreSQL before anyone uses it.
 */
export function createZaloTokenManager(options: ZaloTokenManagerOptions): ZaloTokenManager {
  const log = options.log.child({ channel: "zalo", component: "tokens" });
  const now = options.now ?? (() => new Date());
  const refreshMarginMs = options.refreshMarginMs ?? 6 * 3600_000;
  let cached: StoredTokens | null = null;
  let inflight: Promise<string> | null = null;

  async function current(): Promise<StoredTokens> {
    if (cached) return cached;
    let stored = await options.store.read();
    if (!stored && options.initialAccessToken) {
      await options.store.insertIfAbsent({ accessToken: options.initialAccessToken, refreshToken: options.initialRefreshToken ?? null, expiresAt: null });
      stored = await options.store.read();
      log.info("Zalo tokens seeded from ZALO_ACCESS_TOKEN / ZALO_REFRESH_TOKEN into platform_tokens");
    }
    if (!stored) throw new ZaloNotAuthorizedError();
    cached = stored;
    return stored;
  }

  function isExpiring(tokens: StoredTokens): boolean {
    if (!tokens.expiresAt) return false;
    const lifetimeMs = tokens.expiresAt.getTime() - tokens.updatedAt.getTime();
    const marginMs = Math.min(refreshMarginMs, Math.max(lifetimeMs / 2, 0));
    return tokens.expiresAt.getTime() - marginMs <= now().getTime();
  }

  function singleFlight(work: () => Promise<string>): Promise<string> {
    inflight ??= work().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  async function refreshUnlessDone(isUsable: (tokens: StoredTokens) => boolean, reason: string): Promise<string> {
    const lock = await acquireLock(options.locks, lockName, { ttlMs: options.lockTtlMs ?? 30_000, waitMs: options.lockWaitMs ?? 35_000 });
    try {
      const stored = await options.store.read();
      if (stored && isUsable(stored)) {
        cached = stored;
        log.info({ reason }, "Zalo access token already refreshed by another process: using it");
        return stored.accessToken;
      }
      if (!stored?.refreshToken) throw new ZaloNotAuthorizedError();
      let pair: ZaloTokenPair;
      try {
        pair = await refreshZaloAccessToken({
          oauthUrl: options.oauthUrl,
          appId: options.appId,
          appSecret: options.appSecret,
          refreshToken: stored.refreshToken,
          now: now(),
          ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        });
      } catch (error) {
        if (error instanceof ZaloTokenRefreshError && !error.retryable) log.error({ err: error }, "Zalo OA needs re-authorisation: an admin must consent again");
        throw error;
      }
      await options.store.save(pair);
      cached = { ...pair, updatedAt: now() };
      log.info({ reason, expiresAt: pair.expiresAt.toISOString() }, "Zalo access token refreshed and saved");
      return pair.accessToken;
    } finally {
      await lock.release();
    }
  }

  return {
    async accessToken() {
      const tokens = await current();
      if (!isExpiring(tokens)) return tokens.accessToken;
      return singleFlight(() => refreshUnlessDone((stored) => !isExpiring(stored), "expiring"));
    },
    async refreshAfterRejection(rejectedAccessToken) {
      await current();
      return singleFlight(() => refreshUnlessDone((stored) => stored.accessToken !== rejectedAccessToken && !isExpiring(stored), "rejected"));
    },
  };
}
