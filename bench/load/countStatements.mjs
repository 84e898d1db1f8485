// Preloaded into a benchmarked server (NODE_OPTIONS=--import): counts the PostgreSQL statements this process sends
// (every pg Client#query call) and writes the count to BENCH_COUNTS_FILE twice a second. With BENCH_CPU_PROF=<dir>
// it also records a V8 CPU profile (what `node --cpu-prof` writes; that flag is refused in NODE_OPTIONS) and writes
// it there when the process exits. Benchmark use only.
import { renameSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import pg from "pg";

const file = process.env.BENCH_COUNTS_FILE;
if (file) {
  let statements = 0;
  const byText = new Map();
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(...args) {
    statements++;
    const text = typeof args[0] === "string" ? args[0] : args[0]?.text;
    const head = String(text ?? "?").replace(/\s+/g, " ").slice(0, 90);
    byText.set(head, (byText.get(head) ?? 0) + 1);
    return query.apply(this, args);
  };
  // Written aside and renamed, so the benchmark never reads half a file.
  const write = () => {
    writeFileSync(`${file}.next`, JSON.stringify({ pid: process.pid, statements, byText: Object.fromEntries(byText) }));
    renameSync(`${file}.next`, file);
  };
  globalThis.setInterval(write, 500).unref();
  process.on("exit", write);
}

const profileDir = process.env.BENCH_CPU_PROF;
if (profileDir) {
  const session = new Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  process.on("exit", () => {
    // An in-thread inspector session answers synchronously, so the profile is written before the process ends.
    session.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(`${profileDir}/${process.pid}.cpuprofile`, JSON.stringify(result.profile));
    });
  });
}
