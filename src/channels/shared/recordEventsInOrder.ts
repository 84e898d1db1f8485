import type { ConversationInbox, RecordResult } from "../../conversation/ports.js";
import type { InboundEvent } from "../../conversation/types.js";

/**
 * Records every event durably, one after another so one person's events keep the platform's order.
 * Throws on the first failure: the caller must then answer non-2xx so the platform delivers again.
 */
export async function recordEventsInOrder(inbox: ConversationInbox, events: readonly InboundEvent[]): Promise<RecordResult[]> {
  const results: RecordResult[] = [];
  for (const event of events) results.push(await inbox.record(event));
  return results;
}
