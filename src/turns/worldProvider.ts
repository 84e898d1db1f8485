import type { FlowCatalog } from "../conversation/flowDefinitions.js";
import type { Translate } from "../i18n.js";
import { loadPlaceData } from "../persistence/conversationStore.js";
import type { Database } from "../persistence/openDatabase.js";
import { createPlaceDirectory, type PlaceDirectory, type World } from "../conversation/world.js";

/** The registration year: the calendar year in Asia/Ho_Chi_Minh. */
export function registrationYear(now: number): number {
  return Number(new Intl.DateTimeFormat("en", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric" }).format(now));
}

export type WorldProvider = { world: () => Promise<World>; invalidate: () => void };

/**
 * Builds the engine's World for each turn. The place directory is cached for a few seconds so turns do not
 * reload reference data; `invalidate` forces a reload after an admin changes branches.
 */
export function createWorldProvider(options: {
  db: Database;
  catalog: FlowCatalog;
  translate: Translate;
  fixedYear?: number;
  clock?: () => number;
  cacheMs?: number;
}): WorldProvider {
  const clock = options.clock ?? Date.now;
  const cacheMs = options.cacheMs ?? 10_000;
  let cached: { directory: PlaceDirectory; loadedAt: number } | null = null;
  let loading: Promise<PlaceDirectory> | null = null;
  async function directory(): Promise<PlaceDirectory> {
    if (cached && Date.now() - cached.loadedAt < cacheMs) return cached.directory;
    loading ??= loadPlaceData(options.db)
      .then((data) => {
        const loaded = createPlaceDirectory(data);
        cached = { directory: loaded, loadedAt: Date.now() };
        return loaded;
      })
      .finally(() => {
        loading = null;
      });
    return loading;
  }
  return {
    async world() {
      const now = clock();
      return {
        now,
        year: options.fixedYear ?? registrationYear(now),
        catalog: options.catalog,
        directory: await directory(),
        translate: options.translate,
      };
    },
    invalidate() {
      cached = null;
    },
  };
}
