import { stripDiacritics } from "./stripDiacritics.js";

const claimPattern = /^chi\s*hoi\s*[:#-]?\s*([a-z0-9]{4,16})$/;
const refPattern = /^chi\s*hoi[\s_-]*([a-z0-9]{4,16})$/;

/**
 * The invite code in "chihoi <code>", "chi hội ABC123", "CHIHOI abc123" or "chihoiABC123" (upper-cased), or null.
 * A code always has a digit, so "chi hội trưởng" is not a claim.
 */
export function parseBranchClaim(text: string): string | null {
  const code = claimPattern.exec(stripDiacritics(text.normalize("NFC")).toLowerCase().trim())?.[1];
  return code && /\d/.test(code) ? code.toUpperCase() : null;
}

/** The invite code in a deep-link ref "chihoi_<code>", or null. */
export function parseBranchClaimRef(ref: string): string | null {
  const code = refPattern.exec(ref.toLowerCase().trim())?.[1];
  return code && /\d/.test(code) ? code.toUpperCase() : null;
}
