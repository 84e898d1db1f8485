import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOwnPostgres } from "../support/ownPostgres.js";
import { startServerProcess, WebchatClient, type ServerProcess } from "../support/serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment } from "../support/testRuntime.js";

// PostgreSQL restarting under a running server (its own cluster on a free port, never the shared one): the process
// stays up, readiness and requests answer 503 meanwhile, and it works again by itself when the database returns.
let postgres: Awaited<ReturnType<typeof startOwnPostgres>>;
let server: ServerProcess;
let environment: Record<string, string | undefined>;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  environment = isolatedEnvironment({ DATABASE_URL: postgres.url });
  server = await startServerProcess(environment);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  postgres?.remove();
  if (environment) await cleanUpIsolated({ ...environment, DATABASE_URL: undefined });
});

const readiness = async () => (await fetch(`${server.url}/readyz`)).status;

describe("a database outage", () => {
  it("keeps the server up, answers 503 while PostgreSQL is away, and recovers by itself", async () => {
    const citizen = new WebchatClient(server.url);
    expect(await citizen.says("đăng ký")).toMatch(/đồng ý/i);
    expect(await readiness()).toBe(200);

    postgres.stop();
    // The pool's idle connections are terminated now: without a handler that is an unhandled 'error' and Node exits.
    await expect.poll(readiness, { timeout: 20_000 }).toBe(503);
    const during = await fetch(`${server.url}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: citizen.cookie },
      body: JSON.stringify({ text: "Đồng ý" }),
    });
    expect(during.status).toBe(503);
    expect(server.child.exitCode).toBeNull();

    postgres.start();
    await expect.poll(readiness, { timeout: 30_000 }).toBe(200);
    expect(await citizen.says("Đồng ý")).toMatch(/tỉnh/i);
    expect(server.child.exitCode).toBeNull();
    expect(server.logs.join("\n")).toMatch(/a database connection was lost/);
  });
});
