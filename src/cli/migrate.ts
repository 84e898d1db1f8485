import { loadConfig } from "../config.js";
import { migrate } from "../persistence/migrate.js";
import { openDatabase } from "../persistence/openDatabase.js";
import { seedReferenceData } from "../persistence/seedReferenceData.js";

/** npm run db:migrate — applies the committed migrations (the server also does this at start). */
const config = loadConfig();
const database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.DATA_DIR, schemaName: config.DATABASE_SCHEMA });
try {
  const { applied } = await migrate(database);
  const { seeded } = await seedReferenceData(database.db);
  console.log(applied.length > 0 ? `applied: ${applied.join(", ")}` : "the database is up to date");
  if (seeded) console.log("reference data seeded");
} finally {
  await database.close();
}
