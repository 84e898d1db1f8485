import { and, eq } from "drizzle-orm";
import { channelIdentities } from "../../db/schema.js";
import type { ChannelIdentity, ChannelName } from "../conversation/types.js";
import type { Database } from "../persistence/openDatabase.js";

/** How long after a person's last message a free-form message may be sent (platforms.md §2.4, §6.3). */
export const messagingWindowMs: Record<ChannelName, number | null> = {
  messenger: 24 * 3600_000,
  zalo: 7 * 24 * 3600_000,
  web: null,
};

export type MessagingWindow = { open: boolean; lastInboundAt: Date | null; closesAt: Date | null };

/**
 * Whether a free-form message to this person is allowed now: Messenger 24 h, Zalo 7 days after their last
 * inbound. A platform's later "outside window" or "unreachable" answer closes it until they write again.
 * The web chat has no window (closesAt null, always open).
 */
export async function messagingWindow(db: Database, identity: ChannelIdentity, now: Date = new Date()): Promise<MessagingWindow> {
  const [row] = await db
    .select({ lastInboundAt: channelIdentities.lastInboundAt, outsideWindowAt: channelIdentities.outsideWindowAt, unreachableAt: channelIdentities.unreachableAt })
    .from(channelIdentities)
    .where(and(eq(channelIdentities.channel, identity.channel), eq(channelIdentities.userId, identity.userId)))
    .limit(1);
  const lastInboundAt = row?.lastInboundAt ?? null;
  const windowMs = messagingWindowMs[identity.channel];
  if (windowMs === null) return { open: true, lastInboundAt, closesAt: null };
  if (!lastInboundAt) return { open: false, lastInboundAt: null, closesAt: null };
  const closesAt = new Date(lastInboundAt.getTime() + windowMs);
  const platformSaidNo = [row?.outsideWindowAt, row?.unreachableAt].some((at) => at && at.getTime() >= lastInboundAt.getTime());
  return { open: !platformSaidNo && now.getTime() < closesAt.getTime(), lastInboundAt, closesAt };
}
