import { createHash } from "node:crypto";

/**
 * A platform's copy of a message the OA or Page sent (Messenger `message_echoes`, Zalo `oa_send_*`). The bot only
 * uses them to learn which parts of an outbox row reached the person when a sender died mid-send: the row's
 * `echoes` collect these marks while it is being sent.
 */
export type OutboundEcho =
  /** Messenger: our own call, named by the metadata it carried. */
  | { channel: "messenger"; userId: string; outboxId: number; mark: string }
  /** Zalo: no metadata; the text the OA sent, and the message id to tell it from a row already settled. */
  | { channel: "zalo"; userId: string; mark: string; platformMessageId: string | null };

const metadataPattern = /^outbox:(\d{1,15}):(\d{1,3})$/;

/** The metadata a Messenger call carries so its echo names the outbox row and the part. */
export function messengerEchoMetadata(outboxId: number, part: number): string {
  return `outbox:${outboxId}:${part}`;
}

/** The row and part an echo's metadata names, or null when the echo is not one of our outbox calls. */
export function readMessengerEchoMetadata(metadata: string | undefined): { outboxId: number; part: number } | null {
  const match = metadata === undefined ? null : metadataPattern.exec(metadata);
  return match ? { outboxId: Number(match[1]), part: Number(match[2]) } : null;
}

/** The mark of part `part` (0-based) of a row, as its Messenger echo records it. */
export function partMark(part: number): string {
  return `part:${part}`;
}

/** The mark of a text the OA sent, as its Zalo echo records it (a hash: the row keeps no second copy of the text). */
export function textMark(text: string): string {
  return `text:${createHash("sha256").update(text.normalize("NFC").trim()).digest("base64url").slice(0, 22)}`;
}

/**
 * How many of a row's parts reached the platform, counted from the first: the parts whose ids the sender stored,
 * then each next part whose mark an echo recorded. Parts are sent in order, so a gap ends the count.
 */
export function confirmedPartCount(args: { storedIds: number; marks: readonly string[]; echoes: readonly string[] }): number {
  const unused = [...args.echoes];
  let count = 0;
  for (const [index, mark] of args.marks.entries()) {
    if (index < args.storedIds) {
      count = index + 1;
      continue;
    }
    const at = unused.indexOf(mark);
    if (at < 0) break;
    unused.splice(at, 1);
    count = index + 1;
  }
  return count;
}
