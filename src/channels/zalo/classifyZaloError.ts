import { z } from "zod";
import type { SendFailure, SendFailureKind } from "../shared/sendFailure.js";

/** Every OpenAPI answer: `error` 0 on success, a negative code otherwise, usually with HTTP 200 (platforms.md §2.1). */
export const zaloApiResponseSchema = z.object({
  error: z.coerce.number(),
  message: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

const outsideWindow = new Set([-230, -232]);
// Template (ZNS/ZBS) codes are a -1xx family: -114 cannot receive, -139/-141 refused these messages.
const unreachable = new Set([-213, -217, -227, -244, -114, -139, -141]);
const tokenInvalid = new Set([-216, -220, -124]);
const temporary = new Set([-214, -100]);
const night = new Set([-234, -133]);
const quota = new Set([-211, -224, -320, -321, -115, -144]);

/**
 * Sorts a failed OpenAPI call by what to do next (platforms.md §2.6): -230/-232 outside the window;
 * -213/-217/-227/-244 (templates -114/-139/-141) unreachable; -216/-220/-124 token; -32 rate limit; -234/-133 night;
 * -211/-224/-320/-321/-115/-144 quota; -214/-100 and 5xx temporary; else permanent.
 */
export function classifyZaloError(response: { httpStatus: number; body: unknown }): SendFailure {
  const parsed = zaloApiResponseSchema.safeParse(response.body);
  const code = parsed.success ? parsed.data.error : null;
  const message = parsed.success
    ? (parsed.data.message ?? `error ${code}`)
    : typeof response.body === "string"
      ? response.body.slice(0, 200)
      : `HTTP ${response.httpStatus}`;
  const kind = kindOf(code, response.httpStatus);
  return { kind, code, subcode: null, httpStatus: response.httpStatus, message } as SendFailure;
}

function kindOf(code: number | null, httpStatus: number): SendFailureKind {
  if (code !== null && code !== 0) {
    if (outsideWindow.has(code)) return "outsideWindow";
    if (unreachable.has(code)) return "unreachable";
    if (tokenInvalid.has(code)) return "tokenInvalid";
    if (code === -32) return "rateLimited";
    if (night.has(code)) return "night";
    if (quota.has(code)) return "quota";
    if (temporary.has(code)) return "temporary";
    return "permanent";
  }
  if (httpStatus === 429) return "rateLimited";
  if (httpStatus >= 500) return "temporary";
  return "permanent";
}
