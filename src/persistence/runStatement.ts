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
 * (On PostgreSQL the text becomes a named prepared statement, as every parameterised query does.)
 */
export async function runStatement<Row>(db: Database, text: string, params: readonly unknown[]): Promise<Row[]> {
  const runner = runners.get(db);
  if (!runner) throw new Error("runStatement needs a database handle from openDatabase (its driver is registered there)");
  return (await runner(text, params)).rows as Row[];
}
