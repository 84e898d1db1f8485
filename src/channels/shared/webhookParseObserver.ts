export type IgnoredWebhookItem = { reason: string; eventId?: string; userId?: string };

/** Lets a parser report what it dropped and which undocumented shape variant it met, without owning a logger. */
export type WebhookParseObserver = {
  ignored?: (item: IgnoredWebhookItem) => void;
  /** A shape variant the platform docs leave open was seen (logged so the live platform settles it). */
  variant?: (name: string, value: string) => void;
};
