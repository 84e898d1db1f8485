import { pino, type Logger } from "pino";

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

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: redactedPaths, censor: "[redacted]" } });
}
