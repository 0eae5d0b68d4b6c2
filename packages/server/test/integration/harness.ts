import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig, startServer, type RunningServer } from "../../src/index.js";
import type { Clock } from "../../src/domain/clock.js";

export const TEST_TOKEN = "test-admin-token-0123456789";
export const AUTH = { authorization: `Bearer ${TEST_TOKEN}` };

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface TestServer {
  server: RunningServer;
  url: string;
  dataDir: string;
  /** In-process request through Fastify's inject (no socket). */
  call<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  /** Request over the real loopback port. */
  fetch<T = any>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply<T>>;
  close(): Promise<void>;
}

export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), "greenlight-test-"));
}

/** A real server on a free loopback port, on a fresh SQLite file unless `dataDir` is given. */
export async function startTestServer(
  options: { dataDir?: string; env?: Record<string, string>; clock?: Clock; keepData?: boolean } = {},
): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDataDir();
  const config = loadConfig(
    {},
    {
      GREENLIGHT_PORT: "0",
      GREENLIGHT_DATA_DIR: dataDir,
      GREENLIGHT_ADMIN_TOKEN: TEST_TOKEN,
      GREENLIGHT_LOG_LEVEL: "silent",
      // Test files send many requests, and many bad tokens, from one address; the limits have
      // their own test.
      GREENLIGHT_RATE_LIMIT: "0",
      GREENLIGHT_AUTH_FAILURE_LIMIT: "1000000",
      // The tests' receivers and fake providers listen on loopback.
      GREENLIGHT_OUTBOUND_ALLOW: "loopback",
      ...options.env,
    },
  );
  const server = await startServer(config, options.clock ? { clock: options.clock } : {});
  return {
    server,
    url: server.url,
    dataDir,
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
      if (!options.keepData && !options.dataDir) rmSync(dataDir, { recursive: true, force: true });
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

/** Reads until `done` holds, every 20 ms, failing with the last value read after `timeoutMs`. */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached within ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 400)}`);
    await sleep(20);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
