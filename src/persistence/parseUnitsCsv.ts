import { z } from "zod";
import { communeRowSchema, provinceRowSchema } from "./seedReferenceData.js";

/** A small RFC 4180 reader: quoted fields, doubled quotes, commas and newlines inside quotes. */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const input = text.replace(/^\uFEFF/, "");
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && input[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...body] = rows.filter((r) => r.some((cell) => cell.trim() !== ""));
  if (!header) return [];
  return body.map((cells) => Object.fromEntries(header.map((name, index) => [name.trim(), (cells[index] ?? "").trim()])));
}

export class UnitsFileError extends Error {
  override name = "UnitsFileError";
}

function parseRows<T>(file: string, rows: Record<string, string>[], schema: z.ZodType<T>): T[] {
  return rows.map((row, index) => {
    const result = schema.safeParse(row);
    if (!result.success) {
      const problems = result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
      throw new UnitsFileError(`${file} line ${index + 2}: ${problems}`);
    }
    return result.data;
  });
}

/** provinces.csv (code,name,fullName,slug,type,isCentral) and communes.csv (code,name,fullName,slug,type,provinceCode). */
export function parseAdministrativeUnits(provincesCsv: { name: string; text: string }, communesCsv: { name: string; text: string }) {
  const provinces = parseRows(provincesCsv.name, parseCsv(provincesCsv.text), provinceRowSchema.extend({ isCentral: z.enum(["true", "false"]).transform((v) => v === "true") }));
  const communes = parseRows(communesCsv.name, parseCsv(communesCsv.text), communeRowSchema);
  const known = new Set(provinces.map((p) => p.code));
  const orphan = communes.find((c) => !known.has(c.provinceCode));
  if (orphan) throw new UnitsFileError(`${communesCsv.name}: commune ${orphan.code} names province ${orphan.provinceCode}, which is not in ${provincesCsv.name}`);
  return { provinces, communes };
}
