import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id minimum (19 MiB, 2 passes): a login costs tens of milliseconds, a guess as much. */
const options = { algorithm: 2 /* Algorithm.Argon2id: a const enum, not importable under verbatimModuleSyntax */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password.normalize("NFC"), options);

/** A hash to verify against when the account does not exist, so a missing e-mail takes as long as a wrong password. */
let decoy: Promise<string> | null = null;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  decoy ??= hashPassword("decoy password that matches nothing");
  const target = passwordHash ?? (await decoy);
  const matches = await verify(target, password.normalize("NFC")).catch(() => false);
  return passwordHash !== null && matches;
}
