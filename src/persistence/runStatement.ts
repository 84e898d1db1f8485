import { sql, type SQL } from "drizzle-orm";
import type { Database } from "./openDatabase.js";

type Runner = (text: string, params: readonly unknown[]) => Promise<{ rows: unknown[] }>;

/** The driver behind each database handle, for the statements that skip drizzle's query builder. */
const runners = new WeakMap<object, Runner>();

export function registerStatementRunner(db: Database, runner: Runner): void {
  runners.set(db, runner);
}

/**
 * Runs a fixed statement text with numbered parameters ($1, $2 …) straight on the driver: the hot batched statements
 * of the turn pipeline are the same text every time, so building them through drizzle at every call is wasted work.
 * (On PostgreSQL the text becomes a named prepared statement, as every parameterised query does.) A handle without a
 * registered driver (a transaction) goes through drizzle.
 */
export async function runStatement<Row>(db: Database, text: string, params: readonly unknown[]): Promise<Row[]> {
  const runner = runners.get(db);
  if (runner) return (await runner(text, params)).rows as Row[];
  const parts = text.split(/\$(\d+)/);
  const chunks: SQL[] = [];
  parts.forEach((part, index) => chunks.push(index % 2 === 0 ? sql.raw(part) : sql`${params[Number(part) - 1]}`));
  const result = (await db.execute(sql.join(chunks))) as unknown as { rows: Row[] };
  return result.rows;
}
