import type { Server } from "node:http";
import { createAdminServices, type AdminServices } from "../../src/admin/adminServices.js";
import { adminApiRouter } from "../../src/admin/apiRouter.js";
import { adminConsoleRouter } from "../../src/admin/consoleRouter.js";
import { createApp } from "../../src/http/app.js";
import type { TestRuntime } from "./testRuntime.js";

export type AdminApp = { url: string; services: AdminServices; close: () => Promise<void> };

/** The admin API and console of a test runtime on a loopback port, as main.ts mounts them. */
export async function startAdminApp(
  test: TestRuntime,
  options: { adminToken?: string | undefined; clock?: () => number; onBranchesChanged?: () => void; login?: { maxPerAccount: number; maxPerIp: number; windowMs: number } } = {},
): Promise<AdminApp> {
  const { runtime, config } = test;
  const services = await createAdminServices({
    db: runtime.database.db,
    catalog: runtime.catalog,
    translate: runtime.translate,
    messaging: { world: runtime.worlds.world, dispatchers: runtime.dispatchers },
    broadcasting: runtime.broadcasting,
    links: { messengerPageId: "106000000000001", zaloOaId: "388613280878808645", publicUrl: "https://cdht.example.vn", webchatEnabled: true },
    inviteTtlDays: config.INVITE_TTL_DAYS,
    escalateAfterDays: config.ESCALATE_AFTER_DAYS,
    sessionIdleMs: config.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    onBranchesChanged: options.onBranchesChanged ?? runtime.worlds.invalidate,
    adminToken: "adminToken" in options ? options.adminToken : "test-admin-token",
    redis: runtime.redis,
    redisPrefix: config.REDIS_PREFIX,
    secureCookies: false,
    login: options.login ?? { maxPerAccount: 5, maxPerIp: 50, windowMs: 15 * 60_000 },
    fixedYear: config.REGISTRATION_YEAR,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = createApp({
    logger: runtime.logger,
    ready: async () => true,
    routers: [
      { path: "/api/admin", router: adminApiRouter(services) },
      { path: "/admin", router: adminConsoleRouter(services) },
    ],
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, services, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
