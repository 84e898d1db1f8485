import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import type { ChannelName } from "../conversation/types.js";

/** Hands outbox rows to their channel's dispatcher: one turn or job may write to people on several channels. */
export async function dispatchByChannel(dispatchers: Partial<Record<ChannelName, OutboundDispatcher>>, outbox: OutboxItem[]): Promise<void> {
  const byChannel = new Map<ChannelName, OutboxItem[]>();
  for (const item of outbox) byChannel.set(item.channel, [...(byChannel.get(item.channel) ?? []), item]);
  for (const [channel, items] of byChannel) await dispatchers[channel]?.dispatch(items);
}
