import type { Logger } from "pino";
import type { ConversationInbox } from "../../conversation/ports.js";
import type { ChannelIdentity, InboundEvent } from "../../conversation/types.js";

/** The distinct people of a batch, in order of first appearance. */
export function peopleOf(events: readonly InboundEvent[]): ChannelIdentity[] {
  const seen = new Map<string, ChannelIdentity>();
  for (const event of events) {
    const key = `${event.channel}\u0000${event.userId}`;
    if (!seen.has(key)) seen.set(key, { channel: event.channel, userId: event.userId });
  }
  return [...seen.values()];
}

/**
 * Starts draining each person's inbox after the platform has its answer; not awaited by the response.
 * Events are already recorded, so a failure here only delays them until the next drain of that person.
 */
export function drainEachPerson(inbox: ConversationInbox, events: readonly InboundEvent[], log: Logger): void {
  for (const identity of peopleOf(events)) {
    inbox.drain(identity).catch((error: unknown) => {
      log.error({ err: error, channel: identity.channel, userId: identity.userId }, "draining the inbox failed; the events stay pending");
    });
  }
}
