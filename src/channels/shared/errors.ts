/** Typed errors of the channel adapters, in one place so callers can `instanceof` them. */

export class ChannelNotConfiguredError extends Error {
  override name = "ChannelNotConfiguredError";
  constructor(channel: string, missing: string[]) {
    super(`The ${channel} channel is not configured: set ${missing.join(", ")} (or do not mount the ${channel} webhook)`);
  }
}

export class WebhookPayloadError extends Error {
  override name = "WebhookPayloadError";
  constructor(
    channel: string,
    readonly issues: string[],
  ) {
    super(`The ${channel} webhook body does not have the documented shape: ${issues.join("; ")}`);
  }
}

export class ZaloNotAuthorizedError extends Error {
  override name = "ZaloNotAuthorizedError";
  constructor() {
    super(
      "No Zalo OA access token: set ZALO_ACCESS_TOKEN and ZALO_REFRESH_TOKEN for the first start, or re-authorise the OA (tokens live in platform_tokens afterwards)",
    );
  }
}

export class ZaloTokenRefreshError extends Error {
  override name = "ZaloTokenRefreshError";
  constructor(
    message: string,
    /** True when the refresh may succeed if tried again (network, 5xx); false when the OA needs re-authorisation. */
    readonly retryable: boolean,
    readonly code: number | null = null,
  ) {
    super(message);
  }
}

export class LockTimeoutError extends Error {
  override name = "LockTimeoutError";
  constructor(key: string, waitedMs: number) {
    super(`Could not take the lock "${key}" within ${waitedMs} ms: another process holds it (it expires by itself if that process died)`);
  }
}
