import express, { type ErrorRequestHandler, type Request } from "express";
import type { Logger } from "pino";

/** Captures the exact bytes (signatures are computed over them) up to `limit`; bigger bodies end as 413. */
export function rawWebhookBody(limit: string) {
  return express.raw({ type: () => true, limit });
}

/** The body as received; empty when there was none. */
export function rawBodyOf(request: Request): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

type BodyParserError = { type?: string; status?: number };

/** Turns body-reading failures into short answers: 413 for too large, 400 otherwise; nothing is recorded. */
export function webhookBodyErrors(channel: string, log: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, next) => {
    const failure = (typeof error === "object" && error !== null ? error : {}) as BodyParserError;
    if (failure.type === "entity.too.large" || failure.status === 413) {
      log.warn({ channel }, "webhook body over the limit: answered 413");
      response.status(413).send("payload too large");
      return;
    }
    if (typeof failure.status === "number" && failure.status >= 400 && failure.status < 500) {
      log.warn({ channel, err: error }, "webhook body could not be read: answered 400");
      response.status(400).send("bad request");
      return;
    }
    next(error);
  };
}
