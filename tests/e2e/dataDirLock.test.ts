import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../support/serverProcess.js";

// Embedded mode belongs to one process: a second `npm start` on the same DATA_DIR refuses to start and names the
// directory and the PID holding it (two would both acknowledge messages and lose them).
const dataDir = mkdtempSync(join(tmpdir(), "lca-lock-"));
let first: ServerProcess | undefined;

afterAll(async () => {
  await first?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("the DATA_DIR lock", () => {
  it("refuses a second server on the same DATA_DIR, naming the directory and the PID", async () => {
    first = await startServerProcess({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir });
    const second = startServerProcess({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir });
    await expect(second).rejects.toThrow(new RegExp(`DATA_DIR ${resolve(dataDir)} is in use by process ${first.child.pid}`));
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200);
  });

  it("takes over a lock left by a process that died, and frees it on a clean stop", async () => {
    await first?.stop();
    first = undefined;
    writeFileSync(join(dataDir, "lca.lock"), "2147483646");
    const again = await startServerProcess({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir });
    expect((await fetch(`${again.url}/healthz`)).status).toBe(200);
    await again.stop();
    const third = await startServerProcess({ PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir });
    await third.stop();
  });
});
