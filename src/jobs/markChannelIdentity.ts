import { channelIdentities } from "../../db/schema.js";
import type { ChannelIdentity } from "../conversation/types.js";
import type { Executor } from "../persistence/people.js";

/** Records on the recipient what a platform said about them: the window closed, or they cannot be reached. */
export async function markChannelIdentity(db: Executor, identity: ChannelIdentity, mark: "outsideWindow" | "unreachable", at: Date): Promise<void> {
  const set = mark === "outsideWindow" ? { outsideWindowAt: at } : { unreachableAt: at };
  await db
    .insert(channelIdentities)
    .values({ channel: identity.channel, userId: identity.userId, ...set })
    .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.userId], set });
}
