import { channelIdentities } from "../../db/schema.js";
import type { ChannelIdentity } from "../conversation/types.js";
import type { Database } from "../persistence/openDatabase.js";

/** Records on the recipient what a platform said about them: the window closed, or they cannot be reached. */
export async function markChannelIdentity(db: Database, identity: ChannelIdentity, mark: "outsideWindow" | "unreachable", at: Date): Promise<void> {
  const set = mark === "outsideWindow" ? { outsideWindowAt: at } : { unreachableAt: at };
  await db
    .insert(channelIdentities)
    .values({ channel: identity.channel, userId: identity.userId, ...set })
    .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.userId], set });
}
