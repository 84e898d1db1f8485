import type { OutboxItem } from "../conversation/ports.js";
import { deliveryChannels, type DeliveryChannel } from "./channelDelivery.js";

export type RecipientBatch = { channel: DeliveryChannel; userId: string; lastOutboxId: number };

/** One entry per Zalo/Messenger recipient with the highest outbox id handed over; web chat items are skipped. */
export function groupOutboxByRecipient(items: readonly OutboxItem[]): RecipientBatch[] {
  const batches = new Map<string, RecipientBatch>();
  for (const item of items) {
    if (!deliveryChannels.includes(item.channel as DeliveryChannel)) continue;
    const key = `${item.channel}\u0000${item.userId}`;
    const batch = batches.get(key);
    if (batch) batch.lastOutboxId = Math.max(batch.lastOutboxId, item.id);
    else batches.set(key, { channel: item.channel as DeliveryChannel, userId: item.userId, lastOutboxId: item.id });
  }
  return [...batches.values()];
}
