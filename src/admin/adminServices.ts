import type { Redis } from "ioredis";
import type { FlowCatalog } from "../conversation/flowDefinitions.js";
import { registrationYear } from "../turns/worldProvider.js";
import type { Translate } from "../i18n.js";
import type { Database } from "../persistence/openDatabase.js";
import type { Broadcasting } from "../broadcasts/broadcasting.js";
import { createAdminAuth, type AdminAuth } from "./adminAuth.js";
import type { Messaging } from "./placeRegistration.js";
import type { DeepLinkConfig } from "./posters.js";

/** What the JSON API and the console share: one set of functions behind both. */
export type AdminServices = {
  db: Database;
  catalog: FlowCatalog;
  translate: Translate;
  messaging: Messaging;
  broadcasting: Broadcasting;
  auth: AdminAuth;
  links: DeepLinkConfig;
  inviteTtlDays: number;
  escalateAfterDays: number;
  sessionIdleMs: number;
  onBranchesChanged: () => void;
  clock: () => number;
  /** The registration year shown when a request names none. */
  currentYear: () => number;
};

export type AdminServicesOptions = Omit<AdminServices, "auth" | "clock" | "currentYear"> & {
  adminToken: string | undefined;
  redis: Redis | null;
  redisPrefix: string;
  secureCookies: boolean;
  login: { maxPerAccount: number; maxPerIp: number; windowMs: number };
  fixedYear?: number | undefined;
  clock?: () => number;
};

export async function createAdminServices(options: AdminServicesOptions): Promise<AdminServices> {
  const clock = options.clock ?? Date.now;
  const auth = await createAdminAuth({
    db: options.db,
    adminToken: options.adminToken,
    sessionIdleMs: options.sessionIdleMs,
    secureCookies: options.secureCookies,
    redis: options.redis,
    redisPrefix: options.redisPrefix,
    login: options.login,
    clock,
    translate: options.translate,
  });
  return {
    db: options.db,
    catalog: options.catalog,
    translate: options.translate,
    messaging: options.messaging,
    broadcasting: options.broadcasting,
    auth,
    links: options.links,
    inviteTtlDays: options.inviteTtlDays,
    escalateAfterDays: options.escalateAfterDays,
    sessionIdleMs: options.sessionIdleMs,
    onBranchesChanged: options.onBranchesChanged,
    clock,
    currentYear: () => options.fixedYear ?? registrationYear(clock()),
  };
}
