import type { Button } from "../../conversation/types.js";
import { shortenTitle } from "./shortenTitle.js";

export type ButtonLimits = { maxButtons: number; maxTitle: number; maxPayload: number };

export type ButtonLayout =
  /** Every option fits as a button; titles shortened where needed. */
  | { layout: "buttons"; buttons: Button[] }
  /**
   * Shortened titles would look alike: list the options in the text and label the buttons "1", "2", …
   * (the payloads stay the real ones).
   */
  | { layout: "numberedButtons"; buttons: Button[] }
  /** Too many options or a payload the platform cannot carry: a numbered list in the text only. */
  | { layout: "numberedText" };

/** Decides how a set of options can be shown within a platform's button limits. */
export function fitButtons(buttons: readonly Button[], limits: ButtonLimits): ButtonLayout {
  if (buttons.length > limits.maxButtons || buttons.some((button) => button.payload.length > limits.maxPayload)) {
    return { layout: "numberedText" };
  }
  const shortened = buttons.map((button) => ({ title: shortenTitle(button.title, limits.maxTitle), payload: button.payload }));
  const titles = new Set(shortened.map((button) => button.title.toLocaleLowerCase("vi")));
  if (titles.size === shortened.length && shortened.every((button) => button.title.length > 0)) {
    return { layout: "buttons", buttons: shortened };
  }
  return { layout: "numberedButtons", buttons: buttons.map((button, index) => ({ title: String(index + 1), payload: button.payload })) };
}
