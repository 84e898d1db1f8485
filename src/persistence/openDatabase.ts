import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import pg from "pg";
import * as schema from "../../db/schema.js";
import { lockDataDir } from "./lockDataDir.js";
import { registerStatementRunner } from "./runStatement.js";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type DatabaseHandle = {
  db: Database;
  kind: "postgres" | "pglite";
  /** The PostgreSQL schema the tables live in (search_path). */
  schemaName: string;
  close: () => Promise<void>;
};

export type DatabaseOptions = {
  /** PostgreSQL connection string; unset → embedded PGlite in `dataDir` (or in memory when dataDir is "memory://"). */
  url?: string;
  dataDir: string;
  /** Isolate the tables in this PostgreSQL schema (tests use one per file). */
  schemaName?: string;
  poolSize?: number;
  /** An idle connection died (PostgreSQL restarted, a failover): reported here instead of crashing the process. */
  onPoolError?: (error: Error) => void;
};

/**
 * Every parameterised query is sent as a named prepared statement (the name derived from its text), so PostgreSQL
 * parses and plans each distinct statement once per connection instead of at every turn. The set of texts is
 * bounded (the code's queries, with placeholders); queries without parameters (DDL, BEGIN) are left as they are.
 */
function prepareRepeatedQueries(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const names = new Map<string, string>();
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (config: unknown, ...rest: unknown[]) => {
    if (typeof config === "object" && config !== null && "text" in config && !("name" in config && (config as { name?: string }).name)) {
      const values = rest[0] ?? (config as { values?: unknown[] }).values;
      if (Array.isArray(values) && values.length > 0) {
        const text = (config as { text: string }).text;
        let name = names.get(text);
        if (!name) names.set(text, (name = `lca_${createHash("sha1").update(text).digest("hex").slice(0, 24)}`));
        return query({ ...config, name }, ...rest);
      }
    }
    return query(config, ...rest);
  };
}

const schemaNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const schemaName = options.schemaName ?? "public";
  if (!schemaNamePattern.test(schemaName)) throw new Error(`Invalid database schema name "${schemaName}": use lower-case letters, digits and _`);
  if (options.url) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      options: schemaName === "public" ? undefined : `-c search_path=${schemaName}`,
    });
    // Without a listener an idle client's error is an unhandled 'error' event and Node exits: the next query
    // reconnects (or fails and its caller answers 5xx) once PostgreSQL is back.
    pool.on("error", (error) => options.onPoolError?.(error));
    pool.on("connect", prepareRepeatedQueries);
    if (schemaName !== "public") {
      const client = await pool.connect();
      try {
        // Two processes starting at once race on CREATE SCHEMA IF NOT EXISTS (a unique violation): serialise it.
        await client.query("begin");
        await client.query("select pg_advisory_xact_lock(hashtext($1))", [`lca-schema:${schemaName}`]);
        await client.query(`create schema if not exists "${schemaName}"`);
        await client.query("commit");
      } catch (error) {
        await client.query("rollback").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    }
    const db = drizzleNodePg({ client: pool, schema });
    registerStatementRunner(db, (text, values) => pool.query({ text, values: [...values] }));
    return { db, kind: "postgres", schemaName, close: () => pool.end() };
  }
  const inMemory = options.dataDir === "memory://";
  if (!inMemory) mkdirSync(options.dataDir, { recursive: true });
  const unlock = inMemory ? () => undefined : lockDataDir(options.dataDir);
  const client = inMemory ? new PGlite() : new PGlite(options.dataDir);
  try {
    await client.waitReady;
  } catch (error) {
    unlock();
    throw error;
  }
  if (schemaName !== "public") {
    await client.exec(`create schema if not exists "${schemaName}"; set search_path to "${schemaName}"`);
  }
  const db = drizzlePglite({ client, schema });
  registerStatementRunner(db, (text, values) => client.query(text, [...values]));
  return {
    db,
    kind: "pglite",
    schemaName,
    close: async () => {
      await client.close();
      unlock();
    },
  };
}
