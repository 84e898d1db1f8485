import { createHash, timingSafeEqual } from "node:crypto";

export type ZaloSignatureVariant = {
  /** The first hashed term: the App ID (official SDK, Chatwoot) or the OA ID (one guide's sample). */
  firstTerm: "appId" | "oaId";
  /** The OA Secret Key (most sources) or the App Secret Key. */
  secret: "oaSecretKey" | "appSecret";
  /** Where the timestamp came from: the body's `timestamp` field (SDK, Chatwoot) or the `timestamp` header. */
  timestampFrom: "body" | "header";
};

export type ZaloSignatureCheck = { valid: true; variant: ZaloSignatureVariant } | { valid: false; reason: "missing" | "malformed" | "mismatch" };

export type ZaloSignatureInput = {
  rawBody: Buffer;
  /** `X-ZEvent-Signature`: `mac=<64 hex>`. */
  signature: string | undefined;
  bodyTimestamp: string | undefined;
  headerTimestamp: string | undefined;
  appId: string;
  oaId?: string | undefined;
  oaSecretKey: string;
  appSecret?: string | undefined;
};

/**
 * Checks `X-ZEvent-Signature` = `mac=` + sha256(firstTerm + rawBody + timestamp + secret), a plain hash, not HMAC
 * (platforms.md §1.3). Which first term, secret and timestamp Zalo uses is unconfirmed, so every documented
 * combination is tried, the documented one first, and the one that matched is returned for the log.
 */
export function verifyZaloSignature(input: ZaloSignatureInput): ZaloSignatureCheck {
  if (!input.signature) return { valid: false, reason: "missing" };
  const match = /^(?:mac=)?([0-9a-f]{64})$/i.exec(input.signature.trim());
  if (!match?.[1]) return { valid: false, reason: "malformed" };
  const received = Buffer.from(match[1], "hex");
  const firstTerms: Array<[ZaloSignatureVariant["firstTerm"], string]> = [["appId", input.appId]];
  if (input.oaId) firstTerms.push(["oaId", input.oaId]);
  const secrets: Array<[ZaloSignatureVariant["secret"], string]> = [["oaSecretKey", input.oaSecretKey]];
  if (input.appSecret) secrets.push(["appSecret", input.appSecret]);
  const timestamps: Array<[ZaloSignatureVariant["timestampFrom"], string]> = [];
  if (input.bodyTimestamp !== undefined) timestamps.push(["body", input.bodyTimestamp]);
  if (input.headerTimestamp !== undefined && input.headerTimestamp !== input.bodyTimestamp) timestamps.push(["header", input.headerTimestamp]);
  for (const [timestampFrom, timestamp] of timestamps) {
    for (const [firstTerm, first] of firstTerms) {
      for (const [secret, secretValue] of secrets) {
        const expected = createHash("sha256").update(first).update(input.rawBody).update(timestamp).update(secretValue).digest();
        if (timingSafeEqual(expected, received)) return { valid: true, variant: { firstTerm, secret, timestampFrom } };
      }
    }
  }
  return { valid: false, reason: "mismatch" };
}
