import type { ChannelDelivery } from "./channelDelivery.js";

/** Keeps a channel's calls at most `perSecond` per second in this process (the single-process mode's rate limit). */
export function spaceSends(delivery: ChannelDelivery, perSecond: number): ChannelDelivery {
  const gapMs = 1000 / perSecond;
  let nextSlot = 0;
  return {
    channel: delivery.channel,
    prepare(userId, message, context) {
      return delivery.prepare(userId, message, context).map((send) => async () => {
        const now = Date.now();
        const slot = Math.max(now, nextSlot);
        nextSlot = slot + gapMs;
        if (slot > now) await new Promise((resolve) => setTimeout(resolve, slot - now));
        return send();
      });
    },
    ...(delivery.echoMarks ? { echoMarks: delivery.echoMarks.bind(delivery) } : {}),
  };
}
