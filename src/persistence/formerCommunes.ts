import { sql } from "drizzle-orm";
import { z } from "zod";
import { readFileSync } from "node:fs";
import { communes, formerCommunes } from "../../db/schema.js";
import { placeKey } from "../domain/understanding/index.js";
import type { Database } from "./openDatabase.js";
import { parseCsv } from "./parseUnitsCsv.js";

/** One old commune and the new commune it became (part of). */
export const formerCommuneRowSchema = z.object({
  communeCode: z.string().regex(/^\d{5}$/),
  provinceCode: z.string().regex(/^\d{2}$/),
  formerName: z.string().min(1),
  formerDistrict: z.string(),
  formerProvince: z.string(),
});
export type FormerCommuneRow = z.infer<typeof formerCommuneRowSchema>;

export type UnmatchedFormerRow = { line: number; province: string; commune: string; reason: "province" | "commune" };

/**
 * former-communes.csv (province,commune,formerCommune,formerDistrict,formerProvince; names, not codes) resolved
 * against the provinces and communes we know, on folded keys. Rows whose new province or commune is unknown are
 * reported, never dropped silently.
 */
export function resolveFormerCommunes(
  text: string,
  known: { provinces: Array<{ code: string; fullName: string; name: string }>; communes: Array<{ code: string; name: string; fullName: string; provinceCode: string }> },
): { rows: FormerCommuneRow[]; unmatched: UnmatchedFormerRow[] } {
  const provinceByKey = new Map<string, string>();
  for (const province of known.provinces) {
    provinceByKey.set(placeKey(province.fullName), province.code);
    provinceByKey.set(placeKey(province.name), province.code);
  }
  const communeByKey = new Map<string, string>();
  for (const commune of known.communes) {
    communeByKey.set(`${commune.provinceCode}|${placeKey(commune.name)}`, commune.code);
    communeByKey.set(`${commune.provinceCode}|${placeKey(commune.fullName.split(",")[0] ?? commune.name)}`, commune.code);
  }
  const rows: FormerCommuneRow[] = [];
  const unmatched: UnmatchedFormerRow[] = [];
  parseCsv(text).forEach((row, index) => {
    const line = index + 2;
    const provinceCode = provinceByKey.get(placeKey(row["province"] ?? ""));
    if (!provinceCode) return void unmatched.push({ line, province: row["province"] ?? "", commune: row["commune"] ?? "", reason: "province" });
    const communeCode = communeByKey.get(`${provinceCode}|${placeKey(row["commune"] ?? "")}`);
    if (!communeCode) return void unmatched.push({ line, province: row["province"] ?? "", commune: row["commune"] ?? "", reason: "commune" });
    rows.push({ communeCode, provinceCode, formerName: row["formerCommune"] ?? "", formerDistrict: row["formerDistrict"] ?? "", formerProvince: row["formerProvince"] ?? "" });
  });
  return { rows: rows.filter((row) => row.formerName !== ""), unmatched };
}

/** Replaces the whole mapping (it describes one reform: a new file is the whole truth). */
export async function replaceFormerCommunes(db: Database, rows: FormerCommuneRow[]): Promise<number> {
  await db.transaction(async (tx) => {
    await tx.delete(formerCommunes);
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(formerCommunes).values(rows.slice(i, i + 1000));
  });
  return rows.length;
}

/** The mapping for the demo communes, shipped in db/seed (made from former-communes.csv). */
export function demoFormerCommunes(): FormerCommuneRow[] {
  return z.array(formerCommuneRowSchema).parse(JSON.parse(readFileSync(new URL("../../db/seed/demo-former-communes.json", import.meta.url), "utf8")));
}

/** The demo mapping shipped in db/seed, when the table is empty (older databases get it on their next start). */
export async function seedFormerCommunes(db: Database, rows: FormerCommuneRow[]): Promise<boolean> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table former_communes in exclusive mode`);
    const [row] = await tx.select({ count: sql<number>`count(*)::int` }).from(formerCommunes);
    if ((row?.count ?? 0) > 0) return false;
    const existing = new Set((await tx.select({ code: communes.code }).from(communes)).map((r) => r.code));
    const usable = rows.filter((entry) => existing.has(entry.communeCode));
    for (let i = 0; i < usable.length; i += 1000) await tx.insert(formerCommunes).values(usable.slice(i, i + 1000));
    return usable.length > 0;
  });
}
