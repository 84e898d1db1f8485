/**
 * The ceiling for the load benchmark: a bare Express 5 app that reads the raw body, checks the Messenger
 * signature (HMAC-SHA256 with the app secret, timing-safe) and answers 200, as our webhook does before any work.
 * Run as its own process; prints "listening <port>".
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { AddressInfo } from "node:net";
import express from "express";

const appSecret = process.env.MESSENGER_APP_SECRET ?? "bench-secret";
const app = express();
app.post("/webhooks/messenger", express.raw({ type: "*/*", limit: "1mb" }), (request, response) => {
  const body = request.body as Buffer;
  const expected = Buffer.from(`sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`);
  const given = Buffer.from(request.get("x-hub-signature-256") ?? "");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return void response.sendStatus(401);
  response.status(200).send("EVENT_RECEIVED");
});
const server = app.listen(0, "127.0.0.1", () => console.log(`listening ${(server.address() as AddressInfo).port}`));
process.on("SIGTERM", () => server.close(() => process.exit(0)));
