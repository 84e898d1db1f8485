import { z } from "zod";
import { fetchPlatform, type PlatformRequest } from "../shared/fetchPlatform.js";
import type { PlatformSendResult, SendFailure } from "../shared/sendFailure.js";
import { classifyZaloError, zaloApiResponseSchema } from "./classifyZaloError.js";
import type { ZaloCsBody } from "./renderZaloMessage.js";

const oaInfoSchema = z.object({ oa_id: z.union([z.string(), z.number()]).transform(String), name: z.string().optional() });

export type ZaloOaInfo = z.infer<typeof oaInfoSchema>;

/**
 * A ZNS/ZBS template message (platforms.md §2.3, §2.5): by phone (documented, production-tested) or by user id
 * (⚠️ body with a top-level `user_id` is unconfirmed; verify on a live OA).
 */
export type ZaloTemplateBody = ({ phone: string } | { user_id: string }) & {
  template_id: string;
  template_data: Record<string, string>;
  tracking_id: string;
};

export type ZaloClient = {
  /** `POST {business}/message/template`, the same bare `access_token` header. */
  sendTemplate(accessToken: string, body: ZaloTemplateBody): Promise<PlatformSendResult>;
  /** `POST /v3.0/oa/message/cs` with the bare `access_token` header. */
  sendCsMessage(accessToken: string, body: ZaloCsBody): Promise<PlatformSendResult>;
  /** `GET /v2.0/oa/getoa`: the OA's profile, used as a health check of the token. */
  getOa(accessToken: string): Promise<{ status: "ok"; oa: ZaloOaInfo } | { status: "failed"; failure: SendFailure }>;
};

/** The Zalo OA OpenAPI (platforms.md §2): errors arrive as HTTP 200 with `error != 0`; never throws. */
export function createZaloClient(options: { apiUrl: string; businessApiUrl?: string; timeoutMs?: number }): ZaloClient {
  const base = options.apiUrl.replace(/\/+$/, "");
  const business = (options.businessApiUrl ?? "https://business.openapi.zalo.me").replace(/\/+$/, "");
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function call(url: string, init: PlatformRequest): Promise<{ ok: true; data: Record<string, unknown> } | { ok: false; failure: SendFailure }> {
    const response = await fetchPlatform(url, init, timeoutMs);
    if (response.kind === "networkError") {
      return { ok: false, failure: { kind: "temporary", code: null, subcode: null, httpStatus: null, message: response.message } };
    }
    const parsed = zaloApiResponseSchema.safeParse(response.body);
    if (response.httpStatus === 200 && parsed.success && parsed.data.error === 0) return { ok: true, data: parsed.data.data ?? {} };
    return { ok: false, failure: classifyZaloError(response) };
  }

  return {
    async sendCsMessage(accessToken, body) {
      const result = await call(`${base}/v3.0/oa/message/cs`, {
        method: "POST",
        headers: { access_token: accessToken, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!result.ok) return { status: "failed", failure: result.failure };
      const messageId = result.data["message_id"];
      return { status: "sent", messageId: typeof messageId === "string" || typeof messageId === "number" ? String(messageId) : "" };
    },
    async sendTemplate(accessToken, body) {
      const result = await call(`${business}/message/template`, {
        method: "POST",
        headers: { access_token: accessToken, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!result.ok) return { status: "failed", failure: result.failure };
      const messageId = result.data["msg_id"];
      return { status: "sent", messageId: typeof messageId === "string" || typeof messageId === "number" ? String(messageId) : "" };
    },
    async getOa(accessToken) {
      const result = await call(`${base}/v2.0/oa/getoa`, { method: "GET", headers: { access_token: accessToken } });
      if (!result.ok) return { status: "failed", failure: result.failure };
      const oa = oaInfoSchema.safeParse(result.data);
      if (!oa.success) return { status: "failed", failure: { kind: "permanent", code: null, subcode: null, httpStatus: 200, message: "getoa answered without oa_id" } };
      return { status: "ok", oa: oa.data };
    },
  };
}
