/**
 * An error as logs may carry it: its class, code, constraint and where PostgreSQL says it happened, and the same of
 * its cause. Never the message of a query error (drizzle puts the SQL parameters there, pg the values in `detail`),
 * never parameters, bodies or texts: a log line must not carry what a person typed, a name or a phone.
 */
export type SafeError = { class: string; code?: string; constraint?: string; table?: string; routine?: string; message?: string; cause?: SafeError };

/** Messages of these classes are written by us or by the network stack, never from data: they may be kept. */
const messageSafe = new Set(["ConfigError", "MissingTranslationError", "FlowDefinitionError", "AbortError", "TimeoutError"]);
const field = (error: object, key: string): string | undefined => {
  const value = (error as Record<string, unknown>)[key];
  return typeof value === "string" || typeof value === "number" ? String(value) : undefined;
};

export function safeError(error: unknown, depth = 0): SafeError | string {
  if (typeof error === "string") return /params:|failed query|detail:/i.test(error) ? "[message withheld]" : error.slice(0, 200);
  if (!(error instanceof Error)) return { class: typeof error };
  const described: SafeError = { class: error.constructor?.name || error.name || "Error" };
  for (const key of ["code", "constraint", "table", "routine"] as const) {
    const value = field(error, key);
    if (value !== undefined) described[key] = value;
  }
  // Network and system errors (ECONNREFUSED, ETIMEDOUT …) say where, not what: their messages are kept.
  if (messageSafe.has(described.class) || /^E[A-Z]+$/.test(described.code ?? "")) described.message = error.message.slice(0, 200);
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && depth < 3) {
    const inner = safeError(cause, depth + 1);
    if (typeof inner === "object") described.cause = inner;
  }
  return described;
}
