import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A port the OS says is free now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const binDir = () => {
  const versions = readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a));
  return `/usr/lib/postgresql/${versions[0]}/bin`;
};

/**
 * A PostgreSQL cluster of the test's own (initdb + pg_ctl as the postgres OS user) on a free loopback port, so a
 * fault test can stop and start it without touching the shared server.
 */
export async function startOwnPostgres() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "lca-pg-"));
  chmodSync(dir, 0o700);
  const { uid, gid } = (() => {
    const line = execFileSync("id", ["postgres"], { encoding: "utf8" });
    return { uid: Number(/uid=(\d+)/.exec(line)?.[1]), gid: Number(/gid=(\d+)/.exec(line)?.[1]) };
  })();
  chownSync(dir, uid, gid);
  const asPostgres = (command: string, args: string[]) =>
    execFileSync("runuser", ["-u", "postgres", "--", `${binDir()}/${command}`, ...args], { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  asPostgres("initdb", ["-D", `${dir}/data`, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
  const start = () =>
    asPostgres("pg_ctl", ["-D", `${dir}/data`, "-l", `${dir}/log`, "-w", "-t", "60", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  const stop = () => asPostgres("pg_ctl", ["-D", `${dir}/data`, "-m", "fast", "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    remove: () => {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
