import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { safeError } from "./safeError.js";

export type { Logger };

/**
 * Logs never carry what a person typed, their name or their phone: the code logs ids and counts only, and these
 * paths are redacted in case an object slips through.
 */
export const redactedPaths = [
  "text",
  "*.text",
  "fullName",
  "*.fullName",
  "name",
  "*.name",
  "phone",
  "*.phone",
  "raw",
  "*.raw",
  "message.text",
  "event.text",
  "req.headers.cookie",
  "req.headers.authorization",
  "*.access_token",
  "*.accessToken",
  "*.refreshToken",
];

/** Every error logged under `err` goes through safeError: class, code, constraint; never SQL parameters or texts. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    redact: { paths: redactedPaths, censor: "[redacted]" },
    serializers: { err: safeError, error: safeError },
    hooks: {
      // pino would make a lone error's message the line's message: a query error's message carries its parameters.
      logMethod(args, method) {
        const [first, second] = args as unknown[];
        if (first instanceof Error && typeof second !== "string") return method.apply(this, [{ err: first }, `${first.constructor?.name ?? "Error"} (message withheld)`]);
        return method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
