import type { Server } from "node:http";
import { loadConfig, type Config } from "./config.js";
import { createApp } from "./http/app.js";
import { rateLimitStore } from "./http/rateLimitStore.js";
import { webchatRouter } from "./http/webchatRoutes.js";
import { createMessengerWebhookRouter } from "./channels/messenger/messengerWebhookRouter.js";
import { createZaloWebhookRouter } from "./channels/zalo/zaloWebhookRouter.js";
import type { OutboundEcho } from "./channels/shared/outboundEcho.js";
import { recordOutboundEchoes } from "./persistence/outboxEchoes.js";
import { createAdminServices } from "./admin/adminServices.js";
import { adminApiRouter } from "./admin/apiRouter.js";
import { adminConsoleRouter } from "./admin/consoleRouter.js";
import { startBranchHeadSchedules } from "./jobs/branchHeadSchedules.js";
import { createLogger } from "./logger.js";
import { startReminderSchedules } from "./broadcasts/reminders.js";
import { runAsProcess } from "./runAsProcess.js";
import { createRuntime, reminderDeps, startStalledEventSweeper } from "./runtime.js";

export type RunningServer = { port: number; close: () => Promise<void> };

/** Composition root: configuration → runtime → HTTP server (+ in-process workers unless RUN_WORKERS=false). */
export async function startServer(config: Config): Promise<RunningServer> {
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, logger);
  const routers = [];
  const recordEchoes = (echoes: readonly OutboundEcho[]) => recordOutboundEchoes(runtime.database.db, echoes);
  // Webhook routers read the raw body themselves (signatures): nothing before them may parse it.
  if (config.messengerEnabled) routers.push({ path: "/", router: createMessengerWebhookRouter({ config, inbox: runtime.inbox, log: logger, recordEchoes }) });
  if (config.zaloEnabled) routers.push({ path: "/", router: createZaloWebhookRouter({ config, inbox: runtime.inbox, log: logger, recordEchoes }) });
  const admin = await createAdminServices({
    db: runtime.database.db,
    catalog: runtime.catalog,
    translate: runtime.translate,
    messaging: { world: runtime.worlds.world, dispatchers: runtime.dispatchers },
    broadcasting: runtime.broadcasting,
    links: { messengerPageId: config.messengerEnabled ? config.MESSENGER_PAGE_ID : undefined, zaloOaId: config.zaloEnabled ? config.ZALO_OA_ID : undefined, publicUrl: config.PUBLIC_URL, webchatEnabled: config.webchatEnabled },
    inviteTtlDays: config.INVITE_TTL_DAYS,
    escalateAfterDays: config.ESCALATE_AFTER_DAYS,
    sessionIdleMs: config.ADMIN_SESSION_IDLE_MINUTES * 60_000,
    onBranchesChanged: runtime.worlds.invalidate,
    adminToken: config.ADMIN_TOKEN,
    redis: runtime.redis,
    redisPrefix: config.REDIS_PREFIX,
    secureCookies: config.PUBLIC_URL?.startsWith("https:") ?? false,
    login: { maxPerAccount: config.ADMIN_LOGIN_MAX_PER_ACCOUNT, maxPerIp: config.ADMIN_LOGIN_MAX_PER_IP, windowMs: config.ADMIN_LOGIN_WINDOW_MINUTES * 60_000 },
    fixedYear: config.REGISTRATION_YEAR,
  });
  routers.push({ path: "/api/admin", router: adminApiRouter(admin) });
  routers.push({ path: "/admin", router: adminConsoleRouter(admin) });
  if (config.webchatEnabled) routers.push({ path: "/chat", router: webchatRouter({
        inbox: runtime.inbox,
        db: runtime.database.db,
        translate: runtime.translate,
        log: logger,
        replyWaitMs: config.WEBCHAT_REPLY_WAIT_MS,
        limits: {
          perVisitorPerMinute: config.WEBCHAT_MAX_PER_MINUTE,
          perIpPerMinute: config.WEBCHAT_MAX_PER_MINUTE_PER_IP,
          store: (name) => rateLimitStore(runtime.redis, config.REDIS_PREFIX, name),
        },
      }) });
  const app = createApp({ logger, ready: runtime.ready, routers });
  const stopSweeper = config.RUN_WORKERS ? startStalledEventSweeper(runtime) : () => undefined;
  const stopSchedules = config.RUN_WORKERS ? await startBranchHeadSchedules(runtime) : async () => undefined;
  const stopBroadcasts = config.RUN_WORKERS ? runtime.broadcasting.startWorkers() : async () => undefined;
  const stopReminders = config.RUN_WORKERS ? await startReminderSchedules(reminderDeps(runtime)) : async () => undefined;
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(config.PORT, config.HOST, () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  logger.info({ port, webchat: config.webchatEnabled, messenger: config.messengerEnabled, zalo: config.zaloEnabled }, `listening on http://localhost:${port}`);
  return {
    port,
    close: async () => {
      stopSweeper();
      await stopSchedules();
      await stopBroadcasts();
      await stopReminders();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await runtime.close();
    },
  };
}

runAsProcess(import.meta.url, async () => (await startServer(loadConfig())).close);
