import { defineConfig } from "vitest/config";

// Three projects: pure unit tests; everything that touches storage against PostgreSQL + Redis; and the
// conversation suites again on embedded PGlite. Files share the servers through unique schemas and key prefixes.
const storageSuites = ["tests/conversation/**/*.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/understanding/**/*.test.ts", "tests/unit/**/*.test.ts", "tests/locales.test.ts"],
          // A project does not inherit the settings above: without this a unit test gets vitest's 5 s, which the sweeps
          // over the 10,000 old communes can pass on a slow or busy machine. Speed is the benchmarks' business.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "postgres",
          include: [...storageSuites, "tests/channels/**/*.test.ts", "tests/admin/**/*.test.ts", "tests/broadcasts/**/*.test.ts", "tests/persistence/**/*.test.ts", "tests/e2e/**/*.test.ts", "tests/faults/**/*.test.ts"],
          env: { TEST_DB: "postgres" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "pglite",
          include: [...storageSuites, "tests/broadcasts/**/*.test.ts"],
          // Two runtimes racing need a database server; embedded PGlite lives inside one process.
          exclude: ["tests/conversation/branchHeadRace.test.ts"],
          env: { TEST_DB: "pglite" },
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
