import { z } from "zod";
import { audienceSchema, previewAudience, type Audience, type AudiencePreview } from "../broadcasts/audience.js";
import { applyCampaignAction, createBroadcast, finishIfDone, getBroadcast, type CampaignAction, type TransitionResult } from "../broadcasts/campaignStore.js";
import type { AdminServices } from "./adminServices.js";
import { recordAudit } from "./auditLog.js";
import type { Actor } from "./scope.js";

export const broadcastBody = z.object({
  name: z.string().trim().min(1).max(120),
  /** One message: at most 1,000 characters so it stays one message on every platform, with room for {{name}}. */
  text: z.string().trim().min(1).max(1000),
  audience: audienceSchema.prefault({}),
  sendAt: z.iso.datetime({ offset: true }).optional().transform((value) => (value ? new Date(value) : undefined)),
});
export type BroadcastBody = z.infer<typeof broadcastBody>;

export const previewBody = z.object({ audience: audienceSchema.prefault({}) });

export const campaignActions = ["send", "pause", "resume", "cancel"] as const satisfies readonly CampaignAction[];

/** Creates a draft campaign in the actor's scope, audited. */
export async function createBroadcastAudited(services: AdminServices, actor: Actor, body: BroadcastBody): Promise<{ id: string }> {
  const created = await createBroadcast(services.db, actor, body);
  await recordAudit(services.db, actor, { action: "broadcast.create", targetType: "broadcast", targetId: created.id, details: { audienceFields: Object.keys(body.audience).filter((key) => body.audience[key as keyof typeof body.audience] !== undefined).join(",") } });
  return created;
}

export function previewForActor(services: AdminServices, actor: Actor, audience: Audience): Promise<AudiencePreview> {
  return previewAudience(services.db, actor.scope, audience, services.broadcasting.availability, new Date(services.clock()));
}

/** send / pause / resume / cancel: the transition, then (after its commit) the jobs, then the audit entry. */
export async function actOnBroadcast(services: AdminServices, actor: Actor, id: string, action: CampaignAction): Promise<TransitionResult> {
  const result = await applyCampaignAction(services.db, actor, id, action, new Date(services.clock()));
  if (result.status !== "ok") return result;
  let view = result.view;
  if (action === "pause" || action === "cancel") {
    await services.broadcasting.settle(id);
    view = (await getBroadcast(services.db, actor, id)) ?? view;
  }
  if (result.enqueue) {
    const jobs = await services.broadcasting.queue.enqueue(result.enqueue.broadcastId, result.enqueue.round);
    // Nobody to send to (an empty audience, or everyone opted out): finished at once.
    if (jobs === 0 && (await finishIfDone(services.db, id, new Date(services.clock())))) view = (await getBroadcast(services.db, actor, id)) ?? view;
  }
  await recordAudit(services.db, actor, { action: `broadcast.${action}`, targetType: "broadcast", targetId: id, details: { total: view.total } });
  return { status: "ok", view };
}
