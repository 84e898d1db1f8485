import type { OutboundMessage } from "../../conversation/types.js";
import { appendNumberedOptions } from "../shared/appendNumberedOptions.js";
import { fitButtons } from "../shared/fitButtons.js";
import { isDecisionPayload } from "../shared/isEnginePayload.js";
import { splitText } from "../shared/splitText.js";

/** Limits from platforms.md §6.2 (quick replies M1, button template M2, postback buttons M3, text M23). */
export const messengerLimits = {
  text: 2000,
  quickReplies: 13,
  quickReplyTitle: 20,
  /** Assumed like postback payloads; unconfirmed for quick replies. */
  quickReplyPayload: 1000,
  templateText: 640,
  templateButtons: 3,
  buttonTitle: 20,
  buttonPayload: 1000,
} as const;

export type MessengerMessagingType = "RESPONSE" | "UPDATE";
export type MessengerQuickReply = { content_type: "text"; title: string; payload: string };
export type MessengerPostbackButton = { type: "postback"; title: string; payload: string };
export type MessengerMessage =
  | { text: string; quick_replies?: MessengerQuickReply[] }
  | { attachment: { type: "template"; payload: { template_type: "button"; text: string; buttons: MessengerPostbackButton[] } } };
/** One Send API call: `POST {graph}/{page}/messages`. */
export type MessengerSendBody = { recipient: { id: string }; messaging_type: MessengerMessagingType; message: MessengerMessage & { metadata?: string } };

/**
 * Renders one outbound message as Send API bodies within Messenger's limits: the text split at 2,000 characters,
 * the options as quick replies (≤ 13), or as a persistent button template (≤ 3 buttons, text ≤ 640) when they are
 * decisions, or as a numbered list in the text when they do not fit. Options ride on the last part.
 */
export function renderMessengerMessage(
  recipientId: string,
  message: OutboundMessage,
  messagingType: MessengerMessagingType = "RESPONSE",
): MessengerSendBody[] {
  const body = (part: MessengerMessage): MessengerSendBody => ({ recipient: { id: recipientId }, messaging_type: messagingType, message: part });
  const buttons = message.buttons ?? [];
  if (buttons.length === 0) return splitText(message.text, messengerLimits.text).map((text) => body({ text }));

  const asTemplate = buttons.length <= messengerLimits.templateButtons && buttons.some((button) => isDecisionPayload(button.payload));
  const layout = asTemplate
    ? fitButtons(buttons, { maxButtons: messengerLimits.templateButtons, maxTitle: messengerLimits.buttonTitle, maxPayload: messengerLimits.buttonPayload })
    : fitButtons(buttons, { maxButtons: messengerLimits.quickReplies, maxTitle: messengerLimits.quickReplyTitle, maxPayload: messengerLimits.quickReplyPayload });
  if (layout.layout === "numberedText") {
    return splitText(appendNumberedOptions(message.text, buttons), messengerLimits.text).map((text) => body({ text }));
  }
  const text = layout.layout === "numberedButtons" ? appendNumberedOptions(message.text, buttons) : message.text;
  const parts = splitText(text, messengerLimits.text);
  const last = parts.pop() ?? "";
  if (asTemplate) {
    const lastParts = splitText(last, messengerLimits.templateText);
    const templateText = lastParts.pop() ?? "";
    const buttonsOut = layout.buttons.map((button): MessengerPostbackButton => ({ type: "postback", title: button.title, payload: button.payload }));
    return [
      ...[...parts, ...lastParts].map((part) => body({ text: part })),
      body({ attachment: { type: "template", payload: { template_type: "button", text: templateText, buttons: buttonsOut } } }),
    ];
  }
  const quickReplies = layout.buttons.map((button): MessengerQuickReply => ({ content_type: "text", title: button.title, payload: button.payload }));
  return [...parts.map((part) => body({ text: part })), body({ text: last, quick_replies: quickReplies })];
}
