// Petitions created and approved per second over HTTP, against the same machine's bare insert
// rate into the same store (one petition per durable transaction, no HTTP), as a ratio. The two
// are measured in alternating rounds and the medians compared, so a noisy neighbour on a shared
// machine moves both rather than one. For scale it also prints SQLite's own rate for the same
// row: one prepared INSERT per transaction with synchronous=FULL, nothing of ours around it.
import { rmSync } from "node:fs";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { SqliteStore } from "../packages/server/dist/store/sqlite-store.js";
import { client, petitionFor, approve, startServer, tempDir, record } from "./lib.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);

async function bareInsertRate() {
  const dataDir = tempDir();
  const store = await SqliteStore.open({ dataDir, synchronous: "full" });
  const space = { id: "spc_bench", name: "bench", displayName: "bench", createdAt: 0, updatedAt: 0 };
  await store.transaction((tx) => tx.spaces.insert(space));
  const row = (i, now) => ({
    spaceId: space.id,
    spaceName: space.name,
    name: `pet_${String(i).padStart(26, "0")}`,
    petitioners: petitionFor(i).petition.petitioners.map((r) => ({ ...r, labels: {} })),
    resources: petitionFor(i).petition.resources.map((r) => ({ ...r, labels: {} })),
    reason: "benchmark",
    labels: {},
    defaultDurationMs: null,
    phase: "open",
    outcome: null,
    version: 1,
    lastEventSeq: 0,
    dedupeKey: `k${i}`,
    createdAt: now,
    updatedAt: now,
    startAt: null,
    expireAt: null,
    endAt: null,
    deletedAt: null,
    createdBy: "admin",
  });
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await store.transaction((tx) => tx.petitions.insert(row(n, Date.now())));
    n += 1;
  }
  const rate = n / ((performance.now() - started) / 1000);
  await store.close();
  rmSync(dataDir, { recursive: true, force: true });
  return rate;
}

/** SQLite alone: the store's schema, one prepared INSERT per transaction, synchronous=FULL. */
async function sqliteInsertRate() {
  const dataDir = tempDir();
  const store = await SqliteStore.open({ dataDir, synchronous: "full" });
  await store.transaction((tx) => tx.spaces.insert({ id: "spc_bench", name: "bench", displayName: "bench", createdAt: 0, updatedAt: 0 }));
  await store.close();
  const db = new BetterSqlite3(join(dataDir, "greenlight.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  const insert = db.prepare(
    `insert into petitions (space_id, name, phase, outcome, reason, petitioners, resources, labels, default_duration_ms,
       dedupe_key, version, last_event_seq, created_at, updated_at, start_at, expire_at, end_at, deleted_at, created_by)
     values (?, ?, 'open', null, 'benchmark', ?, ?, '{}', null, ?, 1, 0, ?, ?, null, null, null, null, 'admin')`,
  );
  const resources = JSON.stringify(petitionFor(0).petition.resources.map((r) => ({ ...r, labels: {} })));
  let n = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    const petitioners = JSON.stringify(petitionFor(n).petition.petitioners.map((r) => ({ ...r, labels: {} })));
    const now = Date.now();
    insert.run("spc_bench", `pet_${String(n).padStart(26, "0")}`, petitioners, resources, `k${n}`, now, now);
    n += 1;
  }
  const rate = n / ((performance.now() - started) / 1000);
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
  return rate;
}

async function httpRate() {
  const server = await startServer();
  const api = client(server.url, CONCURRENCY);
  let next = 0;
  let done = 0;
  let measuring = false;
  let stop = false;
  const worker = async () => {
    while (!stop) {
      const p = await api.request("POST", "/v1/spaces/default/petitions", petitionFor(next++));
      await api.request("POST", `/v1/spaces/default/petitions/${p.name}/claims`, approve);
      if (measuring) done += 1;
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, worker);
  await new Promise((r) => setTimeout(r, 2000)); // warm up
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const rate = done / ((performance.now() - started) / 1000);
  stop = true;
  await Promise.all(workers);
  await api.close();
  await server.stop();
  return rate;
}

const bares = [];
const https = [];
const sqlites = [];
for (let round = 0; round < ROUNDS; round++) {
  bares.push(await bareInsertRate());
  https.push(await httpRate());
  sqlites.push(await sqliteInsertRate());
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs) => xs.map((x) => x.toFixed(0)).join(", ");
const http = median(https);
const bare = median(bares);
console.log(
  `petitions created+approved over HTTP: ${http.toFixed(0)}/s median of ${list(https)} (${CONCURRENCY} concurrent clients, 2 requests each)`,
);
console.log(
  `bare petition inserts into the same store: ${bare.toFixed(0)}/s median of ${list(bares)} (one durable transaction each, synchronous=FULL)`,
);
console.log(`ratio HTTP / bare: ${(http / bare).toFixed(2)} (goal >= 0.5)`);
console.log(
  `for scale, SQLite alone: ${median(sqlites).toFixed(0)}/s median of ${list(sqlites)} (the same row, one prepared INSERT per transaction, synchronous=FULL)`,
);
record({ group: "throughput", figure: "petitions created + approved over HTTP (32 concurrent clients)", value: `${http.toFixed(0)}/s` });
record({
  group: "throughput",
  figure: "bare petition inserts into the same store (one durable transaction each)",
  value: `${bare.toFixed(0)}/s`,
});
record({ group: "throughput", figure: "ratio HTTP / bare", value: (http / bare).toFixed(2), goal: "≥ 0.5" });
record({
  group: "throughput",
  figure: "for scale: SQLite alone, one prepared INSERT per transaction",
  value: `${median(sqlites).toFixed(0)}/s`,
});
