import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { stripDiacritics } from "../domain/understanding/stripDiacritics.js";

const accented = "àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ";
const plain = "aaaaaaaaaaaaaaaaadeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyy";

/** A column lower-cased and without Vietnamese diacritics, in SQL (PostgreSQL and PGlite alike: no extension needed). */
export const foldedColumn = (column: AnyColumn | SQL): SQL => sql`translate(lower(${column}), ${accented}, ${plain})`;

/** What an admin typed in a search box, folded the same way, as a LIKE pattern matching anywhere. */
export function foldedContains(query: string): string {
  const folded = stripDiacritics(query.normalize("NFC")).toLowerCase().replace(/\s+/g, " ").trim();
  return `%${folded.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
