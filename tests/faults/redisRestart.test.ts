import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/ownPostgres.js";
import { startServerProcess, WebchatClient, type ServerProcess } from "../support/serverProcess.js";
import { cleanUpIsolated, isolatedEnvironment } from "../support/testRuntime.js";

// Redis restarted empty in the middle of a conversation (its own redis-server on a free port, never the shared one):
// Redis holds only locks and queues, so the person goes on exactly where they were and no answer is lost.
let redisPort: number;
let redis: ChildProcess | undefined;
let server: ServerProcess;
let environment: Record<string, string | undefined>;

async function startRedis(): Promise<void> {
  redis = spawn("redis-server", ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
  // ioredis retries the connection until the server listens, then says "ready".
  const client = new Redis({ port: redisPort, host: "127.0.0.1", retryStrategy: () => 50 });
  client.on("error", () => undefined);
  await new Promise<void>((resolve) => client.once("ready", () => resolve()));
  client.disconnect();
}

beforeAll(async () => {
  redisPort = await freePort();
  await startRedis();
  environment = isolatedEnvironment({ REDIS_URL: `redis://127.0.0.1:${redisPort}` });
  server = await startServerProcess(environment);
}, 120_000);

afterAll(async () => {
  await server?.stop();
  redis?.kill("SIGKILL");
  if (environment) await cleanUpIsolated({ ...environment, REDIS_URL: undefined });
});

describe("a Redis restart", () => {
  it("loses no conversation: the person continues at the same question, every answer stored", async () => {
    const citizen = new WebchatClient(server.url);
    for (const answer of ["đăng ký", "Đồng ý", "phu tho", "vinh phu", "Không có ở đây", "Thôn Đông", "Nguyễn Thị Lan"]) await citizen.says(answer);

    const exited = once(redis!, "exit");
    redis!.kill("SIGKILL");
    await exited;
    await startRedis();

    expect(await citizen.says("1980")).toMatch(/Giới tính/);
    for (const answer of ["Nữ", "Bỏ qua", "Người dân trong xã", "Hằng ngày", "Có, đã ghi rõ", "5 tiếng", "Thường xuyên", "Tra cứu, xem video", "Công việc không cần", "Thường xuyên", "Thường xuyên", "Hòa thuận", "Thường xuyên", "Học tin học"]) {
      await citizen.says(answer);
    }
    expect(await citizen.says("Gửi")).toMatch(/Đã gửi/);
    expect(server.child.exitCode).toBeNull();

    const database = new pg.Client({ connectionString: environment.DATABASE_URL });
    await database.connect();
    try {
      const { rows } = await database.query(
        `select p.full_name, p.birth_year, p.gender, r.status, r.commune_code, (select count(*)::int from "${environment.DATABASE_SCHEMA}".registration_answers a where a.registration_id = r.id and a.field like 'criteria.%') as criteria
           from "${environment.DATABASE_SCHEMA}".registrations r join "${environment.DATABASE_SCHEMA}".people p on p.id = r.person_id`,
      );
      expect(rows).toEqual([{ full_name: "Nguyễn Thị Lan", birth_year: 1980, gender: "female", status: "submitted", commune_code: "00581", criteria: 10 }]);
    } finally {
      await database.end();
    }
  });
});
