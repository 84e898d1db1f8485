import { eq, inArray } from "drizzle-orm";
import { channelIdentities, people, registrations, type RegistrationStatus } from "../../db/schema.js";
import type { Database } from "../../src/persistence/openDatabase.js";
import { seedRegistrations } from "../support/seedRegistrations.js";

export const phuTho = "06";
export const dienBien = "21";
export const vinhPhu = "00581";
export const vinhYen = "00444";
export const thanhNua = "01564";

export type AudienceMember = {
  name: string;
  channel: "messenger" | "zalo" | "web";
  userId: string;
  /** Hours since the person last wrote (what our database knows). */
  wroteHoursAgo: number;
  phone?: string;
  communeCode?: string;
  provinceCode?: string;
  status?: RegistrationStatus;
  optedOut?: boolean;
  blocked?: boolean;
  year?: number;
};

/** Registrations with a channel identity each, shaped like what conversations leave behind. Returns person ids by user id. */
export async function seedAudience(db: Database, members: AudienceMember[], now = Date.now()): Promise<Map<string, string>> {
  const registrationIds = await seedRegistrations(
    db,
    members.map((member) => ({
      name: member.name,
      provinceCode: member.provinceCode ?? phuTho,
      communeCode: member.communeCode ?? vinhPhu,
      phone: member.phone ?? null,
      status: member.status ?? "submitted",
      year: member.year ?? 2026,
    })),
  );
  const rows = await db.select({ id: registrations.id, personId: registrations.personId }).from(registrations).where(inArray(registrations.id, registrationIds));
  const personOf = new Map(rows.map((row) => [row.id, row.personId]));
  const byUser = new Map<string, string>();
  for (const [index, member] of members.entries()) {
    const personId = personOf.get(registrationIds[index]!)!;
    byUser.set(member.userId, personId);
    const lastInboundAt = new Date(now - member.wroteHoursAgo * 3600_000);
    await db.insert(channelIdentities).values({
      personId,
      channel: member.channel,
      userId: member.userId,
      lastInboundAt,
      unreachableAt: member.blocked ? new Date(lastInboundAt.getTime() + 60_000) : null,
    });
    if (member.optedOut) await db.update(people).set({ remindersOffAt: new Date(now) }).where(eq(people.id, personId));
  }
  return byUser;
}
