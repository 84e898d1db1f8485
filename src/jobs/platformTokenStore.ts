import { eq } from "drizzle-orm";
import { platformTokens } from "../../db/schema.js";
import type { PlatformTokenStore } from "../channels/zalo/zaloTokens.js";
import type { Database } from "../persistence/openDatabase.js";

/** The token pair of one platform account in `platform_tokens` (Zalo: name "zalo"). */
export function createPlatformTokenStore(db: Database, name: string): PlatformTokenStore {
  return {
    async read() {
      const [row] = await db.select().from(platformTokens).where(eq(platformTokens.name, name)).limit(1);
      if (!row) return null;
      return { accessToken: row.accessToken, refreshToken: row.refreshToken, expiresAt: row.expiresAt, updatedAt: row.updatedAt };
    },
    async insertIfAbsent(tokens) {
      await db.insert(platformTokens).values({ name, ...tokens }).onConflictDoNothing({ target: platformTokens.name });
    },
    async save(tokens) {
      const values = { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt, updatedAt: new Date() };
      await db.insert(platformTokens).values({ name, ...values }).onConflictDoUpdate({ target: platformTokens.name, set: values });
    },
  };
}
