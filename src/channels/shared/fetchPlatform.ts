import { parseJsonPreservingBigIntegers } from "./parseJsonPreservingBigIntegers.js";

export type PlatformResponse =
  | { kind: "response"; httpStatus: number; body: unknown }
  | { kind: "networkError"; message: string };

/** One HTTP call to a platform with a hard timeout; never throws, so callers classify every outcome. */
export async function fetchPlatform(url: string, init: RequestInit, timeoutMs: number): Promise<PlatformResponse> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await fetch(url, { ...init, signal: controller.signal });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? parseJsonPreservingBigIntegers(text) : null;
    } catch {
      // Not JSON (an HTML error page from a proxy): keep the text for the log.
    }
    return { kind: "response", httpStatus: response.status, body };
  } catch (error) {
    const message = controller.signal.aborted ? `no answer within ${timeoutMs} ms` : error instanceof Error ? error.message : String(error);
    return { kind: "networkError", message };
  } finally {
    clearTimeout(timer);
  }
}
