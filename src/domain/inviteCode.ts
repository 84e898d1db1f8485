import { randomInt } from "node:crypto";

/** Letters and digits nobody misreads on a phone (no 0/O, 1/I/L). */
const alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
export const inviteCodeLength = 8;

/** A one-time invite code for a future branch head: 8 characters (~40 bits), at least one digit and one letter. */
export function generateInviteCode(pick: (max: number) => number = randomInt): string {
  for (;;) {
    const code = Array.from({ length: inviteCodeLength }, () => alphabet[pick(alphabet.length)]).join("");
    if (/\d/.test(code) && /[A-Z]/.test(code)) return code;
  }
}
