import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { InboundEvent } from "../../conversation/types.js";

/** What the web chat page posts: typed text, or a tapped button (its payload and the title it showed). */
export const webchatMessageSchema = z
  .object({
    text: z.string().max(5000).optional(),
    payload: z.string().max(1000).optional(),
    title: z.string().max(200).optional(),
    /** A client-made id, so a retried POST is not handled twice. */
    clientId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
    after: z.number().int().min(0).optional(),
  })
  .refine((body) => body.text !== undefined || body.payload !== undefined, { message: "send text or payload" });

export type WebchatMessage = z.infer<typeof webchatMessageSchema>;

export function parseWebchatMessage(body: WebchatMessage, userId: string, now: number): InboundEvent {
  const base = { eventId: body.clientId ?? randomUUID(), channel: "web" as const, userId, at: now };
  if (body.payload !== undefined) return { ...base, kind: "payload", payload: body.payload, text: body.title };
  return { ...base, kind: "text", text: body.text ?? "" };
}
