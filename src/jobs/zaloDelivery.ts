import type { Logger } from "pino";
import { LockTimeoutError, ZaloTokenRefreshError } from "../channels/shared/errors.js";
import type { PlatformSendResult } from "../channels/shared/sendFailure.js";
import type { ZaloClient } from "../channels/zalo/zaloClient.js";
import type { ZaloTokenManager } from "../channels/zalo/zaloTokens.js";
import { renderZaloMessage, type ZaloCsBody } from "../channels/zalo/renderZaloMessage.js";
import { textMark } from "../channels/shared/outboundEcho.js";
import type { ChannelDelivery } from "./channelDelivery.js";

/** One OpenAPI call with the OA token; on -216/-220 the token is refreshed once (or taken from whoever did) and the call repeated. */
export function zaloCallWithToken(deps: { tokens: ZaloTokenManager; log: Logger }) {
  const log = deps.log.child({ channel: "zalo" });
  return async (call: (accessToken: string) => Promise<PlatformSendResult>): Promise<PlatformSendResult> => {
    let token: string;
    try {
      token = await deps.tokens.accessToken();
    } catch (error) {
      return tokenFailure(error);
    }
    const first = await call(token);
    if (first.status === "sent" || first.failure.kind !== "tokenInvalid") return first;
    log.warn({ code: first.failure.code }, "Zalo rejected the access token: refreshing once and sending again");
    try {
      return await call(await deps.tokens.refreshAfterRejection(token));
    } catch (error) {
      return tokenFailure(error);
    }
  };

  function tokenFailure(error: unknown): PlatformSendResult {
    const message = error instanceof Error ? error.message : String(error);
    const temporary = error instanceof LockTimeoutError || (error instanceof ZaloTokenRefreshError && error.retryable);
    log.error({ err: error }, "no usable Zalo access token");
    return { status: "failed", failure: { kind: temporary ? "temporary" : "tokenInvalid", code: null, subcode: null, httpStatus: null, message } };
  }
}

/** Zalo: CS messages with the OA token (refreshed once on rejection). */
export function createZaloDelivery(deps: { client: ZaloClient; tokens: ZaloTokenManager; log: Logger }): ChannelDelivery {
  const withToken = zaloCallWithToken(deps);
  const send = (body: ZaloCsBody) => withToken((token) => deps.client.sendCsMessage(token, body));
  return {
    channel: "zalo",
    prepare(userId, message) {
      return renderZaloMessage(userId, message).map((body) => () => send(body));
    },
    echoMarks(userId, message) {
      return renderZaloMessage(userId, message).map((body) => textMark(body.message.text));
    },
  };
}
