import { z } from "zod";
import { ZaloTokenRefreshError } from "../shared/errors.js";
import { fetchPlatform } from "../shared/fetchPlatform.js";

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  /** A string of seconds ("90000"); Chatwoot assumes 3600 when it is missing. */
  expires_in: z.union([z.string(), z.number()]).optional(),
});
const oauthErrorSchema = z.object({ error: z.coerce.number(), error_name: z.string().optional(), error_description: z.string().optional(), message: z.string().optional() });

export type ZaloTokenPair = { accessToken: string; refreshToken: string; expiresAt: Date };

/**
 * Exchanges a (single-use) refresh token for a new pair: `POST {oauth}/v4/oa/access_token`, form-encoded, app
 * secret in the `secret_key` header (platforms.md §3). Throws ZaloTokenRefreshError, `retryable` when the
 * failure was the network or a 5xx rather than Zalo refusing the token.
 */
export async function refreshZaloAccessToken(options: {
  oauthUrl: string;
  appId: string;
  appSecret: string;
  refreshToken: string;
  now?: Date;
  timeoutMs?: number;
}): Promise<ZaloTokenPair> {
  const form = new URLSearchParams({ refresh_token: options.refreshToken, app_id: options.appId, grant_type: "refresh_token" });
  const response = await fetchPlatform(
    `${options.oauthUrl.replace(/\/+$/, "")}/v4/oa/access_token`,
    { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", secret_key: options.appSecret }, body: form.toString() },
    options.timeoutMs ?? 10_000,
  );
  if (response.kind === "networkError") throw new ZaloTokenRefreshError(`Zalo token refresh failed: ${response.message}`, true);
  if (response.httpStatus >= 500) throw new ZaloTokenRefreshError(`Zalo token refresh failed: HTTP ${response.httpStatus}`, true);
  const pair = tokenResponseSchema.safeParse(response.body);
  if (response.httpStatus === 200 && pair.success) {
    const seconds = Number(pair.data.expires_in ?? 3600);
    const lifetimeMs = (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000;
    return { accessToken: pair.data.access_token, refreshToken: pair.data.refresh_token, expiresAt: new Date((options.now ?? new Date()).getTime() + lifetimeMs) };
  }
  const error = oauthErrorSchema.safeParse(response.body);
  const detail = error.success ? `${error.data.error} ${error.data.error_name ?? ""} ${error.data.error_description ?? error.data.message ?? ""}`.trim() : `HTTP ${response.httpStatus}`;
  throw new ZaloTokenRefreshError(`Zalo refused the refresh token (${detail}): the OA must be re-authorised`, false, error.success ? error.data.error : null);
}
