import { afterAll, describe, expect, it } from "vitest";
import { migrate } from "../../src/persistence/migrate.js";
import { openDatabase } from "../../src/persistence/openDatabase.js";
import { cleanUpIsolated, postgresUrl, uniqueName } from "../support/testRuntime.js";

const schemas: string[] = [];
afterAll(async () => {
  for (const schema of schemas) await cleanUpIsolated({ DATABASE_URL: postgresUrl, DATABASE_SCHEMA: schema });
});

describe("several processes starting at once on a new database schema", () => {
  it("all open and migrate it, and the migration is applied once", async () => {
    for (let round = 0; round < 5; round++) {
      const schemaName = uniqueName("open");
      schemas.push(schemaName);
      const handles = await Promise.all([0, 1, 2].map(() => openDatabase({ url: postgresUrl, dataDir: "memory://", schemaName, poolSize: 2 })));
      try {
        const results = await Promise.all(handles.map((handle) => migrate(handle)));
        expect(results.flatMap((result) => result.applied).filter((tag) => tag === "0000_init")).toHaveLength(1);
      } finally {
        await Promise.all(handles.map((handle) => handle.close()));
      }
    }
  });
});
