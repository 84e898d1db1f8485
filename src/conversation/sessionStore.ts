import type { Redis } from "ioredis";
import { sessionStateSchema, type SessionState } from "./sessionState.js";
import type { ChannelIdentity } from "./types.js";

export type StoredSession = { state: SessionState; version: number };

/** Where a person's conversation state lives between messages (Redis, or memory in single-process mode). */
export interface SessionStore {
  get(identity: ChannelIdentity): Promise<StoredSession | null>;
  /** Writes only if the stored version is still `expectedVersion` (0 = absent); false means someone else wrote. */
  set(identity: ChannelIdentity, state: SessionState, expectedVersion: number): Promise<boolean>;
  delete(identity: ChannelIdentity): Promise<void>;
}

const compareAndSet = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = tonumber(cjson.decode(current).version) end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
return 1`;

function parseStored(raw: string | null | undefined): StoredSession | null {
  if (!raw) return null;
  const value = JSON.parse(raw) as { version?: unknown; state?: unknown };
  const state = sessionStateSchema.safeParse(value.state);
  // An unreadable session (older shape) is dropped: it is rebuilt from the database.
  if (!state.success || typeof value.version !== "number") return null;
  return { state: state.data, version: value.version };
}

export function createRedisSessionStore(redis: Redis, options: { prefix: string; ttlSeconds: number }): SessionStore {
  const key = (identity: ChannelIdentity) => `${options.prefix}session:${identity.channel}:${identity.userId}`;
  return {
    async get(identity) {
      return parseStored(await redis.get(key(identity)));
    },
    async set(identity, state, expectedVersion) {
      const payload = JSON.stringify({ version: expectedVersion + 1, state });
      const result = await redis.eval(compareAndSet, 1, key(identity), String(expectedVersion), payload, String(options.ttlSeconds));
      return result === 1;
    },
    async delete(identity) {
      await redis.del(key(identity));
    },
  };
}

export function createMemorySessionStore(options: { ttlSeconds: number; maxEntries?: number; now?: () => number }): SessionStore {
  const now = options.now ?? Date.now;
  const maxEntries = options.maxEntries ?? 50_000;
  // A Map keeps insertion order: re-inserting on every use makes its first entries the least recently used. Evicting
  // one loses nothing: a missing session is rebuilt from the registration in the database.
  const sessions = new Map<string, { raw: string; expiresAt: number }>();
  const key = (identity: ChannelIdentity) => `${identity.channel}:${identity.userId}`;
  const read = (identity: ChannelIdentity) => {
    const id = key(identity);
    const entry = sessions.get(id);
    if (!entry) return null;
    sessions.delete(id);
    if (entry.expiresAt <= now()) return null;
    sessions.set(id, entry);
    return parseStored(entry.raw);
  };
  const evict = () => {
    for (const [id, entry] of sessions) {
      if (sessions.size <= maxEntries && entry.expiresAt > now()) break;
      sessions.delete(id);
    }
  };
  return {
    async get(identity) {
      return read(identity);
    },
    async set(identity, state, expectedVersion) {
      if ((read(identity)?.version ?? 0) !== expectedVersion) return false;
      const id = key(identity);
      sessions.delete(id);
      sessions.set(id, { raw: JSON.stringify({ version: expectedVersion + 1, state }), expiresAt: now() + options.ttlSeconds * 1000 });
      evict();
      return true;
    },
    async delete(identity) {
      sessions.delete(key(identity));
    },
  };
}
