import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { parseJsonPreservingBigIntegers } from "./parseJsonPreservingBigIntegers.js";

export type PlatformResponse =
  | { kind: "response"; httpStatus: number; body: unknown }
  | { kind: "networkError"; message: string };

export type PlatformRequest = { method: "GET" | "POST"; headers?: Record<string, string>; body?: string };

// Kept-alive connections to the platforms: a send reuses a warm socket instead of a new one (or undici's heavier
// fetch path). Idle sockets are closed after 30 s, before servers drop them.
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 128, timeout: 30_000 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 128, timeout: 30_000 }),
};

/** One HTTP call to a platform with a hard timeout; never throws, so callers classify every outcome. */
export function fetchPlatform(url: string, init: PlatformRequest, timeoutMs: number): Promise<PlatformResponse> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (response: PlatformResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return resolve({ kind: "networkError", message: "invalid platform URL" });
    }
    const secure = target.protocol === "https:";
    const body = init.body === undefined ? undefined : Buffer.from(init.body, "utf8");
    const headers = { ...init.headers, ...(body ? { "content-length": String(body.length) } : {}) };
    const outgoing = (secure ? httpsRequest : httpRequest)(target, { method: init.method, headers, agent: secure ? agents.https : agents.http }, (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("error", (error) => finish({ kind: "networkError", message: error.message }));
      response.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let parsed: unknown = text;
        try {
          parsed = text ? parseJsonPreservingBigIntegers(text) : null;
        } catch {
          // Not JSON (an HTML error page from a proxy): keep the text for the log.
        }
        finish({ kind: "response", httpStatus: response.statusCode ?? 0, body: parsed });
      });
    });
    const timer = setTimeout(() => {
      finish({ kind: "networkError", message: `no answer within ${timeoutMs} ms` });
      outgoing.destroy();
    }, timeoutMs);
    outgoing.on("error", (error) => finish({ kind: "networkError", message: error.message }));
    outgoing.end(body);
  });
}
