import { rmSync } from "node:fs";
import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { sql, type Kysely } from "kysely";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { isDomainError } from "../../src/domain/errors.js";
import { PostgresStore } from "../../src/store/postgres-store.js";
import {
  adminQuery,
  approveClaim,
  createPetition,
  dropTestDatabase,
  onPostgres,
  SPACE,
  startTestServer,
  tempDataDir,
  testDatabaseEnv,
  testDatabaseUrl,
  waitFor,
} from "./harness.js";

/**
 * What only the PostgreSQL store does: runs racing transactions again, migrates under a lock
 * when replicas start together, and fails fast while the database is out of reach, then
 * recovers. Runs in the `integration-postgres` project.
 */
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function freshDatabase(): Promise<{ dataDir: string; url: string }> {
  const dataDir = tempDataDir();
  await testDatabaseEnv(dataDir);
  cleanup.push(async () => {
    await dropTestDatabase(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return { dataDir, url: testDatabaseUrl(dataDir) };
}

async function open(url: string, dataDir: string, extra: { connectTimeoutMs?: number } = {}): Promise<PostgresStore> {
  const store = await PostgresStore.open({
    url,
    poolMax: 5,
    statementTimeoutMs: 10_000,
    dataDir,
    secretKey: Buffer.alloc(32, 7),
    onError: () => undefined,
    ...extra,
  });
  cleanup.push(() => store.close());
  return store;
}

const space = (name: string) => ({ id: `spc_${name}`, name, displayName: name, createdAt: 1, updatedAt: 1 });

/** A TCP relay to PostgreSQL that can be cut (every connection dropped, new ones refused) and restored on the same port. */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => undefined);
      }
      client.pipe(upstream).pipe(client);
      client.on("close", () => upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  }
}

describe.skipIf(!onPostgres)("the PostgreSQL store", () => {
  it("runs a transaction again after a serialization failure, dropping the failed attempt's after-commit actions", async () => {
    const { url, dataDir } = await freshDatabase();
    // Two replicas: one server's own transactions take turns, so the race is between servers.
    const replicas = [await open(url, dataDir), await open(url, dataDir)];
    const store = replicas[0]!;
    await store.transaction((tx) => tx.settings.set("counter", "0", 1));
    // Both read before either writes: at SERIALIZABLE one of them must fail and run again.
    let arrived = 0;
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => (release = resolve));
    const attempts: number[] = [0, 0];
    const hooks: string[] = [];
    await Promise.all(
      [0, 1].map((i) =>
        replicas[i]!.transaction(async (tx) => {
          attempts[i]! += 1;
          const attempt = attempts[i]!;
          const value = Number(await tx.settings.get("counter"));
          if (attempt === 1) {
            arrived += 1;
            if (arrived === 2) release();
            await bothRead;
          }
          tx.afterCommit(() => hooks.push(`${i}:${attempt}`));
          await tx.settings.set("counter", String(value + 1), 2);
        }),
      ),
    );
    expect(await store.read.settings.get("counter")).toBe("2");
    expect(attempts[0]! + attempts[1]!).toBeGreaterThan(2);
    expect(replicas[0]!.stats.retries + replicas[1]!.stats.retries).toBeGreaterThan(0);
    // Exactly one action per transaction, from the attempt that committed.
    expect(hooks).toHaveLength(2);
    expect(hooks.sort()).toEqual([`0:${attempts[0]}`, `1:${attempts[1]}`]);
  });

  it("migrates once when replicas start together on an empty database", async () => {
    const { url, dataDir } = await freshDatabase();
    const stores = await Promise.all([open(url, dataDir), open(url, dataDir), open(url, dataDir)]);
    await stores[0]!.transaction((tx) => tx.spaces.insert(space("shared")));
    for (const s of stores) expect(await s.read.spaces.findByName("shared")).toBeDefined();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>("SELECT name FROM kysely_migration ORDER BY name");
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.name)).size).toBe(rows.length);
    } finally {
      await client.end();
    }
  });

  it("fails fast with UNAVAILABLE while the database is out of reach, and recovers by itself", async () => {
    const { url, dataDir } = await freshDatabase();
    const target = new URL(url);
    const relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
    await relay.start();
    cleanup.push(() => relay.cut());
    const viaRelay = new URL(url);
    viaRelay.port = String(relay.port);
    const store = await open(viaRelay.href, dataDir, { connectTimeoutMs: 1_000 });
    await store.transaction((tx) => tx.spaces.insert(space("before")));

    await relay.cut();
    const started = Date.now();
    const read = await store.read.spaces.findByName("before").then(
      () => undefined,
      (error: unknown) => error,
    );
    const write = await store
      .transaction((tx) => tx.spaces.insert(space("during")))
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(isDomainError(read) && read.code).toBe("UNAVAILABLE");
    expect(isDomainError(write) && write.code).toBe("UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(5_000);

    await relay.start();
    expect(await store.read.spaces.findByName("before")).toBeDefined();
    await store.transaction((tx) => tx.spaces.insert(space("after")));
    expect(await store.read.spaces.findByName("after")).toBeDefined();
    expect(await store.read.spaces.findByName("during")).toBeUndefined();
  });

  it("runs every connection under the statement timeout", async () => {
    const { url, dataDir } = await freshDatabase();
    const store = await PostgresStore.open({ url, poolMax: 2, statementTimeoutMs: 200, dataDir, secretKey: Buffer.alloc(32, 7) });
    cleanup.push(() => store.close());
    const db = (store as unknown as { db: Kysely<unknown> }).db;
    const settings = await sql<{ statement: string; idle: string }>`
      SELECT current_setting('statement_timeout') AS statement, current_setting('idle_in_transaction_session_timeout') AS idle`.execute(db);
    expect(settings.rows[0]).toEqual({ statement: "200ms", idle: "200ms" });
    const slow = await sql`SELECT pg_sleep(2)`.execute(db).catch((error: unknown) => error);
    expect((slow as { code?: string }).code).toBe("57014");
  });

  it("recovers when the database ends its connections", async () => {
    const { url, dataDir } = await freshDatabase();
    const store = await open(url, dataDir);
    await store.transaction((tx) => tx.spaces.insert(space("kept")));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
      );
    } finally {
      await admin.end();
    }
    // The pool drops the ended connections; a request that met one may fail (retryably), the next succeeds.
    const first = await store.read.spaces.findByName("kept").catch((error: unknown) => error);
    if (!(first && typeof first === "object" && "name" in first && (first as { name: string }).name === "kept")) {
      expect(isDomainError(first) && first.code).toBe("UNAVAILABLE");
    }
    expect(await store.read.spaces.findByName("kept")).toBeDefined();
  });

  it("answers the API with a retryable 503 while the database is out of reach", async () => {
    const dataDir = tempDataDir();
    const databaseEnv = await testDatabaseEnv(dataDir);
    const target = new URL(databaseEnv.DATABASE_URL!);
    const relay = new Relay({ host: target.hostname, port: Number(target.port || 5432) });
    await relay.start();
    const viaRelay = new URL(target.href);
    viaRelay.port = String(relay.port);
    const t = await startTestServer({ dataDir, env: { DATABASE_URL: viaRelay.href } });
    cleanup.push(async () => {
      await t.close();
      await relay.cut();
      await dropTestDatabase(dataDir);
      rmSync(dataDir, { recursive: true, force: true });
    });
    expect((await t.call("GET", `${SPACE}/petitions`)).status).toBe(200);
    await relay.cut();
    const started = Date.now();
    const down = await t.call("GET", `${SPACE}/petitions`);
    expect(down.status).toBe(503);
    expect(down.body.error.code).toBe("UNAVAILABLE");
    expect(Date.now() - started).toBeLessThan(8_000);
    await relay.start();
    expect((await t.call("GET", `${SPACE}/petitions`)).status).toBe(200);
  });
});

describe.skipIf(!onPostgres)("replicas on one database", () => {
  const SHARED_KEY = Buffer.alloc(32, 9).toString("base64");

  async function twoReplicas() {
    const first = tempDataDir();
    const a = await startTestServer({ dataDir: first, env: { GREENLIGHT_SECRET_KEY: SHARED_KEY } });
    const b = await startTestServer({ env: { DATABASE_URL: testDatabaseUrl(first), GREENLIGHT_SECRET_KEY: SHARED_KEY } });
    cleanup.push(async () => {
      await b.close();
      await a.close();
      await dropTestDatabase(first);
      rmSync(first, { recursive: true, force: true });
    });
    return { a, b };
  }

  /** A long-poll held on `a`, once it is registered (wrapped: awaiting a bare promise would wait for the answer). */
  async function waitOn(a: Awaited<ReturnType<typeof startTestServer>>, name: string) {
    const waiter = a.fetch("GET", `${SPACE}/petitions/${name}?waitFor=decision&timeout=20s`);
    await waitFor("the long-poll to be held", () => a.server.services.notifier.watcherCount >= 1);
    return { waiter };
  }

  it("releases a waiter on one replica when the petition is decided on another", async () => {
    const { a, b } = await twoReplicas();
    const petition = await createPetition(a);
    const { waiter } = await waitOn(a, petition.name);
    const started = Date.now();
    expect((await b.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"))).status).toBe(200);
    const reply = await waiter;
    expect(reply.status).toBe(200);
    expect(reply.body.state.status.phase).toBe("granted");
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("reads again after the listening connection was lost, so a change made meanwhile still releases the waiter", async () => {
    const { a, b } = await twoReplicas();
    const petition = await createPetition(a);
    const { waiter } = await waitOn(a, petition.name);
    // End every listening connection; the decision commits while they reconnect.
    await adminQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'greenlight-listen'");
    const started = Date.now();
    expect((await b.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"))).status).toBe(200);
    const reply = await waiter;
    expect(reply.body.state.status.phase).toBe("granted");
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
