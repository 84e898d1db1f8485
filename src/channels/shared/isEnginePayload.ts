/**
 * The engine's button payloads: `opt:<step>:<value>`, `cmd:<name>`, `lang:<locale>`, `dec:<token>`, `nav:<where>`.
 * On Zalo a query-button tap arrives as ordinary text, so this is how a tap is told from typing.
 */
export const enginePayloadPattern = /^(opt|cmd|lang|dec|nav):[\w:.-]+$/;

export function isEnginePayload(text: string): boolean {
  return enginePayloadPattern.test(text.trim());
}

/** Decisions (approve/reject by a branch head) carry a one-time token; they deserve a button that does not vanish. */
export function isDecisionPayload(payload: string): boolean {
  return payload.startsWith("dec:");
}
