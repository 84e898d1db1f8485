import type { Button } from "../../conversation/types.js";

/** The fallback when buttons do not fit a platform: the options as "1. …" lines; the engine accepts "1", "2". */
export function appendNumberedOptions(text: string, buttons: readonly Button[]): string {
  const lines = buttons.map((button, index) => `${index + 1}. ${button.title.normalize("NFC").trim()}`);
  return `${text.normalize("NFC").trimEnd()}\n\n${lines.join("\n")}`;
}
