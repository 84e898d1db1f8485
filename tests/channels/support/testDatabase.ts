import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "../../../src/persistence/migrate.js";
import { openDatabase, type DatabaseHandle } from "../../../src/persistence/openDatabase.js";

export const testDatabaseUrl = process.env["TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** A migrated PostgreSQL schema of its own for one test file; `drop()` closes the pool and removes the schema. */
export async function openTestDatabase(label: string): Promise<{ handle: DatabaseHandle; drop(): Promise<void> }> {
  const schemaName = `t_${label}_${randomBytes(4).toString("hex")}`;
  const handle = await openDatabase({ url: testDatabaseUrl, dataDir: "memory://", schemaName, poolSize: 4 });
  await migrate(handle);
  return {
    handle,
    async drop() {
      await handle.close();
      const client = new pg.Client({ connectionString: testDatabaseUrl });
      await client.connect();
      try {
        await client.query(`drop schema if exists "${schemaName}" cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
