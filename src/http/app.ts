import cookieParser from "cookie-parser";
import express, { type NextFunction, type Request, type Response } from "express";
import type { Logger } from "pino";
import { isDatabaseUnavailable } from "../persistence/isDatabaseUnavailable.js";

export type AppDeps = {
  logger: Logger;
  /** Readiness: every dependency answers (database, Redis). */
  ready: () => Promise<boolean>;
  routers: { path: string; router: express.Router }[];
};

/** The Express app: routing only; each router belongs to its channel or feature. */
export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);
  // Cookies matter to the web chat and the console only; a webhook (most of the traffic) skips the parsing.
  app.use(["/chat", "/admin", "/api/admin"], cookieParser());
  app.get("/healthz", (_req, res) => void res.json({ status: "ok" }));
  app.get("/readyz", async (_req, res) => {
    const ready = await deps.ready().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not ready" });
  });
  for (const { path, router } of deps.routers) app.use(path, router);
  app.use((_req, res) => void res.status(404).json({ error: "not found" }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const declared = typeof error === "object" && error !== null && "status" in error && typeof error.status === "number" ? error.status : 500;
    const status = declared === 500 && isDatabaseUnavailable(error) ? 503 : declared;
    if (status >= 500) deps.logger.error({ err: error }, "request failed");
    res.status(status).json({ error: status === 413 ? "payload too large" : status === 503 ? "the database is not answering: try again shortly" : status >= 500 ? "internal error" : "bad request" });
  });
  return app;
}
