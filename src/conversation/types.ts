/**
 * The channel-neutral vocabulary of the conversation engine: what a person did (InboundEvent),
 * what the bot says (OutboundMessage) and what must happen as a result (Effect).
 * Channels translate to and from these; the engine never sees a platform shape.
 */

export const channelNames = ["web", "zalo", "messenger"] as const;
export type ChannelName = (typeof channelNames)[number];

export const locales = ["vi", "en"] as const;
export type Locale = (typeof locales)[number];

/** A person as one channel knows them. */
export type ChannelIdentity = { channel: ChannelName; userId: string };

export type MediaType = "image" | "sticker" | "audio" | "video" | "file" | "location" | "other";

type EventBase = {
  /** Unique per channel; the dedupe key (platform message id, or a synthesized one). */
  eventId: string;
  channel: ChannelName;
  /** The channel's id for the person: PSID, Zalo user id, web chat cookie id. */
  userId: string;
  /** Epoch milliseconds when the platform says the person acted. */
  at: number;
};

export type InboundEvent = EventBase &
  (
    | { kind: "text"; text: string }
    /** A button tap: Messenger postback or quick reply, a Zalo query button, a web chat button. */
    | { kind: "payload"; payload: string; text?: string }
    /** Get Started, follow, or a deep link; `ref` carries the deep-link parameter (e.g. a branch code). */
    | { kind: "start"; ref?: string }
    | { kind: "media"; mediaType: MediaType }
    /** Zalo's share-info form answered (user_submit_info). */
    | { kind: "sharedInfo"; name?: string; phone?: string }
    | { kind: "unfollow" }
  );

export type InboundEventKind = InboundEvent["kind"];

export type Button = { title: string; payload: string };

/** One message to a person, already in their language. Channels render buttons within their limits. */
export type OutboundMessage = { text: string; buttons?: Button[] };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export type VersionRef = { id: string; version: number };

/** What a branch head decides with the card's buttons: Xác nhận, Từ chối, Cần bổ sung. */
export type DecisionAction = "confirm" | "reject" | "more";

export type Effect =
  | { type: "reply"; messages: OutboundMessage[] }
  /** `locale`: the language chosen so far (perhaps before consent, when nothing could be stored yet). */
  | { type: "recordConsent"; granted: true; noticeVersion: string; at: number; locale: Locale; guardianConsent?: boolean }
  | {
      type: "saveAnswer";
      year: number;
      flow: VersionRef;
      criteriaSet: VersionRef | null;
      field: string;
      /** Exactly what the person typed or tapped. */
      raw: string;
      value: JsonValue;
      points: number | null;
    }
  | { type: "clearAnswers"; year: number; fields: string[] }
  | { type: "submitRegistration"; year: number; flow: VersionRef; criteriaSet: VersionRef; score: number; meets: boolean }
  | { type: "cancelRegistration"; year: number }
  | { type: "deletePersonalData" }
  /** Consent refused: what the person typed so far is not kept (the rows stay, without their text, for dedupe). */
  | { type: "forgetTypedMessages" }
  | { type: "setLocale"; locale: Locale }
  /** "dừng nhắc" / "nhận nhắc nhở": broadcasts and reminders off or on again for this person. */
  | { type: "setReminders"; on: boolean; at: number }
  /*
   * The effects below need the database to know how they turned out (is the invite still valid? did this tap win?):
   * the persistence layer applies them in the turn's transaction and returns an EffectOutcome, which the engine's
   * renderEffectOutcome turns into replies and notifications (texts stay in locales/).
   */
  /** "chihoi <code>": the invite is used once, conditionally, and the person becomes a head of its branch. */
  | { type: "claimBranch"; inviteCode: string; at: number; locale: Locale }
  /** The name a head gives after claiming: other heads and citizens see who decided. */
  | { type: "setHeadName"; name: string }
  /** A head's decision: applied only while the registration is still submitted in the token's round (first wins). */
  | { type: "decideRegistration"; token: string; action: DecisionAction; reason: string | null; reopenFields: string[]; at: number }
  | { type: "listPendingRegistrations"; page: number; pageSize: number }
  | { type: "reportBranchStats"; year: number };

export type EffectType = Effect["type"];
