import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { z } from "zod";
import { branches, communes, provinces } from "../../db/schema.js";
import type { Database } from "./openDatabase.js";

const seedDir = fileURLToPath(new URL("../../db/seed/", import.meta.url));

export const provinceRowSchema = z.object({
  code: z.string().regex(/^\d{2}$/),
  name: z.string().min(1),
  fullName: z.string().min(1),
  slug: z.string().min(1),
  type: z.string().min(1),
  isCentral: z.boolean(),
});
export const communeRowSchema = z.object({
  code: z.string().regex(/^\d{5}$/),
  name: z.string().min(1),
  fullName: z.string().min(1),
  slug: z.string().min(1),
  type: z.string().min(1),
  provinceCode: z.string().regex(/^\d{2}$/),
});
const branchRowSchema = z.object({ code: z.string().regex(/^[A-Z0-9]{3,12}$/), communeCode: z.string(), name: z.string().min(1) });

const readSeed = <T>(file: string, schema: z.ZodType<T>): T[] => z.array(schema).parse(JSON.parse(readFileSync(`${seedDir}${file}`, "utf8")));

/** On an empty database: the 34 provinces, a demo set of communes in five provinces, and a few demo branches. */
export async function seedReferenceData(db: Database): Promise<{ seeded: boolean }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table provinces in exclusive mode`);
    const [{ count } = { count: 0 }] = await tx.select({ count: sql<number>`count(*)::int` }).from(provinces);
    if (count > 0) return { seeded: false };
    await tx.insert(provinces).values(readSeed("provinces.json", provinceRowSchema));
    await tx.insert(communes).values(readSeed("demo-communes.json", communeRowSchema));
    await tx.insert(branches).values(readSeed("demo-branches.json", branchRowSchema));
    return { seeded: true };
  });
}

/** Inserts or updates provinces and communes (the format of the national 2025 lists). */
export async function upsertAdministrativeUnits(
  db: Database,
  units: { provinces: z.infer<typeof provinceRowSchema>[]; communes: z.infer<typeof communeRowSchema>[] },
): Promise<{ provinces: number; communes: number }> {
  await db.transaction(async (tx) => {
    for (let i = 0; i < units.provinces.length; i += 500) {
      await tx
        .insert(provinces)
        .values(units.provinces.slice(i, i + 500))
        .onConflictDoUpdate({
          target: provinces.code,
          set: { name: sql`excluded.name`, fullName: sql`excluded.full_name`, slug: sql`excluded.slug`, type: sql`excluded.type`, isCentral: sql`excluded.is_central` },
        });
    }
    for (let i = 0; i < units.communes.length; i += 500) {
      await tx
        .insert(communes)
        .values(units.communes.slice(i, i + 500))
        .onConflictDoUpdate({
          target: communes.code,
          set: { name: sql`excluded.name`, fullName: sql`excluded.full_name`, slug: sql`excluded.slug`, type: sql`excluded.type`, provinceCode: sql`excluded.province_code` },
        });
    }
  });
  return { provinces: units.provinces.length, communes: units.communes.length };
}
