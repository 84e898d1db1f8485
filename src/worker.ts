import { loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startBranchHeadSchedules } from "./jobs/branchHeadSchedules.js";
import { runAsProcess } from "./runAsProcess.js";
import { createRuntime, reminderDeps, startStalledEventSweeper } from "./runtime.js";
import { startReminderSchedules } from "./broadcasts/reminders.js";

/** Workers alone (no HTTP), for scaling out: start servers with RUN_WORKERS=false and run this beside them. */
async function startWorkers(): Promise<() => Promise<void>> {
  const config = loadConfig();
  if (!config.REDIS_URL) throw new Error("npm run worker needs REDIS_URL: without Redis the workers must run inside the server (npm start)");
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await createRuntime(config, logger);
  const stopSweeper = startStalledEventSweeper(runtime);
  const stopSchedules = await startBranchHeadSchedules(runtime);
  const stopBroadcasts = runtime.broadcasting.startWorkers();
  const stopReminders = await startReminderSchedules(reminderDeps(runtime));
  logger.info("workers running");
  return async () => {
    stopSweeper();
    await stopBroadcasts();
    await stopReminders();
    await stopSchedules();
    await runtime.close();
  };
}

runAsProcess(import.meta.url, startWorkers);
