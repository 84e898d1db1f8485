import { pino } from "pino";

/** A logger for tests: silent unless TEST_LOG_LEVEL is set (e.g. TEST_LOG_LEVEL=debug to watch a failing test). */
export const silentLogger = pino({ level: process.env["TEST_LOG_LEVEL"] ?? "silent" });
