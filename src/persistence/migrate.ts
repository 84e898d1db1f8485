import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { DatabaseHandle } from "./openDatabase.js";

const migrationsDir = fileURLToPath(new URL("../../db/migrations/", import.meta.url));

const journalSchema = z.object({ entries: z.array(z.object({ idx: z.number(), tag: z.string() })) });

/**
 * Applies the committed drizzle-kit migrations in order, once each. drizzle-kit writes foreign keys as
 * "public"."table"; they are made unqualified here so the tables can live in any schema (one per test file).
 * An advisory lock keeps two processes starting at once from migrating twice.
 */
export async function migrate(handle: DatabaseHandle): Promise<{ applied: string[] }> {
  const journal = journalSchema.parse(JSON.parse(readFileSync(`${migrationsDir}meta/_journal.json`, "utf8")));
  const applied: string[] = [];
  await handle.db.transaction(async (tx) => {
    if (handle.kind === "postgres") await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lca-migrate:${handle.schemaName}`}))`);
    await tx.execute(sql`create table if not exists schema_migrations (tag text primary key, applied_at timestamptz not null default now())`);
    const done = (await tx.execute(sql`select tag from schema_migrations`)) as unknown as { rows: { tag: string }[] };
    const doneTags = new Set(done.rows.map((row) => row.tag));
    for (const entry of [...journal.entries].sort((a, b) => a.idx - b.idx)) {
      if (doneTags.has(entry.tag)) continue;
      const text = readFileSync(`${migrationsDir}${entry.tag}.sql`, "utf8").replaceAll('"public".', "");
      for (const statement of text.split("--> statement-breakpoint")) {
        if (statement.trim()) await tx.execute(sql.raw(statement));
      }
      await tx.execute(sql`insert into schema_migrations (tag) values (${entry.tag})`);
      applied.push(entry.tag);
    }
  });
  return { applied };
}
