import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

export class DataDirLockedError extends Error {
  override name = "DataDirLockedError";
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/**
 * Embedded PGlite belongs to one process: two servers on one DATA_DIR would both acknowledge messages and lose them.
 * A lock file holds the owner's PID; a second process refuses to start and says who holds it. A lock left by a
 * process that died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, "lca.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const descriptor = openSync(file, "wx");
      writeSync(descriptor, String(process.pid));
      closeSync(descriptor);
      return () => {
        try {
          if (readFileSync(file, "utf8").trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(
          `DATA_DIR ${resolve(dataDir)} is in use by process ${holder}: embedded PGlite serves one process. Stop that process, or set DATABASE_URL (PostgreSQL) to run several.`,
        );
      }
      unlinkSync(file);
    }
  }
  throw new DataDirLockedError(`could not take the lock on DATA_DIR ${resolve(dataDir)}`);
}
