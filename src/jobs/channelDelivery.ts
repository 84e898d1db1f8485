import type { PlatformSendResult } from "../channels/shared/sendFailure.js";
import type { OutboundMessage } from "../conversation/types.js";

export type DeliveryChannel = "zalo" | "messenger";
export const deliveryChannels: readonly DeliveryChannel[] = ["zalo", "messenger"];

/** One platform call that carries (part of) an outbox message; never throws, the result says what happened. */
export type PreparedSend = () => Promise<PlatformSendResult>;

/** How a channel turns an outbox message into platform calls. */
export interface ChannelDelivery {
  readonly channel: DeliveryChannel;
  /**
   * The calls that carry `message` to `userId`, in order (a long text becomes several).
   * `proactive`: not a reply to something the person just sent (Messenger `UPDATE` instead of `RESPONSE`).
   */
  prepare(userId: string, message: OutboundMessage, context: { proactive: boolean }): PreparedSend[];
}
