import type { DecisionAction } from "./types.js";

/** A card button: `dec:<token>:<action>`. On Zalo a tap arrives as text equal to the payload, so text is read the same way. */
export const decisionPayloadPattern = /^dec:([A-Za-z0-9_-]+):(confirm|reject|more)$/;

export const decisionPayload = (token: string, action: DecisionAction) => `dec:${token}:${action}`;

export function parseDecisionPayload(text: string): { token: string; action: DecisionAction } | null {
  const match = decisionPayloadPattern.exec(text.trim());
  return match?.[1] && match[2] ? { token: match[1], action: match[2] as DecisionAction } : null;
}

export const decisionItemPrefix = "opt:decisionItem:";
export const pendingListPrefix = "nav:headList:";

/** Picking the items a citizen must complete ("Cần bổ sung"): an indicator id, "all" or "done". */
export const decisionItemPayload = (item: string) => `${decisionItemPrefix}${item}`;
export const decisionCancelPayload = "opt:decision:cancel";
/** A page of "danh sách". */
export const pendingListPayload = (page: number) => `${pendingListPrefix}${page}`;
