import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, startServer, type RunningServer } from "../../src/index.js";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import pg from "pg";
import { inject } from "vitest";
import { TEST_DATABASE_PREFIX } from "./test-database-names.js";
import type { ManualClock } from "../support/manual-clock.js";

export const TEST_TOKEN = "test-admin-token-0123456789";
export const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestServer<C extends Clock = Clock> {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** The server's clock: the one passed in (a `ManualClock` lets the test move time), or the system's. */
  clock: C;
  /**
   * Resolves once the server's jobs and deliveries have done what the clock's present time
   * calls for: after moving the clock, wait on this before asserting that nothing happened.
   */
  idle(): Promise<void>;
  /** In-process request through Fastify's inject (no socket). */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** Request over the real loopback port. */
  fetch<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "greenlight-test-"));
}

/**
 * The PostgreSQL server the `integration-postgres` project runs against (for example
 * postgres://postgres@127.0.0.1:5432/test); unset, servers use SQLite in their data directory.
 */
export const TEST_DATABASE_URL = process.env.GREENLIGHT_TEST_DATABASE_URL ?? "";
export const onPostgres = TEST_DATABASE_URL !== "";

/**
 * The name of the database that stands for a data directory, so a restarted server finds its
 * data again. It carries the run's id, by which the project's global setup drops what is left.
 */
export function testDatabaseName(dataDir: string): string {
  return `${TEST_DATABASE_PREFIX}${inject("testDatabaseRun")}_${createHash("sha256").update(dataDir).digest("hex").slice(0, 20)}`;
}

function urlWithDatabase(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.href;
}

/** Runs `statement` on the tests' own database (the one GREENLIGHT_TEST_DATABASE_URL names). */
export async function adminQuery(statement: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await client.query(statement);
  } finally {
    await client.end();
  }
}

/**
 * The environment that puts a server for `dataDir` on PostgreSQL: a database of its own,
 * made on first use. Empty when the tests run on SQLite.
 */
export async function testDatabaseEnv(dataDir: string): Promise<Record<string, string>> {
  if (!onPostgres) return {};
  const name = testDatabaseName(dataDir);
  try {
    await adminQuery(`CREATE DATABASE ${name}`);
    // The tests kill servers, never PostgreSQL itself, so its commits need not wait for the
    // disk: the suites run faster, and what they check is unchanged.
    await adminQuery(`ALTER DATABASE ${name} SET synchronous_commit = off`);
  } catch (error) {
    // 42P04: it exists already (a server restarted on the same data directory).
    if ((error as { code?: string }).code !== "42P04") throw error;
  }
  // Files run side by side and some start several replicas: a smaller pool each keeps the
  // run under PostgreSQL's max_connections (100 by default); requests queue for a connection.
  return { DATABASE_URL: urlWithDatabase(name), GREENLIGHT_DATABASE_POOL_MAX: "4" };
}

/** The database of a data directory's test server, when the tests run on PostgreSQL. */
export function testDatabaseUrl(dataDir: string): string {
  return urlWithDatabase(testDatabaseName(dataDir));
}

export async function dropTestDatabase(dataDir: string): Promise<void> {
  if (onPostgres) await adminQuery(`DROP DATABASE IF EXISTS ${testDatabaseName(dataDir)} WITH (FORCE)`);
}

/**
 * A real server on a free loopback port, on a fresh database unless `dataDir` is given: a
 * SQLite file in the data directory, or with GREENLIGHT_TEST_DATABASE_URL set, a PostgreSQL
 * database made for it (and dropped on close).
 */
export async function startTestServer<C extends Clock = Clock>(
  options: { dataDir?: string; env?: Record<string, string>; clock?: C; keepData?: boolean } = {},
): Promise<TestServer<C>> {
  const dataDir = options.dataDir ?? tempDataDir();
  const databaseEnv = await testDatabaseEnv(dataDir);
  const config = loadConfig(
    {},
    {
      GREENLIGHT_PORT: "0",
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_ADMIN_TOKEN: TEST_TOKEN,
      // GREENLIGHT_TEST_LOG_LEVEL=error shows what a failing test's server logged.
      GREENLIGHT_LOG_LEVEL: process.env.GREENLIGHT_TEST_LOG_LEVEL ?? "silent",
      // Test files send many requests, and many bad tokens, from one address; the limits have
      // their own test.
      GREENLIGHT_RATE_LIMIT: "0",
      GREENLIGHT_AUTH_FAILURE_LIMIT: "1000000",
      // The tests' receivers and fake providers listen on loopback.
      GREENLIGHT_OUTBOUND_ALLOW: "loopback",
      ...databaseEnv,
      ...options.env,
    },
  );
  const server = await startServer(config, options.clock ? { clock: options.clock } : {});
  return {
    server,
    url: server.url,
    dataDir,
    clock: options.clock ?? (systemClock as C),
    idle: () => server.whenIdle(),
    async call(method, path, body, headers = {}) {
      const response = await server.app.inject({
        method: method as "GET",
        url: path,
        headers: { ...AUTH, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        ...(body !== undefined ? { payload: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      });
      return { status: response.statusCode, body: parse(response.body), headers: response.headers };
    },
    async fetch(method, path, body, headers = {}) {
      const response = await fetch(server.url + path, {
        method,
        headers: { ...AUTH, ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
        ...(body !== undefined ? { body: typeof body === "string" ? body : JSON.stringify(body) } : {}),
      });
      return { status: response.status, body: parse(await response.text()), headers: Object.fromEntries(response.headers) };
    },
    async close() {
      await server.close();
      if (!options.keepData && !options.dataDir) {
        rmSync(dataDir, { recursive: true, force: true });
        await dropTestDatabase(dataDir);
      }
    },
  };
}

function parse(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export const SPACE = "/v1/spaces/default";

let counter = 0;
/** A petition body with a petitioner unique to this test run, so dedupe does not join them. */
export function petitionBody(overrides: Record<string, unknown> = {}): { petition: Record<string, unknown> } {
  counter += 1;
  return {
    petition: {
      reason: "to debug production",
      petitioners: [{ kind: "user", email: `user${counter}-${Date.now()}@example.com` }],
      resources: [{ kind: "aws.v1.Role", id: "prod-admin" }],
      ...overrides,
    },
  };
}

export function approveClaim(duration = "1h", extra: Record<string, unknown> = {}) {
  return { claim: { event: "access/approve", reason: "looks fine", meta: { labels: { "indent.com/time/duration": duration } }, ...extra } };
}

export const denyClaim = { claim: { event: "access/deny", reason: "not now" } };
export const revokeClaim = { claim: { event: "access/revoke", reason: "done" } };

export async function createPetition(t: TestServer, overrides: Record<string, unknown> = {}) {
  const reply = await t.call("POST", `${SPACE}/petitions`, petitionBody(overrides));
  if (reply.status !== 201) throw new Error(`create failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply.body;
}

/**
 * Reads until `done` holds, failing with the last value read after `timeoutMs`. The deadline
 * is generous on purpose: it only bounds a test that is failing, and a loaded machine is slow.
 */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = DEADLINE_MS): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 400)}`);
    await pause();
  }
}

/**
 * Waits until `condition` holds, polling; fails naming `what` after `timeoutMs`. For what
 * happens on its own (a delivery arriving, a waiter registering), never for time to pass:
 * move the test's clock for that.
 */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = DEADLINE_MS): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`waited ${timeoutMs} ms for ${what}, in vain`);
    await pause();
  }
}

/**
 * Lets time pass on the test's clock, `stepMs` at a time, the server settled after each step,
 * until `done` holds of what `read` returns; fails after `limitMs` of the clock's time. For what
 * takes a schedule's worth of time (retries, backoff), without waiting for it.
 */
export async function advanceUntil<T>(
  t: TestServer<ManualClock>,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  stepMs: number,
  limitMs = 3_600_000,
): Promise<T> {
  for (let passed = 0; ; passed += stepMs) {
    await t.idle();
    const value = await read();
    if (done(value)) return value;
    if (passed >= limitMs) throw new Error(`not reached within ${limitMs} ms of the test clock: ${JSON.stringify(value).slice(0, 400)}`);
    await t.clock.advance(stepMs);
  }
}

/** How long a wait for a condition may take before the test fails. */
const DEADLINE_MS = 20_000;

/** A short pause between two polls of a condition. */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10));
}
