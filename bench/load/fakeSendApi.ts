/**
 * A lean fake Send API for the load benchmark, run in a worker thread so its work does not sit on the load
 * generator's event loop: `POST /:version/me/messages` (or `/:pageId/messages`) checked against the documented
 * shape (token, recipient, messaging type, text or template), answered as Graph does. Every accepted send is
 * posted to the parent as [recipientId, time] with time on the shared clock (performance.timeOrigin + now).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { parentPort, workerData } from "node:worker_threads";

const { pageAccessToken, pageId, version } = workerData as { pageAccessToken: string; pageId: string; version: string };
const port = parentPort!;
let sequence = 0;
let batch: Array<[string, number]> = [];
let rejected = 0;

const flush = () => {
  if (batch.length > 0) port.postMessage({ sends: batch });
  batch = [];
};
setInterval(flush, 5).unref();

function graphError(code: number, message: string): string {
  return JSON.stringify({ error: { message, type: "OAuthException", code, fbtrace_id: "Bench" } });
}

/** The shape platforms.md documents for a Send API body; a violation is what Graph answers with code 100. */
function problemOf(body: unknown): string | null {
  if (typeof body !== "object" || body === null) return "body";
  const record = body as { recipient?: { id?: unknown }; messaging_type?: unknown; message?: { text?: unknown; attachment?: unknown; quick_replies?: unknown } };
  if (typeof record.recipient?.id !== "string" || !/^\d+$/.test(record.recipient.id)) return "recipient.id";
  if (!["RESPONSE", "UPDATE", "MESSAGE_TAG", "UTILITY"].includes(String(record.messaging_type))) return "messaging_type";
  const message = record.message;
  if (!message) return "message";
  if (typeof message.text === "string") {
    if (message.text.length === 0 || message.text.length > 2000) return "message.text length";
  } else if (typeof message.attachment !== "object") return "message.text or attachment";
  if (message.quick_replies !== undefined && (!Array.isArray(message.quick_replies) || message.quick_replies.length > 13)) return "quick_replies";
  return null;
}

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  // A server process stopped mid-request resets its connection: that request is simply gone.
  request.on("error", () => undefined);
  response.on("error", () => undefined);
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const url = new URL(request.url ?? "/", "http://fake");
    const [, pathVersion, page, resource] = url.pathname.split("/");
    const token = url.searchParams.get("access_token") ?? request.headers.authorization?.replace(/^Bearer /, "");
    const reply = (status: number, body: string) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(body);
    };
    if (request.method !== "POST" || pathVersion !== version || resource !== "messages" || (page !== "me" && page !== pageId)) {
      rejected++;
      return reply(400, graphError(2500, "Unknown path components"));
    }
    if (token !== pageAccessToken) {
      rejected++;
      return reply(400, graphError(190, "Invalid OAuth access token."));
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      rejected++;
      return reply(400, graphError(100, "(#100) Invalid JSON"));
    }
    const problem = problemOf(body);
    if (problem) {
      rejected++;
      return reply(400, graphError(100, `(#100) ${problem}`));
    }
    const recipientId = (body as { recipient: { id: string } }).recipient.id;
    sequence += 1;
    batch.push([recipientId, performance.timeOrigin + performance.now()]);
    reply(200, JSON.stringify({ recipient_id: recipientId, message_id: `m_bench${sequence}` }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  port.postMessage({ port: (server.address() as AddressInfo).port });
});
port.on("message", (message: { type: string }) => {
  if (message.type === "stats") {
    flush();
    port.postMessage({ stats: { sent: sequence, rejected } });
  }
  if (message.type === "close") server.close(() => process.exit(0));
});
