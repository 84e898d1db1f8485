import { describeFailure, type SendFailure } from "../channels/shared/sendFailure.js";

/** A send failed for a reason that may pass (rate limit, outage, token): thrown so the queue retries with backoff. */
export class RetryableDeliveryError extends Error {
  override name = "RetryableDeliveryError";
  constructor(
    readonly failure: SendFailure,
    readonly outboxId: number,
  ) {
    super(`Outbox message ${outboxId} not delivered yet, will retry: ${describeFailure(failure)}`);
  }
}

/** The per-recipient lock expired while sending: stop, so two workers never send to one person at once. */
export class RecipientLockLostError extends Error {
  override name = "RecipientLockLostError";
  constructor(key: string) {
    super(`Lost the recipient lock "${key}" while delivering; the job is retried and resumes from the first pending message`);
  }
}
