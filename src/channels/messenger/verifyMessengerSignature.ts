import { createHmac, timingSafeEqual } from "node:crypto";

export type MessengerSignatureCheck = { valid: true } | { valid: false; reason: "missing" | "malformed" | "mismatch" };

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>` = HMAC-SHA256(app secret, raw body), in constant time
 * (platforms.md §5.1). The raw bytes matter: Meta escapes non-ASCII, so a re-serialised body would not match.
 */
export function verifyMessengerSignature(rawBody: Buffer, header: string | undefined, appSecret: string): MessengerSignatureCheck {
  if (!header) return { valid: false, reason: "missing" };
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match?.[1]) return { valid: false, reason: "malformed" };
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  const received = Buffer.from(match[1], "hex");
  return timingSafeEqual(expected, received) ? { valid: true } : { valid: false, reason: "mismatch" };
}
