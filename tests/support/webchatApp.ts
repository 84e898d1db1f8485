import type { Server } from "node:http";
import { createApp } from "../../src/http/app.js";
import { webchatRouter } from "../../src/http/webchatRoutes.js";
import type { TestRuntime } from "./testRuntime.js";

/** The web chat of a test runtime on a loopback port, as main.ts mounts it. */
export async function startWebchatApp(test: TestRuntime, options: Omit<Parameters<typeof webchatRouter>[0], "inbox" | "db" | "translate"> = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const router = webchatRouter({ inbox: test.runtime.inbox, db: test.runtime.database.db, translate: test.runtime.translate, ...options });
  const app = createApp({ logger: test.runtime.logger, ready: async () => true, routers: [{ path: "/chat", router }] });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
