import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import pg from "pg";

const root = fileURLToPath(new URL("../../", import.meta.url));

export type ServerProcess = { url: string; port: number; child: ChildProcess; logs: string[]; stop: () => Promise<void> };

/** Starts `src/main.ts` as `npm start` does, in its own process, and resolves once it logs that it listens. */
export async function startServerProcess(environment: Record<string, string | undefined>): Promise<ServerProcess> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) env[key] = value;
  env.LOG_LEVEL = environment.LOG_LEVEL && environment.LOG_LEVEL !== "silent" ? environment.LOG_LEVEL : "info";
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      logs.push(line);
      const match = /listening on http:\/\/localhost:(\d+)/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    createInterface({ input: child.stderr! }).on("line", (line) => logs.push(line));
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening:\n${logs.join("\n")}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Starts `src/worker.ts` as `npm run worker` does, and resolves once it logs that the workers run. */
export async function startWorkerProcess(environment: Record<string, string | undefined>): Promise<{ child: ChildProcess; logs: string[] }> {
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" };
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) env[key] = value;
  env.LOG_LEVEL = environment.LOG_LEVEL && environment.LOG_LEVEL !== "silent" ? environment.LOG_LEVEL : "info";
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  const logs: string[] = [];
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      logs.push(line);
      if (line.includes("workers running")) resolve();
    });
    createInterface({ input: child.stderr! }).on("line", (line) => logs.push(line));
    child.once("exit", (code) => reject(new Error(`worker exited with ${code} before running:\n${logs.join("\n")}`)));
  });
  return { child, logs };
}

/** A web chat visitor over HTTP, keeping the cookie like a browser. */
export class WebchatClient {
  cookie = "";
  lastOutboxId = 0;
  constructor(public baseUrl: string) {}

  async post(body: Record<string, unknown>, baseUrl = this.baseUrl): Promise<{ entries: { text: string; buttons?: { title: string; payload: string }[] }[]; lastOutboxId: number }> {
    const response = await fetch(`${baseUrl}/chat/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", cookie: this.cookie },
      body: JSON.stringify({ after: this.lastOutboxId, ...body }),
    });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) this.cookie = setCookie.split(";")[0] ?? "";
    if (!response.ok) throw new Error(`POST ${baseUrl} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as { entries: { text: string }[]; lastOutboxId: number };
  }

  async says(text: string, baseUrl = this.baseUrl) {
    const result = await this.post({ text }, baseUrl);
    this.lastOutboxId = Math.max(this.lastOutboxId, result.lastOutboxId);
    return result.entries.map((entry) => entry.text).join("\n");
  }
}

/** A PostgreSQL client looking into the schema an isolated environment's servers use. */
export async function connectToSchema(environment: Record<string, string | undefined>): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: environment.DATABASE_URL });
  await client.connect();
  await client.query(`set search_path to "${environment.DATABASE_SCHEMA}"`);
  return client;
}
