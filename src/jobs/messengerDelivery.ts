import type { MessengerClient } from "../channels/messenger/messengerClient.js";
import { renderMessengerMessage } from "../channels/messenger/renderMessengerMessage.js";
import type { ChannelDelivery } from "./channelDelivery.js";

/** Messenger: replies as `RESPONSE`, proactive messages (notifications) as `UPDATE`, both inside the 24 h window. */
export function createMessengerDelivery(client: MessengerClient): ChannelDelivery {
  return {
    channel: "messenger",
    prepare(userId, message, context) {
      return renderMessengerMessage(userId, message, context.proactive ? "UPDATE" : "RESPONSE").map((body) => () => client.sendMessage(body));
    },
  };
}
