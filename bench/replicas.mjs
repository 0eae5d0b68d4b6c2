// Replicas on PostgreSQL: petitions created and approved per second over HTTP with one
// replica and with three (clients spread across them, as a load balancer would), and the
// latency from a decision sent to one replica to the release of a waiter held by another
// (LISTEN/NOTIFY between them). RELIABILITY_DATABASE_URL or GREENLIGHT_TEST_DATABASE_URL
// names the server; each run gets a database of its own.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { approve, client, distribution, percentile, petitionFor, record, startServer } from "./lib.mjs";

const base = process.env.BENCH_DATABASE_URL ?? process.env.GREENLIGHT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = 32;
const LATENCY_SAMPLES = Number(process.env.BENCH_LATENCY_SAMPLES ?? 500);

async function admin(statement) {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

async function replicas(count) {
  const database = `gl_bench_${randomBytes(6).toString("hex")}`;
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(base);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.href, GREENLIGHT_SECRET_KEY: randomBytes(32).toString("base64") };
  const servers = [await startServer(env)];
  for (let i = 1; i < count; i++) servers.push(await startServer(env));
  return {
    servers,
    async stop() {
      await Promise.all(servers.map((s) => s.stop()));
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };
}

async function throughput(count) {
  const set = await replicas(count);
  const apis = set.servers.map((s) => client(s.url, CONCURRENCY));
  let next = 0;
  let done = 0;
  let measuring = false;
  let stop = false;
  const worker = async (w) => {
    const api = apis[w % apis.length];
    while (!stop) {
      const p = await api.request("POST", "/v1/spaces/default/petitions", petitionFor(`t${count}-${next++}`));
      await api.request("POST", `/v1/spaces/default/petitions/${p.name}/claims`, approve);
      if (measuring) done += 1;
    }
  };
  const workers = Array.from({ length: CONCURRENCY }, (_, w) => worker(w));
  await new Promise((r) => setTimeout(r, 2000));
  measuring = true;
  const started = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  measuring = false;
  const rate = done / ((performance.now() - started) / 1000);
  stop = true;
  await Promise.all(workers);
  await Promise.all(apis.map((a) => a.close()));
  await set.stop();
  return rate;
}

async function crossReplicaLatency() {
  const set = await replicas(2);
  const [a, b] = set.servers.map((s) => client(s.url, 8));
  const latencies = [];
  try {
    for (let i = 0; i < LATENCY_SAMPLES; i++) {
      const p = await a.request("POST", "/v1/spaces/default/petitions", petitionFor(`x-${i}`));
      const released = a
        .request("GET", `/v1/spaces/default/petitions/${p.name}?waitFor=decision&timeout=30s`)
        .then(() => performance.now());
      await new Promise((r) => setTimeout(r, 5));
      const sent = performance.now();
      await b.request("POST", `/v1/spaces/default/petitions/${p.name}/claims`, approve);
      latencies.push((await released) - sent);
    }
  } finally {
    await a.close();
    await b.close();
    await set.stop();
  }
  return latencies;
}

const one = await throughput(1);
const three = await throughput(3);
console.log(
  `PostgreSQL, petitions created+approved over HTTP: 1 replica ${one.toFixed(0)}/s, 3 replicas ${three.toFixed(0)}/s (${CONCURRENCY} clients)`,
);
const latencies = (await crossReplicaLatency()).sort((x, y) => x - y);
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
console.log(
  `decision on replica B → waiter on replica A released: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms (${LATENCY_SAMPLES} decisions)`,
);
record({ group: "replicas", figure: "PostgreSQL: petitions created + approved over HTTP, 1 replica", value: `${one.toFixed(0)}/s` });
record({ group: "replicas", figure: "PostgreSQL: the same with 3 replicas behind the clients", value: `${three.toFixed(0)}/s` });
record({
  group: "replicas",
  figure: "decision → release across replicas (decided on B, waiting on A)",
  value: `p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`,
  series: distribution(latencies),
});
