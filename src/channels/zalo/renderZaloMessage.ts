import type { OutboundMessage } from "../../conversation/types.js";
import { appendNumberedOptions } from "../shared/appendNumberedOptions.js";
import { fitButtons } from "../shared/fitButtons.js";
import { splitText } from "../shared/splitText.js";

/** Limits from platforms.md §2.1 and §2.3 (ChatbotX: ≤ 5 buttons, titles ≤ 20; query payload ≤ 1000). */
export const zaloLimits = { text: 2000, buttons: 5, buttonTitle: 20, buttonPayload: 1000 } as const;

export type ZaloQueryButton = { title: string; type: "oa.query.hide"; payload: string };
export type ZaloCsMessage = { text: string; attachment?: { type: "template"; payload: { buttons: ZaloQueryButton[] } } };
/** One consultation (CS) call: `POST {api}/v3.0/oa/message/cs`. */
export type ZaloCsBody = { recipient: { user_id: string }; message: ZaloCsMessage };

/**
 * Renders one outbound message as CS message bodies: the text split at 2,000 characters, the options as
 * `oa.query.hide` buttons on the last part (a tap comes back as a `user_send_text` carrying the payload), or a
 * numbered list in the text when they exceed the limits. Button shape: text + template without `template_type`,
 * the one used in production (platforms.md §2.3; the `template_type: "button"` variant is unconfirmed).
 */
export function renderZaloMessage(userId: string, message: OutboundMessage): ZaloCsBody[] {
  const body = (part: ZaloCsMessage): ZaloCsBody => ({ recipient: { user_id: userId }, message: part });
  const buttons = message.buttons ?? [];
  if (buttons.length === 0) return splitText(message.text, zaloLimits.text).map((text) => body({ text }));
  const layout = fitButtons(buttons, { maxButtons: zaloLimits.buttons, maxTitle: zaloLimits.buttonTitle, maxPayload: zaloLimits.buttonPayload });
  if (layout.layout === "numberedText") {
    return splitText(appendNumberedOptions(message.text, buttons), zaloLimits.text).map((text) => body({ text }));
  }
  const text = layout.layout === "numberedButtons" ? appendNumberedOptions(message.text, buttons) : message.text;
  const parts = splitText(text, zaloLimits.text);
  const last = parts.pop() ?? "";
  const queryButtons = layout.buttons.map((button): ZaloQueryButton => ({ title: button.title, type: "oa.query.hide", payload: button.payload }));
  return [...parts.map((part) => body({ text: part })), body({ text: last, attachment: { type: "template", payload: { buttons: queryButtons } } })];
}
