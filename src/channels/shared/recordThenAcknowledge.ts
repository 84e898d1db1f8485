import type { Response } from "express";
import type { Logger } from "pino";
import type { ConversationInbox } from "../../conversation/ports.js";
import type { InboundEvent } from "../../conversation/types.js";
import { drainEachPerson } from "./drainEachPerson.js";
import { WebhookPayloadError } from "./errors.js";
import { recordEventsInOrder } from "./recordEventsInOrder.js";
import { isDatabaseUnavailable } from "../../persistence/isDatabaseUnavailable.js";
import type { OutboundEcho } from "./outboundEcho.js";

/** Stores what echoes say about outbox rows being sent (`recordOutboundEchoes`). */
export type EchoRecorder = (echoes: readonly OutboundEcho[]) => Promise<void>;

/**
 * The tail every signed webhook shares: parse the body into events (400 on an unexpected shape), record them in
 * order (500 if that fails, so the platform delivers again: never 200 before they are recorded), answer 200 with
 * the platform's body, then drain each person's inbox without holding the response. When some events could not be
 * recorded the answer is 5xx (503 while the database is away) and the ones that were are handled at once.
 */
export async function recordThenAcknowledge(args: {
  response: Response;
  inbox: ConversationInbox;
  log: Logger;
  /** Parses the body; echoes of the bot's own messages are handed to `echo` instead of becoming events. */
  parse: (echo: (echo: OutboundEcho) => void) => InboundEvent[];
  recordEchoes?: EchoRecorder | undefined;
  acknowledgement: string;
}): Promise<void> {
  const { response, inbox, log } = args;
  let events: InboundEvent[];
  const echoes: OutboundEcho[] = [];
  try {
    events = args.parse((echo) => echoes.push(echo));
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    log.warn({ issues: error.issues }, "signed webhook body has an unexpected shape: answered 400");
    response.sendStatus(400);
    return;
  }
  if (echoes.length > 0 && args.recordEchoes) {
    try {
      await args.recordEchoes(echoes);
    } catch (error) {
      // The platform sends it again; an echo only matters to a row whose sender died, which waits for it.
      const status = isDatabaseUnavailable(error) ? 503 : 500;
      log.error({ err: error, echoes: echoes.length }, `recording echoes failed: answered ${status} so the platform delivers again`);
      response.sendStatus(status);
      return;
    }
  }
  const batch = await recordEventsInOrder(inbox, events);
  if (batch.notRecorded.length > 0) {
    const status = isDatabaseUnavailable(batch.firstError) ? 503 : 500;
    log.error(
      { err: batch.firstError, events: events.length, notRecorded: batch.notRecorded.length },
      `recording webhook events failed: answered ${status} so the platform delivers again; the recorded ones are handled now`,
    );
    response.sendStatus(status);
    drainEachPerson(inbox, batch.recorded, log);
    return;
  }
  // Written as it is: no ETag (res.send would hash the body) for an answer nobody caches.
  response.status(200).type("html").end(args.acknowledgement);
  drainEachPerson(inbox, events, log);
}
