import type { OutboundEcho } from "./outboundEcho.js";

export type IgnoredWebhookItem = { reason: string; eventId?: string; userId?: string };

/** Lets a parser report what it dropped and which undocumented shape variant it met, without owning a logger. */
export type WebhookParseObserver = {
  ignored?: (item: IgnoredWebhookItem) => void;
  /** A shape variant the platform docs leave open was seen (logged so the live platform settles it). */
  variant?: (name: string, value: string) => void;
  /** An echo of a message the bot sent (recorded to confirm outbox rows; never a turn). */
  echo?: (echo: OutboundEcho) => void;
};
