import type { RegistrationStatus } from "../../db/schema.js";
import type { DecisionCard, PastDecision } from "./turnFacts.js";
import type { ChannelIdentity, DecisionAction, Locale, OutboundMessage } from "./types.js";

/** Somebody to notify, on the channel they used last, in their language. */
export type Recipient = { identity: ChannelIdentity; locale: Locale };

/** How an effect that needed the database turned out; the engine renders it (renderEffectOutcome). */
export type EffectOutcome =
  | { type: "branchClaim"; result: "claimed" | "alreadyHead"; branchName: string; needsName: boolean }
  | { type: "branchClaim"; result: "invalid" }
  /** Cards for the heads whose messaging window is open; the others wait for the digest or "danh sách". */
  | { type: "submission"; card: DecisionCard | null; cards: { recipient: Recipient; token: string }[] }
  | { type: "decision"; result: "decided"; action: DecisionAction; reason: string | null; reopenFields: string[]; card: DecisionCard; citizen: Recipient | null }
  | { type: "decision"; result: "alreadyDecided"; decision: PastDecision | null }
  | { type: "decision"; result: "refused" }
  | { type: "pendingList"; page: number; pageSize: number; total: number; items: { token: string; card: DecisionCard }[] }
  | { type: "branchStats"; year: number; branches: { name: string; counts: Partial<Record<RegistrationStatus, number>> }[] };

/** An outcome in words: replies to the person of this turn, and messages to others (heads, the citizen). */
export type RenderedOutcome = { replies: OutboundMessage[]; notifications: { recipient: ChannelIdentity; message: OutboundMessage }[] };

export type RenderOutcome = (outcome: EffectOutcome) => RenderedOutcome;
