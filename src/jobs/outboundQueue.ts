import { z } from "zod";
import type { DeliveryChannel } from "./channelDelivery.js";

/** BullMQ queue names (no ":" allowed) and key prefix, shared by the dispatcher and the workers. */
export function outboundQueueName(channel: DeliveryChannel): string {
  return `outbound-${channel}`;
}

export function bullPrefix(redisPrefix: string): string {
  return `${redisPrefix}bull`;
}

export const deliveryJobSchema = z.object({ userId: z.string().min(1), lastOutboxId: z.number().int() });
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

/** Idempotent job id: the same rows handed over twice make one job (BullMQ allows ids with exactly two ":"). */
export function deliveryJobId(channel: DeliveryChannel, userId: string, lastOutboxId: number): string {
  return `${channel}:${userId.replaceAll(":", "_")}:${lastOutboxId}`;
}

/** The send-rate counter that replies sent at once and the delivery workers share, per channel. */
export function replyRateChannel(channel: DeliveryChannel): string {
  return `reply-${channel}`;
}
