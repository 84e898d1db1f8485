import { z } from "zod";
import { fetchPlatform } from "../shared/fetchPlatform.js";
import type { PlatformSendResult } from "../shared/sendFailure.js";
import { classifyMessengerError } from "./classifyMessengerError.js";
import type { MessengerSendBody } from "./renderMessengerMessage.js";

const sendSuccessSchema = z.object({ recipient_id: z.string().optional(), message_id: z.string() });

export type MessengerClientOptions = {
  /** MESSENGER_GRAPH_URL, version included (e.g. https://graph.facebook.com/v25.0). */
  graphUrl: string;
  pageAccessToken: string;
  /** MESSENGER_PAGE_ID; `/me/messages` when unset. */
  pageId?: string;
  timeoutMs?: number;
};

/**
 * A utility message (platforms.md §6.3, M18): an approved Page template, allowed outside the 24 h window.
 * ⚠️ The body follows Meta's utility-messages page (positional body parameters); verify on a live Page.
 */
export type MessengerUtilityBody = {
  recipient: { id: string };
  messaging_type: "UTILITY";
  message: { template: { name: string; language: { code: string }; components: Array<{ type: "body"; parameters: Array<{ type: "text"; text: string }> }> } };
};

export type MessengerClient = {
  sendMessage(body: MessengerSendBody | MessengerUtilityBody): Promise<PlatformSendResult>;
};

/** The Send API (platforms.md §6.1): Page token as the `access_token` query parameter; never throws. */
export function createMessengerClient(options: MessengerClientOptions): MessengerClient {
  const base = options.graphUrl.replace(/\/+$/, "");
  const url = `${base}/${encodeURIComponent(options.pageId ?? "me")}/messages?access_token=${encodeURIComponent(options.pageAccessToken)}`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    async sendMessage(body) {
      const response = await fetchPlatform(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }, timeoutMs);
      if (response.kind === "networkError") {
        return { status: "failed", failure: { kind: "temporary", code: null, subcode: null, httpStatus: null, message: response.message } };
      }
      if (response.httpStatus >= 200 && response.httpStatus < 300) {
        const success = sendSuccessSchema.safeParse(response.body);
        return { status: "sent", messageId: success.success ? success.data.message_id : "" };
      }
      return { status: "failed", failure: classifyMessengerError(response) };
    },
  };
}
