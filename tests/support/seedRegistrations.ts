import { branchHeads, channelIdentities, people, registrationAnswers, registrations, type RegistrationStatus } from "../../db/schema.js";
import type { Database } from "../../src/persistence/openDatabase.js";

const indicators = ["reading", "studyPlan", "studyTime", "encourageOthers", "digitalSkills", "foreignLanguage", "numeracy", "problemSolving", "relationships", "cooperation"];

export type SeededRegistration = {
  name: string;
  provinceCode: string;
  communeCode: string;
  branchId?: string | null;
  group?: string;
  status?: RegistrationStatus;
  meets?: boolean;
  phone?: string | null;
  year?: number;
  village?: string;
  learningPlan?: string;
  submittedAt?: Date;
};

/**
 * Registrations as the conversation leaves them (person, registration, answers with points), written straight to
 * the database so a test can shape a population quickly. A registration that does not meet the criteria has one
 * indicator at 4 points.
 */
export async function seedRegistrations(db: Database, items: SeededRegistration[]): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < items.length; start += 200) {
    const chunk = items.slice(start, start + 200);
    const persons = await db
      .insert(people)
      .values(chunk.map((item) => ({ fullName: item.name, birthYear: 1970, gender: "female", phone: item.phone ?? null })))
      .returning({ id: people.id });
    const rows = await db
      .insert(registrations)
      .values(
        chunk.map((item, index) => {
          const meets = item.meets ?? true;
          const status = item.status ?? "submitted";
          return {
            personId: persons[index]!.id,
            year: item.year ?? 2026,
            status,
            flowId: "registration",
            flowVersion: 1,
            criteriaSetId: "default",
            criteriaVersion: 1,
            branchId: item.branchId ?? null,
            groupCode: item.group ?? "resident",
            provinceCode: item.provinceCode,
            communeCode: item.communeCode,
            score: meets ? 90 : 76,
            meets,
            submittedAt: status === "draft" ? null : (item.submittedAt ?? new Date("2026-03-01T02:00:00Z")),
            decidedAt: status === "confirmed" ? new Date("2026-03-05T02:00:00Z") : null,
            submissionRound: status === "draft" ? 0 : 1,
          };
        }),
      )
      .returning({ id: registrations.id });
    const answers = rows.flatMap((row, index) => {
      const item = chunk[index]!;
      const meets = item.meets ?? true;
      return [
        { registrationId: row.id, field: "province", rawText: item.provinceCode, value: { code: item.provinceCode, name: item.provinceCode }, points: null },
        { registrationId: row.id, field: "commune", rawText: item.communeCode, value: { code: item.communeCode, name: item.communeCode }, points: null },
        { registrationId: row.id, field: "fullName", rawText: item.name, value: item.name, points: null },
        { registrationId: row.id, field: "village", rawText: item.village ?? "Thôn Đông", value: item.village ?? "Thôn Đông", points: null },
        { registrationId: row.id, field: "learningPlan", rawText: item.learningPlan ?? "Học tin học", value: item.learningPlan ?? "Học tin học", points: null },
        ...indicators.map((indicator, position) => ({
          registrationId: row.id,
          field: `criteria.${indicator}`,
          rawText: "Thường xuyên",
          value: "often",
          points: !meets && position === 0 ? 4 : 9,
        })),
      ];
    });
    await db.insert(registrationAnswers).values(answers);
    ids.push(...rows.map((row) => row.id));
  }
  return ids;
}

/** A branch head reachable on the web chat (always inside the window), for tests that check a card arrives. */
export async function seedWebHead(db: Database, branchId: string, userId: string, name: string): Promise<string> {
  const [person] = await db.insert(people).values({ fullName: name }).returning({ id: people.id });
  await db.insert(channelIdentities).values({ personId: person!.id, channel: "web", userId, lastInboundAt: new Date() });
  await db.insert(branchHeads).values({ branchId, personId: person!.id });
  return person!.id;
}
