import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversationSessions, consentRecords, inboundEvents, outboundMessages, people, registrationAnswers, registrations, channelIdentities } from "../../db/schema.js";
import { createTurnProcessor } from "../../src/turns/turnProcessor.js";
import type { TurnLock } from "../../src/turns/turnLock.js";
import type { InboundEvent } from "../../src/conversation/types.js";
import { commitTurn } from "../../src/persistence/conversationStore.js";
import { answerTurnOf, commitAnswerTurns, type AnswerTurn } from "../../src/persistence/commitAnswerTurn.js";
import { batchCalls } from "../../src/persistence/batchCalls.js";
import { isDatabaseUnavailable } from "../../src/persistence/isDatabaseUnavailable.js";
import { startTestRuntime, type TestRuntime } from "../support/testRuntime.js";

// Fenced turns: the conversation's state and its version are committed with the turn, conditional on the version the
// turn read. A turn that lost its lock (here: a lock that grants everyone, as an expired one does) commits nothing;
// the answers stored when two processes race through one person's messages equal those of a serial run.
let test: TestRuntime;

beforeAll(async () => {
  test = await startTestRuntime();
});
afterAll(async () => {
  await test?.close();
});

const answers = [
  "đăng ký", "đồng ý", "phu tho", "vinh phu", "khong co o day", "thon dong", "nguyễn văn an", "1975", "nam", "bo qua", "nong dan",
  "hang ngay", "co, da ghi ro", "2 tieng", "thuong xuyen", "tra cuu", "khong can", "thuong xuyen", "thinh thoang", "hoa thuan", "thuong xuyen",
  "hoc tin hoc", "gui",
];

/** A lock that every caller gets at once: what two processes see when one's lock expired mid-turn. */
const brokenLock: TurnLock = { acquire: async () => ({ extend: async () => true, release: async () => undefined }) };

let sequence = 0;
const event = (userId: string, text: string): InboundEvent => ({ eventId: `fence-${++sequence}`, channel: "web", userId, at: Date.now() + sequence, kind: "text", text });

async function storedAnswers(userId: string): Promise<Record<string, unknown>> {
  const db = test.runtime.database.db;
  const [identity] = await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, "web"), eq(channelIdentities.userId, userId)));
  const [registration] = await db.select().from(registrations).where(eq(registrations.personId, identity!.personId!));
  const rows = await db.select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, registration!.id));
  return { status: registration!.status, score: registration!.score, ...Object.fromEntries(rows.map((row) => [row.field, [row.rawText, row.value, row.points]])) };
}

describe("fenced turns", () => {
  it("commit nothing when the stored version moved on since the turn read it", async () => {
    const { inbox, database } = test.runtime;
    const userId = "fence-direct";
    const first = event(userId, "đăng ký");
    await inbox.record(first);
    await inbox.drain({ channel: "web", userId });
    const [session] = await database.db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
    expect(session?.version).toBe(1);
    const second = event(userId, "đồng ý");
    const recorded = await inbox.record(second);
    if (recorded.status !== "recorded") throw new Error("not recorded");
    const stale = await commitTurn(database.db, {
      identity: { channel: "web", userId },
      inboundId: recorded.id,
      effects: [{ type: "reply", messages: [{ text: "from a stale turn" }] }],
      render: () => ({ replies: [], notifications: [] }),
      session: { state: session!.state as never, expectedVersion: 0, remove: false },
    });
    expect(stale).toEqual({ status: "stale" });
    const [pending] = await database.db.select().from(inboundEvents).where(eq(inboundEvents.id, recorded.id));
    expect(pending?.processedAt).toBeNull();
    await inbox.drain({ channel: "web", userId });
    const [after] = await database.db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
    expect(after?.version).toBe(2);
  });

  it("store what a serial run stores when two processes race through one person's messages", async () => {
    const { database, worlds, dispatchers, logger, inbox } = test.runtime;
    const serialUser = "fence-serial";
    for (const text of answers) {
      await inbox.record(event(serialUser, text));
      await inbox.drain({ channel: "web", userId: serialUser });
    }
    const deps = { db: database.db, lock: brokenLock, world: worlds.world, dispatchers, logger };
    const [a, b] = [createTurnProcessor(deps), createTurnProcessor(deps)];
    const racedUser = "fence-raced";
    for (const text of answers) {
      await a.record(event(racedUser, text));
      await Promise.all([a.drain({ channel: "web", userId: racedUser }), b.drain({ channel: "web", userId: racedUser })]);
    }
    // Whatever was fenced off is still in the inbox: a last drain (the sweeper's job) finishes it.
    await a.drain({ channel: "web", userId: racedUser });
    const [serial, raced] = [await storedAnswers(serialUser), await storedAnswers(racedUser)];
    expect(raced).toEqual(serial);
    expect(serial.status).toBe("submitted");
    const replies = await database.db.select().from(inboundEvents).where(and(eq(inboundEvents.userId, racedUser)));
    expect(replies.every((row) => row.processedAt !== null)).toBe(true);
  });

  it("commit an answer turn in one statement: all of it, or nothing when fenced off or already handled", async () => {
    const { inbox, database } = test.runtime;
    const db = database.db;
    const userId = "fence-one-statement";
    for (const text of ["đăng ký", "đồng ý"]) {
      await inbox.record(event(userId, text));
      await inbox.drain({ channel: "web", userId });
    }
    const [session] = await db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
    const [identity] = await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, "web"), eq(channelIdentities.userId, userId)));
    const personId = identity!.personId!;
    const recorded = await inbox.record(event(userId, "Phú Thọ"));
    if (recorded.status !== "recorded") throw new Error("not recorded");
    const answer = { type: "saveAnswer", year: 2026, flow: { id: "citizen", version: 1 }, criteriaSet: null, raw: "Phú Thọ", points: null } as const;
    const turn = (expectedVersion: number) => ({
      identity: { channel: "web" as const, userId },
      inboundId: recorded.id,
      personId,
      effects: [
        { ...answer, field: "province", value: { code: "25", name: "Phú Thọ" } },
        { ...answer, field: "fullName", value: "Nguyễn Văn Một" },
        { ...answer, field: "note", value: null },
        { type: "reply" as const, messages: [{ text: "one" }, { text: "two" }] },
      ],
      render: () => ({ replies: [], notifications: [] }),
      session: { state: session!.state as never, expectedVersion, remove: false },
    });
    const outboxOf = () => db.select().from(outboundMessages).where(eq(outboundMessages.userId, userId));

    const before = (await outboxOf()).length;
    const registrationsBefore = await db.select().from(registrations).where(eq(registrations.personId, personId));
    expect(await commitTurn(db, turn(session!.version + 5))).toEqual({ status: "stale" });
    const [pending] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, recorded.id));
    expect(pending?.processedAt).toBeNull();
    expect(await db.select().from(registrations).where(eq(registrations.personId, personId))).toEqual(registrationsBefore);
    expect((await outboxOf()).length).toBe(before);

    const committed = await commitTurn(db, turn(session!.version));
    if (committed.status !== "committed") throw new Error(`not committed: ${committed.status}`);
    expect(committed.version).toBe(session!.version + 1);
    expect(committed.more).toBe(false);
    expect(committed.outbox.map((item) => item.message.text)).toEqual(["one", "two"]);
    expect(committed.outbox[0]!.id).toBeLessThan(committed.outbox[1]!.id);
    const [registration] = await db.select().from(registrations).where(eq(registrations.personId, personId));
    expect(registration).toMatchObject({ year: 2026, status: "draft", provinceCode: "25" });
    const stored = await db.select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, registration!.id));
    expect(Object.fromEntries(stored.map((row) => [row.field, row.value]))).toMatchObject({ province: { code: "25", name: "Phú Thọ" }, fullName: "Nguyễn Văn Một", note: null });
    const [person] = await db.select().from(people).where(eq(people.id, personId));
    expect(person?.fullName).toBe("Nguyễn Văn Một");
    const rows = (await outboxOf()).filter((row) => row.inboundEventId === recorded.id);
    expect(rows.map((row) => [row.status, (row.message as { text: string }).text])).toEqual([["sent", "one"], ["sent", "two"]]);
    const [after] = await db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
    expect(after?.version).toBe(session!.version + 1);

    expect(await commitTurn(db, turn(session!.version + 1))).toEqual({ status: "already processed" });
    expect((await outboxOf()).filter((row) => row.inboundEventId === recorded.id)).toHaveLength(2);
  });

  it("commit the answer turns of several people in one statement; a stale one undoes the batch, then each is tried alone", async () => {
    const { inbox, database } = test.runtime;
    const db = database.db;
    const start = async (userId: string) => {
      for (const text of ["đăng ký", "đồng ý"]) {
        await inbox.record(event(userId, text));
        await inbox.drain({ channel: "web", userId });
      }
      const [session] = await db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
      const [identity] = await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, "web"), eq(channelIdentities.userId, userId)));
      return { userId, session: session!, personId: identity!.personId! };
    };
    const answer = { type: "saveAnswer", year: 2026, flow: { id: "registration", version: 1 }, criteriaSet: null, points: null } as const;
    const turnOf = async (who: Awaited<ReturnType<typeof start>>, field: string, value: unknown, versionOffset = 0) => {
      const recorded = await inbox.record(event(who.userId, String(field)));
      if (recorded.status !== "recorded") throw new Error("not recorded");
      const turn = answerTurnOf({
        identity: { channel: "web", userId: who.userId },
        inboundId: recorded.id,
        personId: who.personId,
        effects: [{ ...answer, field, raw: String(field), value: value as never }, { type: "reply", messages: [{ text: `${who.userId} ${field}` }] }],
        render: () => ({ replies: [], notifications: [] }),
        session: { state: who.session.state as never, expectedVersion: who.session.version + versionOffset, remove: false },
      });
      if (!turn) throw new Error("not an answer turn");
      return { turn, inboundId: recorded.id };
    };
    const [a, b] = [await start("batch-one"), await start("batch-two")];
    const registrationOf = async (personId: string) => (await db.select().from(registrations).where(eq(registrations.personId, personId)))[0];

    // A commune first, alone; then the province in a batch: the commune is left as it was.
    const commune = await turnOf(a, "commune", { code: "00581", name: "Xã Vĩnh Phú" });
    expect((await commitAnswerTurns(db, [commune.turn]))[0]).toMatchObject({ status: "committed" });
    a.session.version++;
    const province = await turnOf(a, "province", { code: "06", name: "Phú Thọ" });
    const name = await turnOf(b, "fullName", "Trần Thị Hai");
    const both = await commitAnswerTurns(db, [province.turn, name.turn]);
    expect(both.map((result) => result.status)).toEqual(["committed", "committed"]);
    expect(both.map((result) => (result.status === "committed" ? result.outbox.map((item) => item.message.text) : []))).toEqual([["batch-one province"], ["batch-two fullName"]]);
    expect(await registrationOf(a.personId)).toMatchObject({ provinceCode: "06", communeCode: "00581" });
    expect((await db.select().from(people).where(eq(people.id, b.personId)))[0]?.fullName).toBe("Trần Thị Hai");
    // The same turns again: already processed, nothing written twice.
    expect((await commitAnswerTurns(db, [province.turn, name.turn])).map((result) => result.status)).toEqual(["already processed", "already processed"]);
    a.session.version++;
    b.session.version++;

    // One stale turn undoes the whole statement; tried alone through the batcher, the other one commits.
    const fresh = await turnOf(a, "group", "resident");
    const stale = await turnOf(b, "gender", "female", -1);
    const refused = (await commitAnswerTurns(db, [fresh.turn, stale.turn]).catch((error: unknown) => error)) as { code?: string; cause?: { code?: string } };
    expect(refused.code ?? refused.cause?.code).toBe("LC001");
    const [pending] = await db.select().from(inboundEvents).where(eq(inboundEvents.id, fresh.inboundId));
    expect(pending?.processedAt).toBeNull();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let first = true;
    const commit = batchCalls(
      async (turns: readonly AnswerTurn[]) => {
        if (first) {
          first = false;
          await gate;
          return turns.map(() => ({ status: "already processed" as const }));
        }
        return commitAnswerTurns(db, turns);
      },
      { isDatabaseUnavailable },
    );
    const opening = commit(fresh.turn);
    const results = Promise.all([commit(fresh.turn), commit(stale.turn)]);
    release();
    await opening;
    expect((await results).map((result) => result.status)).toEqual(["committed", "stale"]);
    expect(await registrationOf(a.personId)).toMatchObject({ groupCode: "resident", provinceCode: "06", communeCode: "00581" });
  });

  it("commit consent turns in one statement: the person created and bound the first time, only the language updated after; a stale one creates no one", async () => {
    const { inbox, database } = test.runtime;
    const db = database.db;
    const identityOf = async (userId: string) =>
      (await db.select().from(channelIdentities).where(and(eq(channelIdentities.channel, "web"), eq(channelIdentities.userId, userId))))[0];
    // Both have written once ("đăng ký"): an identity, a session, no person yet.
    const opened = async (userId: string) => {
      await inbox.record(event(userId, "đăng ký"));
      await inbox.drain({ channel: "web", userId });
      const [session] = await db.select().from(conversationSessions).where(eq(conversationSessions.userId, userId));
      return session!;
    };
    const consentTurn = async (userId: string, session: { state: unknown; version: number }, options: { personId: string | null; locale: "vi" | "en"; guardian?: boolean; versionOffset?: number }) => {
      const recorded = await inbox.record(event(userId, "đồng ý"));
      if (recorded.status !== "recorded") throw new Error("not recorded");
      const at = Date.UTC(2026, 10, 25, 3, 0, 0);
      const field = options.guardian ? "guardianConsent" : "consent";
      const turn = answerTurnOf({
        identity: { channel: "web", userId },
        inboundId: recorded.id,
        personId: options.personId,
        effects: [
          { type: "recordConsent", granted: true, noticeVersion: "2026-01", at, locale: options.locale, ...(options.guardian ? { guardianConsent: true } : {}) },
          { type: "saveAnswer", year: 2026, flow: { id: "registration", version: 1 }, criteriaSet: null, field, raw: "đồng ý", value: true, points: null },
          { type: "reply", messages: [{ text: `${userId} thanks` }] },
        ],
        render: () => ({ replies: [], notifications: [] }),
        session: { state: session.state as never, expectedVersion: session.version + (options.versionOffset ?? 0), remove: false },
      });
      if (!turn) throw new Error("a consent turn is of the common shape");
      return { turn, inboundId: recorded.id };
    };

    // Stale: nothing is created, not even the person.
    const lateSession = await opened("consent-stale");
    const late = await consentTurn("consent-stale", lateSession, { personId: null, locale: "vi", versionOffset: 3 });
    expect(await commitAnswerTurns(db, [late.turn])).toEqual([{ status: "stale" }]);
    expect((await identityOf("consent-stale"))?.personId).toBeNull();
    expect(await db.select().from(consentRecords).where(eq(consentRecords.userId, "consent-stale"))).toEqual([]);

    // A new person (English) and a known person's guardian consent, in one statement.
    const newSession = await opened("consent-new");
    const knownSession = await opened("consent-known");
    const [known] = await db.insert(people).values({ locale: "vi", fullName: "Lò Văn Ba" }).returning();
    await db.update(channelIdentities).set({ personId: known!.id }).where(eq(channelIdentities.userId, "consent-known"));
    const fresh = await consentTurn("consent-new", newSession, { personId: null, locale: "en" });
    const guardian = await consentTurn("consent-known", knownSession, { personId: known!.id, locale: "en", guardian: true });
    const results = await commitAnswerTurns(db, [fresh.turn, guardian.turn]);
    expect(results.map((result) => result.status)).toEqual(["committed", "committed"]);
    expect(results.map((result) => (result.status === "committed" ? result.outbox.map((item) => item.message.text) : []))).toEqual([["consent-new thanks"], ["consent-known thanks"]]);

    const created = (await identityOf("consent-new"))?.personId;
    expect(created).toBe(fresh.turn.row.person_id);
    const [person] = await db.select().from(people).where(eq(people.id, created!));
    expect(person).toMatchObject({ locale: "en", fullName: null });
    const consents = await db.select().from(consentRecords).where(eq(consentRecords.personId, created!));
    expect(consents).toMatchObject([{ channel: "web", userId: "consent-new", noticeVersion: "2026-01", granted: true, guardianConsent: null, at: new Date(Date.UTC(2026, 10, 25, 3, 0, 0)) }]);
    const [registration] = await db.select().from(registrations).where(eq(registrations.personId, created!));
    const stored = await db.select().from(registrationAnswers).where(eq(registrationAnswers.registrationId, registration!.id));
    expect(stored.map((row) => [row.field, row.value])).toEqual([["consent", true]]);

    // The known person is not created again: their name stays, their language follows the session.
    expect((await identityOf("consent-known"))?.personId).toBe(known!.id);
    expect((await db.select().from(people).where(eq(people.id, known!.id)))[0]).toMatchObject({ locale: "en", fullName: "Lò Văn Ba" });
    expect(await db.select().from(consentRecords).where(eq(consentRecords.personId, known!.id))).toMatchObject([{ guardianConsent: true, granted: true }]);
    expect((await db.select().from(inboundEvents).where(eq(inboundEvents.id, guardian.inboundId)))[0]?.processedAt).not.toBeNull();
  });
});
