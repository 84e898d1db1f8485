import type { MessengerClient } from "../channels/messenger/messengerClient.js";
import { renderMessengerMessage } from "../channels/messenger/renderMessengerMessage.js";
import { messengerEchoMetadata, partMark } from "../channels/shared/outboundEcho.js";
import type { ChannelDelivery } from "./channelDelivery.js";

/**
 * Messenger: replies as `RESPONSE`, proactive messages (notifications) as `UPDATE`, both inside the 24 h window;
 * each call of an outbox row carries `metadata` naming the row and the part, which its echo brings back.
 */
export function createMessengerDelivery(client: MessengerClient): ChannelDelivery {
  return {
    channel: "messenger",
    prepare(userId, message, context) {
      const bodies = renderMessengerMessage(userId, message, context.proactive ? "UPDATE" : "RESPONSE");
      return bodies.map((body, part) => {
        // The echo of the call names the row and the part: after a crash mid-send it tells what got through.
        const named = context.outboxId === undefined ? body : { ...body, message: { ...body.message, metadata: messengerEchoMetadata(context.outboxId, part) } };
        return () => client.sendMessage(named);
      });
    },
    echoMarks(userId, message, context) {
      return renderMessengerMessage(userId, message, context.proactive ? "UPDATE" : "RESPONSE").map((_, part) => partMark(part));
    },
  };
}
