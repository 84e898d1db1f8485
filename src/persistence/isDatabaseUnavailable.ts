/** Connection refused, reset or closed, and PostgreSQL's "shutting down" / "cannot connect now" classes (57P, 08). */
const unavailableCodes = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006"]);

/** Whether an error (or its cause, as drizzle wraps driver errors) says the database is away rather than the query wrong. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 3) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && unavailableCodes.has(code)) return true;
  if (/Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message) && !/params:/.test(error.message)) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}
