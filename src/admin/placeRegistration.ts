import { and, eq } from "drizzle-orm";
import { branches, registrationAnswers, registrations } from "../../db/schema.js";
import { dispatchByChannel } from "../turns/dispatchByChannel.js";
import type { OutboundDispatcher, OutboxItem } from "../conversation/ports.js";
import { renderEffectOutcome } from "../conversation/renderEffectOutcome.js";
import type { ChannelName } from "../conversation/types.js";
import type { World } from "../conversation/world.js";
import { notifyBranchHeads } from "../persistence/branchHeadStore.js";
import { insertOutboxRow } from "../persistence/conversationStore.js";
import type { Database } from "../persistence/openDatabase.js";
import { recordAudit } from "./auditLog.js";
import { branchesInScope, registrationsInScope, type Actor } from "./scope.js";

export type Messaging = { world: () => Promise<World>; dispatchers: Partial<Record<ChannelName, OutboundDispatcher>> };

export type PlaceResult =
  | { status: "placed"; cardsSent: number; branch: { id: string; code: string; name: string } }
  | { status: "registrationNotFound" }
  | { status: "branchNotFound" }
  | { status: "otherCommune"; registrationCommune: string | null; branchCommune: string };

/**
 * Places a registration that came from a commune without a branch (or the wrong one) in a branch of its commune.
 * When it is already submitted, every head of the branch gets the decision card in the same transaction's outbox.
 */
export async function placeRegistrationInBranch(db: Database, messaging: Messaging, actor: Actor, input: { registrationId: string; branchId: string; now: Date }): Promise<PlaceResult> {
  const world = await messaging.world();
  const outbox: OutboxItem[] = [];
  const result = await db.transaction(async (tx): Promise<PlaceResult> => {
    const [registration] = await tx
      .select({ id: registrations.id, communeCode: registrations.communeCode, status: registrations.status, branchId: registrations.branchId })
      .from(registrations)
      .where(and(eq(registrations.id, input.registrationId), registrationsInScope(actor.scope)))
      .for("update");
    if (!registration) return { status: "registrationNotFound" };
    const [branch] = await tx
      .select({ id: branches.id, code: branches.code, name: branches.name, communeCode: branches.communeCode })
      .from(branches)
      .where(and(eq(branches.id, input.branchId), eq(branches.active, true), branchesInScope(actor.scope)));
    if (!branch) return { status: "branchNotFound" };
    if (registration.communeCode !== branch.communeCode) return { status: "otherCommune", registrationCommune: registration.communeCode, branchCommune: branch.communeCode };
    await tx.update(registrations).set({ branchId: branch.id, updatedAt: input.now }).where(eq(registrations.id, registration.id));
    const answer = { code: branch.id, name: branch.name, branchCode: branch.code };
    await tx
      .insert(registrationAnswers)
      .values({ registrationId: registration.id, field: "branch", rawText: "", value: answer, points: null, answeredAt: input.now })
      .onConflictDoUpdate({ target: [registrationAnswers.registrationId, registrationAnswers.field], set: { value: answer, answeredAt: input.now } });
    let cardsSent = 0;
    if (registration.status === "submitted" && registration.branchId !== branch.id) {
      const outcome = await notifyBranchHeads(tx, registration.id, input.now);
      for (const notification of renderEffectOutcome(outcome, world, "vi").notifications) {
        outbox.push(await insertOutboxRow(tx, notification.recipient, notification.message, null));
        cardsSent++;
      }
    }
    await recordAudit(tx, actor, { action: "registration.place", targetType: "registration", targetId: registration.id, details: { branch: branch.id, previousBranch: registration.branchId, cardsSent } });
    return { status: "placed", cardsSent, branch: { id: branch.id, code: branch.code, name: branch.name } };
  });
  await dispatchByChannel(messaging.dispatchers, outbox);
  return result;
}
