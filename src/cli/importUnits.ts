import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { loadConfig } from "../config.js";
import { migrate } from "../persistence/migrate.js";
import { openDatabase } from "../persistence/openDatabase.js";
import { parseAdministrativeUnits } from "../persistence/parseUnitsCsv.js";
import { upsertAdministrativeUnits } from "../persistence/seedReferenceData.js";
import { replaceFormerCommunes, resolveFormerCommunes } from "../persistence/formerCommunes.js";

/**
 * npm run import:units -- provinces.csv communes.csv [former-communes.csv] — loads the full national list of provinces
 * and communes, and optionally how the communes of before July 2025 map onto them (rows that match no commune are
 * listed, not dropped silently).
 */
const [provincesPath, communesPath, formerPath] = process.argv.slice(2);
if (!provincesPath || !communesPath) {
  console.error("usage: npm run import:units -- provinces.csv communes.csv [former-communes.csv]");
  process.exit(2);
}
const units = parseAdministrativeUnits(
  { name: basename(provincesPath), text: readFileSync(provincesPath, "utf8") },
  { name: basename(communesPath), text: readFileSync(communesPath, "utf8") },
);
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, schemaName: config.DATABASE_SCHEMA });
try {
  await migrate(database);
  const counts = await upsertAdministrativeUnits(database.db, units);
  console.log(`imported ${counts.provinces} provinces and ${counts.communes} communes`);
  if (formerPath) {
    const { rows, unmatched } = resolveFormerCommunes(readFileSync(formerPath, "utf8"), units);
    console.log(`imported ${await replaceFormerCommunes(database.db, rows)} former communes`);
    if (unmatched.length > 0) {
      console.log(`${unmatched.length} rows of ${basename(formerPath)} name a province or commune not in ${basename(communesPath)}:`);
      for (const row of unmatched.slice(0, 50)) console.log(`  line ${row.line}: ${row.reason} not found: ${row.province} / ${row.commune}`);
      if (unmatched.length > 50) console.log(`  … and ${unmatched.length - 50} more`);
    }
  }
} finally {
  await database.close();
}
