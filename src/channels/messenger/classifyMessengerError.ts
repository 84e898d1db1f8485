import { z } from "zod";
import type { SendFailure, SendFailureKind } from "../shared/sendFailure.js";

/** Graph error body (platforms.md §6.4). */
export const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/**
 * Sorts a failed Send API call by what to do next: 10/2018278 outside the window, 10/1893063 Page restricted (quota), 551 unreachable, 190 token,
 * 4/613 rate limit, 2 and 5xx temporary, anything else permanent.
 */
export function classifyMessengerError(response: { httpStatus: number; body: unknown }): SendFailure {
  const parsed = graphErrorSchema.safeParse(response.body);
  const error = parsed.success ? parsed.data.error : undefined;
  const code = error?.code ?? null;
  const subcode = error?.error_subcode ?? null;
  const message = error?.message ?? (typeof response.body === "string" ? response.body.slice(0, 200) : `HTTP ${response.httpStatus}`);
  const kind = kindOf(code, subcode, response.httpStatus);
  return { kind, code, subcode, httpStatus: response.httpStatus, message } as SendFailure;
}

function kindOf(code: number | null, subcode: number | null, httpStatus: number): SendFailureKind {
  if (code === 10 && subcode === 2018278) return "outsideWindow";
  if (code === 10 && subcode === 1893063) return "quota";
  if (code === 551) return "unreachable";
  if (code === 190) return "tokenInvalid";
  if (code === 4 || code === 613 || httpStatus === 429) return "rateLimited";
  if (code === 2 || httpStatus >= 500) return "temporary";
  return "permanent";
}
