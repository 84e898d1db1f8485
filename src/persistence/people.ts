import { and, eq } from "drizzle-orm";
import { channelIdentities, people } from "../../db/schema.js";
import type { Recipient } from "../conversation/effectOutcomes.js";
import { channelNames, locales, type ChannelIdentity, type ChannelName, type Locale } from "../conversation/types.js";
import { messagingWindowMs } from "../jobs/messagingWindow.js";
import type { Database } from "./openDatabase.js";

export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
export type Executor = Database | Transaction;

/**
 * Whom an identity belongs to, as a turn read it under the person's lock, kept for that turn's transaction only: the
 * effects that need the person do not each ask the database again.
 */
const knownPeople = new WeakMap<object, Map<string, string>>();
const identityKey = (identity: ChannelIdentity) => `${identity.channel}\u0000${identity.userId}`;

export function rememberPerson(tx: Transaction, identity: ChannelIdentity, personId: string): void {
  let known = knownPeople.get(tx);
  if (!known) knownPeople.set(tx, (known = new Map()));
  known.set(identityKey(identity), personId);
}

/** After a person was deleted in this transaction. */
export function forgetPeople(tx: Transaction): void {
  knownPeople.delete(tx);
}

export async function personIdOf(db: Executor, identity: ChannelIdentity): Promise<string | null> {
  const known = knownPeople.get(db)?.get(identityKey(identity));
  if (known) return known;
  const rows = await db
    .select({ personId: channelIdentities.personId })
    .from(channelIdentities)
    .where(and(eq(channelIdentities.channel, identity.channel), eq(channelIdentities.userId, identity.userId)));
  return rows[0]?.personId ?? null;
}

/**
 * The person behind a channel identity, created the first time something must be stored. `locale` (the session's
 * language) is kept, so later messages from others (a decision, a card) come in it.
 */
export async function ensurePerson(tx: Transaction, identity: ChannelIdentity, locale?: Locale): Promise<string> {
  const existing = await personIdOf(tx, identity);
  if (existing) {
    if (locale) await tx.update(people).set({ locale }).where(eq(people.id, existing));
    return existing;
  }
  const [person] = await tx.insert(people).values(locale ? { locale } : {}).returning({ id: people.id });
  if (!person) throw new Error("could not create a person");
  await tx
    .insert(channelIdentities)
    .values({ channel: identity.channel, userId: identity.userId, personId: person.id })
    .onConflictDoUpdate({ target: [channelIdentities.channel, channelIdentities.userId], set: { personId: person.id } });
  rememberPerson(tx, identity, person.id);
  return person.id;
}

type IdentityRow = { channel: string; userId: string; lastInboundAt: Date | null; outsideWindowAt: Date | null; unreachableAt: Date | null };

/**
 * Whether a free-form message may go to this identity now (the rule of src/jobs/messagingWindow.ts): web chat
 * always, Messenger 24 h and Zalo 7 days after the person's last message, unless the platform said otherwise since.
 */
export function isMessagingWindowOpen(row: IdentityRow, now: Date): boolean {
  const windowMs = messagingWindowMs[row.channel as ChannelName];
  if (windowMs === null) return true;
  if (windowMs === undefined || !row.lastInboundAt) return false;
  const since = row.lastInboundAt.getTime();
  if ([row.outsideWindowAt, row.unreachableAt].some((at) => at && at.getTime() >= since)) return false;
  return now.getTime() < since + windowMs;
}

export type Reachability = { recipient: Recipient; windowOpen: boolean };

/**
 * Where to reach a person: the channel identity they wrote from last (an open window first), in their language.
 * Null when the person has no channel identity left.
 */
export async function reachPerson(db: Executor, personId: string, now: Date): Promise<Reachability | null> {
  const rows = await db
    .select({
      channel: channelIdentities.channel,
      userId: channelIdentities.userId,
      lastInboundAt: channelIdentities.lastInboundAt,
      outsideWindowAt: channelIdentities.outsideWindowAt,
      unreachableAt: channelIdentities.unreachableAt,
      locale: people.locale,
    })
    .from(channelIdentities)
    .innerJoin(people, eq(people.id, channelIdentities.personId))
    .where(eq(channelIdentities.personId, personId));
  const known = rows.filter((row) => (channelNames as readonly string[]).includes(row.channel));
  if (known.length === 0) return null;
  const ranked = known
    .map((row) => ({ row, open: isMessagingWindowOpen(row, now) }))
    .sort((a, b) => Number(b.open) - Number(a.open) || (b.row.lastInboundAt?.getTime() ?? 0) - (a.row.lastInboundAt?.getTime() ?? 0));
  const best = ranked[0];
  if (!best) return null;
  const locale: Locale = (locales as readonly string[]).includes(best.row.locale) ? (best.row.locale as Locale) : "vi";
  return { recipient: { identity: { channel: best.row.channel as ChannelName, userId: best.row.userId }, locale }, windowOpen: best.open };
}
