import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

/** The PostgreSQL server `integration-postgres` runs against (trust authentication, as CI sets it up). */
const testDatabaseUrl = process.env.GREENLIGHT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

// Three projects: `unit` needs no I/O and runs in `npm run verify`; `integration` uses real
// SQLite files, real ports and child processes; `integration-postgres` runs the server's
// integration suites again with every test server on a PostgreSQL database of its own.
//
// One test file more than there are cores runs at a time: most of an integration test's time
// is spent waiting on sockets, PostgreSQL, child processes and Chromium, so a core would
// otherwise sit idle. The route × role matrix is dealt into three files for the same reason.
export default defineConfig({
  test: {
    maxWorkers: availableParallelism() + 1,
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/test/unit/**/*.test.ts", "docs/test/unit/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/test/integration/**/*.test.ts", "docs/test/integration/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "integration-postgres",
          // The CLI's audit suite too: it tampers with the database and verifies offline.
          include: ["packages/server/test/integration/**/*.test.ts", "packages/cli/test/integration/audit.test.ts"],
          // SQLite's own machinery (group commit, log syncs, the data directory lock, the
          // statement cache); the store suite covers the same contract on PostgreSQL.
          // The role matrix (every route × every role, each in a freshly seeded space) checks
          // decisions made above the store and takes minutes on PostgreSQL; the tenant-isolation
          // and identity suites run here instead.
          exclude: [
            "packages/server/test/integration/sqlite-store.test.ts",
            "packages/server/test/integration/prepared-query.test.ts",
            "packages/server/test/integration/role-matrix*.test.ts",
          ],
          env: { GREENLIGHT_TEST_DATABASE_URL: testDatabaseUrl },
          globalSetup: ["packages/server/test/integration/postgres-global-setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
