/**
 * npm run bench — timings that tests must not assert: the pure engine's turns per second and whole turns through
 * the turn processor on embedded PGlite with in-memory sessions (the single-process default), the admin console and
 * broadcast benchmarks, then the load benchmark (bench/load.ts) against PostgreSQL and Redis.
 */
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.js";
import { loadFlowCatalog } from "../src/conversation/flowDefinitions.js";
import { step } from "../src/conversation/step.js";
import type { InboundEvent } from "../src/conversation/types.js";
import { createPlaceDirectory } from "../src/conversation/world.js";
import { createTranslator } from "../src/i18n.js";
import { createLogger } from "../src/logger.js";
import { loadPlaceData } from "../src/persistence/conversationStore.js";
import { createRuntime } from "../src/runtime.js";

const script = ["đăng ký", "đồng ý", "phu tho", "vinh phu", "khong co o day", "thon dong", "nguyễn văn an", "1975", "nam", "bo qua", "nong dan", "hang ngay", "co, da ghi ro", "2 tieng", "thuong xuyen", "tra cuu", "khong can", "thuong xuyen", "thinh thoang", "hoa thuan", "thuong xuyen", "hoc tin hoc", "gui"];

const runtime = await createRuntime(loadConfig({ DATA_DIR: "memory://", LOG_LEVEL: "silent", REGISTRATION_YEAR: "2026" }), createLogger("silent"));
const { translate } = createTranslator();
const world = { now: Date.now(), year: 2026, catalog: loadFlowCatalog(), directory: createPlaceDirectory(await loadPlaceData(runtime.database.db)), translate };

const event = (text: string, i: number): InboundEvent => ({ eventId: `b${i}`, channel: "web", userId: "bench", at: Date.now(), kind: "text", text });
let started = performance.now();
let turns = 0;
for (let round = 0; round < 200; round++) {
  let state = null;
  for (const text of script) {
    state = step(state, event(text, turns++), world).state;
  }
}
let seconds = (performance.now() - started) / 1000;
console.log(`engine step: ${Math.round(turns / seconds)} turns/s (${turns} turns)`);

started = performance.now();
turns = 0;
for (let person = 0; person < 20; person++) {
  for (const text of script) {
    const userId = `bench-${person}`;
    await runtime.inbox.record({ eventId: `p${person}-${turns++}`, channel: "web", userId, at: Date.now(), kind: "text", text });
    await runtime.inbox.drain({ channel: "web", userId });
  }
}
seconds = (performance.now() - started) / 1000;
console.log(`whole turns (PGlite, in-process locks): ${Math.round(turns / seconds)} turns/s, ${((seconds / turns) * 1000).toFixed(1)} ms per turn`);
await runtime.close();

const { runAdminBench } = await import("./adminConsole.js");
await runAdminBench();

const { runBroadcastBench } = await import("./broadcasts.js");
await runBroadcastBench();

// The load benchmark: the server as `npm start` runs it against PostgreSQL and Redis (about 11 minutes).
const { runLoadBench, writeLoadResults } = await import("./load.js");
console.log(`load benchmark written to ${await writeLoadResults(await runLoadBench())}`);
