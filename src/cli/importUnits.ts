import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { loadConfig } from "../config.js";
import { migrate } from "../persistence/migrate.js";
import { openDatabase } from "../persistence/openDatabase.js";
import { parseAdministrativeUnits } from "../persistence/parseUnitsCsv.js";
import { upsertAdministrativeUnits } from "../persistence/seedReferenceData.js";

/** npm run import:units -- provinces.csv communes.csv — loads the full national list of provinces and communes. */
const [provincesPath, communesPath] = process.argv.slice(2);
if (!provincesPath || !communesPath) {
  console.error("usage: npm run import:units -- provinces.csv communes.csv");
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
} finally {
  await database.close();
}
