import { describe, expect, it } from "vitest";
import { loadFlowCatalog } from "../../src/conversation/flowDefinitions.js";
import { createMemorySessionStore } from "../../src/conversation/sessionStore.js";
import { newSession } from "../../src/conversation/step.js";
import type { World } from "../../src/conversation/world.js";

// The single-process session store must not grow for ever: least recently used sessions go past a size, expired
// ones go after their TTL (a lost session is rebuilt from the database, so eviction loses nothing).
const state = newSession({ catalog: loadFlowCatalog(), year: 2026 } as World);
const person = (n: number) => ({ channel: "web" as const, userId: `visitor-${n}` });

describe("the in-memory session store", () => {
  it("keeps at most maxEntries sessions, evicting the least recently used", async () => {
    const store = createMemorySessionStore({ ttlSeconds: 3600, maxEntries: 3 });
    for (const n of [1, 2, 3]) expect(await store.set(person(n), state, 0)).toBe(true);
    expect(await store.get(person(1))).not.toBeNull();
    expect(await store.set(person(4), state, 0)).toBe(true);
    expect(await store.get(person(2))).toBeNull();
    for (const n of [1, 3, 4]) expect((await store.get(person(n)))?.version).toBe(1);
  });

  it("forgets a session after its TTL and keeps the version check", async () => {
    let now = 0;
    const store = createMemorySessionStore({ ttlSeconds: 60, now: () => now });
    expect(await store.set(person(1), state, 0)).toBe(true);
    expect(await store.set(person(1), state, 0)).toBe(false);
    expect(await store.set(person(1), state, 1)).toBe(true);
    now = 61_000;
    expect(await store.get(person(1))).toBeNull();
    expect(await store.set(person(1), state, 0)).toBe(true);
  });
});
