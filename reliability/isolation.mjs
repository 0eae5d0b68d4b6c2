// PROP T1/T2 tenant isolation and token forgery, on PostgreSQL: the suites that try every
// route with another space's tokens of every role (and Slack actions from another workspace),
// and the token forgery corpus (alg=none, wrong keys, expired, tampered claims, refresh-token
// guesses), run against a server on PostgreSQL (RELIABILITY_DATABASE_URL, default the local
// test database). Each prints how many cases ran and how many let something through.
import { spawnSync } from "node:child_process";
import { report } from "./lib.mjs";

const url = process.env.RELIABILITY_DATABASE_URL ?? process.env.GREENLIGHT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SUITES = [
  ["T1", "tenant-isolation", "packages/server/test/integration/tenant-isolation.test.ts"],
  ["T2", "token-forgery", "packages/server/test/integration/token-attacks.test.ts"],
];
for (const [id, name, file] of SUITES) {
  const run = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "--project", "integration-postgres", "--reporter", "json", file],
    { encoding: "utf8", env: { ...process.env, GREENLIGHT_TEST_DATABASE_URL: url }, maxBuffer: 256 * 2 ** 20 },
  );
  let result;
  try {
    result = JSON.parse(run.stdout.slice(run.stdout.indexOf("{")));
  } catch {
    report(id, name, `the suite did not run on PostgreSQL (exit ${run.status}): ${run.stderr.slice(-300)}`, false);
    continue;
  }
  const failed = result.numFailedTests;
  report(
    id,
    name,
    `PostgreSQL, ${result.numTotalTests} cases, passed=${result.numPassedTests}, let through=${failed}`,
    result.numTotalTests > 0 && failed === 0 && run.status === 0,
  );
}
