import pg from "pg";
import type { TestProject } from "vitest/node";
import { TEST_DATABASE_PREFIX } from "./test-database-names.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Names this run's databases, so runs side by side never drop each other's. */
    testDatabaseRun: string;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Drops this run's databases, and those of earlier runs whose process is gone (a test that restarts a server keeps its data). */
async function dropDatabases(url: string, run: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [
      TEST_DATABASE_PREFIX,
    ]);
    for (const { datname } of rows) {
      const owner = datname.slice(TEST_DATABASE_PREFIX.length).split("_")[0]!;
      if (owner !== run && isRunning(Number(owner))) continue;
      await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    }
  } finally {
    await client.end();
  }
}

export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = project.config.env.GREENLIGHT_TEST_DATABASE_URL;
  if (!url) throw new Error("the integration-postgres project sets GREENLIGHT_TEST_DATABASE_URL");
  const run = String(process.pid);
  project.provide("testDatabaseRun", run);
  await dropDatabases(url, run);
  return () => dropDatabases(url, run);
}
