import type { ConversationInbox, RecordResult } from "../../src/conversation/ports.js";
import type { ChannelIdentity, InboundEvent } from "../../src/conversation/types.js";
import { Recorder } from "./recorder.js";

/**
 * An in-memory ConversationInbox for router tests: records events deduplicated by (channel, eventId), remembers
 * every drain call, and can be told to fail recording (as a database outage would).
 */
export function createFakeConversationInbox() {
  const recorded = new Recorder<InboundEvent>("fake inbox recorded");
  const drained = new Recorder<ChannelIdentity>("fake inbox drained");
  const keys = new Set<string>();
  let failures = 0;
  const failingEventIds = new Set<string>();
  let sequence = 0;
  const inbox: ConversationInbox = {
    async record(event): Promise<RecordResult> {
      if (failures > 0 || failingEventIds.has(event.eventId)) {
        failures = Math.max(0, failures - 1);
        failingEventIds.delete(event.eventId);
        throw new Error("fake inbox: recording failed");
      }
      const key = `${event.channel}\u0000${event.eventId}`;
      if (keys.has(key)) return { status: "duplicate" };
      keys.add(key);
      sequence += 1;
      recorded.push(event);
      return { status: "recorded", id: sequence };
    },
    async drain(identity) {
      drained.push(identity);
    },
  };
  return {
    inbox,
    recorded,
    drained,
    failNextRecords: (count: number) => {
      failures = count;
    },
    /** The next recording of this event fails (a poisonous event); the others go through. */
    failRecordingOf: (eventId: string) => {
      failingEventIds.add(eventId);
    },
  };
}
