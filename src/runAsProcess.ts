import { pathToFileURL } from "node:url";

/**
 * Runs `start` when this module is the process's entry point, and stops cleanly on SIGINT/SIGTERM with the
 * function it returns. A start that fails prints its message (configuration errors say what to fix) and exits 1.
 */
export function runAsProcess(moduleUrl: string, start: () => Promise<() => Promise<void>>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? "").href) return;
  start()
    .then((stop) => {
      const shutdown = async () => {
        await stop();
        process.exit(0);
      };
      process.once("SIGINT", shutdown);
      process.once("SIGTERM", shutdown);
    })
    .catch((error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
