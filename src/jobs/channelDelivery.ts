import type { PlatformSendResult } from "../channels/shared/sendFailure.js";
import type { OutboundMessage } from "../conversation/types.js";

export type DeliveryChannel = "zalo" | "messenger";
export const deliveryChannels: readonly DeliveryChannel[] = ["zalo", "messenger"];

/** One platform call that carries (part of) an outbox message; never throws, the result says what happened. */
export type PreparedSend = () => Promise<PlatformSendResult>;

export type SendContext = {
  /** Not a reply to something the person just sent (Messenger `UPDATE` instead of `RESPONSE`). */
  proactive: boolean;
  /** The outbox row the calls carry, when there is one (Messenger names it in each call's echo metadata). */
  outboxId?: number;
};

/** How a channel turns an outbox message into platform calls. */
export interface ChannelDelivery {
  readonly channel: DeliveryChannel;
  /** The calls that carry `message` to `userId`, in order (a long text becomes several). */
  prepare(userId: string, message: OutboundMessage, context: SendContext): PreparedSend[];
  /**
   * What the platform's echo of each of those calls is recorded as (`outbound_messages.echoes`, see
   * `echoMarkOf`), in the same order; absent when the channel's echoes cannot name a call.
   */
  echoMarks?(userId: string, message: OutboundMessage, context: SendContext): string[];
}
