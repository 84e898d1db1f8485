import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/logger.js";
import { safeError } from "../../src/safeError.js";

// Errors without secrets: a driver error carries the SQL parameters (a name, a phone) in its message; logs keep the
// class, code and constraint only.
const name = "Nguyễn Văn An";
const phone = "+84912345678";

function uniqueViolation(): Error {
  const error = new Error(`duplicate key value violates unique constraint "people_phone_idx"`) as Error & Record<string, string>;
  error.code = "23505";
  error.constraint = "people_phone_idx";
  error.table = "people";
  error.detail = `Key (phone)=(${phone}) already exists.`;
  return error;
}

describe("safeError", () => {
  it("keeps class, code and constraint of a query error and its cause, and drops its message and parameters", () => {
    const error = new DrizzleQueryError(`insert into "people" ("full_name", "phone") values ($1, $2)`, [name, phone], uniqueViolation());
    const described = safeError(error);
    expect(described).toEqual({ class: "DrizzleQueryError", cause: { class: "Error", code: "23505", constraint: "people_phone_idx", table: "people" } });
    expect(JSON.stringify(described)).not.toMatch(/Nguyễn|\+849|insert/);
  });

  it("keeps the message of a network error, which names a host and not a person", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
    expect(safeError(refused)).toEqual({ class: "Error", code: "ECONNREFUSED", message: "connect ECONNREFUSED 127.0.0.1:5432" });
    expect(safeError(`Failed query: select 1 params: ${phone}`)).toBe("[message withheld]");
  });

  it("is what the logger writes for err, at every level", () => {
    const lines: string[] = [];
    const logger = createLogger("trace", { write: (line: string) => void lines.push(line) });
    const error = new DrizzleQueryError(`update "people" set "full_name" = $1`, [name], uniqueViolation());
    logger.error({ err: error }, "turn failed");
    logger.debug(error);
    logger.warn({ err: `Failed query: update people params: ${name},${phone}` }, "as a string");
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain(name);
      expect(line).not.toContain(phone);
    }
    expect(JSON.parse(lines[0]!).err).toMatchObject({ class: "DrizzleQueryError", cause: { code: "23505" } });
  });
});
