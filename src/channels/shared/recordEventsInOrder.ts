import type { ConversationInbox, RecordResult } from "../../conversation/ports.js";
import type { InboundEvent } from "../../conversation/types.js";

export type BatchRecording = { recorded: InboundEvent[]; results: RecordResult[]; notRecorded: InboundEvent[]; firstError: unknown };

/**
 * Records every event durably, one after another so one person's events keep the platform's order. One event that
 * cannot be recorded does not stop the others: the people after it are recorded, and only that person's later
 * events wait (for the platform's redelivery) so their order holds. The caller answers non-2xx when anything was
 * not recorded, so the platform delivers again; what was recorded is deduplicated then.
 */
export async function recordEventsInOrder(inbox: ConversationInbox, events: readonly InboundEvent[]): Promise<BatchRecording> {
  const batch: BatchRecording = { recorded: [], results: [], notRecorded: [], firstError: undefined };
  const blocked = new Set<string>();
  for (const event of events) {
    const person = `${event.channel}\u0000${event.userId}`;
    if (blocked.has(person)) {
      batch.notRecorded.push(event);
      continue;
    }
    try {
      batch.results.push(await inbox.record(event));
      batch.recorded.push(event);
    } catch (error) {
      batch.firstError ??= error;
      batch.notRecorded.push(event);
      blocked.add(person);
    }
  }
  return batch;
}
