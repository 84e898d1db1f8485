import type { ChannelIdentity, ChannelName, InboundEvent, OutboundMessage } from "./types.js";

export type RecordResult = { status: "recorded"; id: number } | { status: "duplicate" };

/** The door every channel uses: record an event durably (deduplicated), then let it be processed in turn. */
export interface ConversationInbox {
  /** Stores the event before the platform is answered; a redelivery of the same (channel, eventId) is a no-op. */
  record(event: InboundEvent): Promise<RecordResult>;
  /** Handles every pending event of this person in arrival order, one turn at a time across all processes. */
  drain(identity: ChannelIdentity): Promise<void>;
}

/** A row of the outbox, ready to be delivered by its channel. */
export type OutboxItem = { id: number; channel: ChannelName; userId: string; message: OutboundMessage };

/** Hands committed outbox rows to their channel's delivery (a queue for Zalo and Messenger, nothing for web chat). */
export interface OutboundDispatcher {
  dispatch(items: OutboxItem[]): Promise<void>;
}
