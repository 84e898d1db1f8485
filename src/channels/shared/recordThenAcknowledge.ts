import type { Response } from "express";
import type { Logger } from "pino";
import type { ConversationInbox } from "../../conversation/ports.js";
import type { InboundEvent } from "../../conversation/types.js";
import { drainEachPerson } from "./drainEachPerson.js";
import { WebhookPayloadError } from "./errors.js";
import { recordEventsInOrder } from "./recordEventsInOrder.js";

/**
 * The tail every signed webhook shares: parse the body into events (400 on an unexpected shape), record them in
 * order (500 if that fails, so the platform delivers again: never 200 before they are recorded), answer 200 with
 * the platform's body, then drain each person's inbox without holding the response.
 */
export async function recordThenAcknowledge(args: {
  response: Response;
  inbox: ConversationInbox;
  log: Logger;
  parse: () => InboundEvent[];
  acknowledgement: string;
}): Promise<void> {
  const { response, inbox, log } = args;
  let events: InboundEvent[];
  try {
    events = args.parse();
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    log.warn({ issues: error.issues }, "signed webhook body has an unexpected shape: answered 400");
    response.sendStatus(400);
    return;
  }
  try {
    await recordEventsInOrder(inbox, events);
  } catch (error) {
    log.error({ err: error, events: events.length }, "recording webhook events failed: answered 500 so the platform delivers again");
    response.sendStatus(500);
    return;
  }
  response.status(200).send(args.acknowledgement);
  drainEachPerson(inbox, events, log);
}
