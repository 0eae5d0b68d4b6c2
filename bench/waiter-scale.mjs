// Decision → release latency at scale, long-poll against polling, side by side in one run.
//
// For each size (1,000 and 10,000 by default): that many petitions, each with one waiter;
// then every petition is approved, one at a time, and each waiter's latency is taken
// from when its approval was sent to when it saw the decision. Two ways of waiting:
//   - long-poll: GET …?waitFor=decision (what approval() does), asked again when a hold ends;
//   - polling: GET … every 2 s, each waiter at its own offset (what Indent's SDK did).
// While the long-poll waiters are all held, the server's resident memory is read: how many
// concurrent waiters one process holds, and at what cost (goal ≥ 10,000 at ≤ 1 GiB).
import { Pool } from "undici";
import { approve, distribution, percentile, petitionFor, record, rssMiB, startServer, TOKEN } from "./lib.mjs";

const SIZES = (process.env.BENCH_WAITER_SIZES ?? "1000,10000").split(",").map(Number);
const POLL_MS = 2000;
// One at a time, as a person decides: the latency is then the decision's own commit plus the release.
const APPROVALS_IN_FLIGHT = Number(process.env.BENCH_APPROVALS_IN_FLIGHT ?? 1);

const server = await startServer();
const headers = { authorization: `Bearer ${TOKEN}` };

async function json(pool, method, path, body) {
  const res = await pool.request({
    method,
    path,
    headers: body ? { ...headers, "content-type": "application/json" } : headers,
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path}: ${res.statusCode} ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

async function inParallel(items, limit, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        await fn(items[i], i);
      }
    }),
  );
}

async function createPetitions(api, n, tag) {
  const names = new Array(n);
  await inParallel([...Array(n).keys()], 32, async (i) => {
    names[i] = (await json(api, "POST", "/v1/spaces/default/petitions", petitionFor(`${tag}-${i}`))).name;
  });
  return names;
}

async function approveAll(api, names) {
  const sentAt = new Map();
  await inParallel(names, APPROVALS_IN_FLIGHT, async (name) => {
    sentAt.set(name, performance.now());
    await json(api, "POST", `/v1/spaces/default/petitions/${name}/claims`, approve);
  });
  return sentAt;
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted.at(-1) };
}

async function longPoll(n) {
  const api = new Pool(server.url, { connections: 16 });
  const waiters = new Pool(server.url, { connections: n + 16, headersTimeout: 0, bodyTimeout: 0 });
  const names = await createPetitions(api, n, `lp${n}`);
  const releasedAt = new Map();
  const waitFor = async (name) => {
    for (;;) {
      const petition = await json(waiters, "GET", `/v1/spaces/default/petitions/${name}?waitFor=decision&timeout=60s`);
      if (petition.state.status.phase !== "open") return releasedAt.set(name, performance.now());
    }
  };
  // Connections are opened in steps, so the listen backlog does not overflow.
  const held = [];
  for (let i = 0; i < n; i += 500) {
    for (const name of names.slice(i, i + 500)) held.push(waitFor(name));
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 2000));
  const rss = rssMiB(server.pid);
  const sentAt = await approveAll(api, names);
  await Promise.all(held);
  await api.close();
  await waiters.close();
  return { latencies: names.map((name) => releasedAt.get(name) - sentAt.get(name)), rss };
}

async function polling(n) {
  const api = new Pool(server.url, { connections: 16 });
  const pollers = new Pool(server.url, { connections: 256 });
  const names = await createPetitions(api, n, `poll${n}`);
  const seenAt = new Map();
  let stop = false;
  const poll = async (name) => {
    await new Promise((r) => setTimeout(r, Math.random() * POLL_MS));
    while (!stop) {
      const petition = await json(pollers, "GET", `/v1/spaces/default/petitions/${name}`);
      if (petition.state.status.phase !== "open") return seenAt.set(name, performance.now());
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  };
  const polled = names.map(poll);
  await new Promise((r) => setTimeout(r, POLL_MS + 500));
  const sentAt = await approveAll(api, names);
  await Promise.all(polled);
  stop = true;
  await api.close();
  await pollers.close();
  return { latencies: names.map((name) => seenAt.get(name) - sentAt.get(name)) };
}

try {
  for (const n of SIZES) {
    const lp = await longPoll(n);
    const lpSummary = summary(lp.latencies);
    console.log(
      `${n.toLocaleString("en")} waiters, long-poll: p50 ${lpSummary.p50.toFixed(1)} ms, p99 ${lpSummary.p99.toFixed(1)} ms, max ${lpSummary.max.toFixed(0)} ms; ` +
        `server RSS with all held: ${lp.rss.toFixed(0)} MiB`,
    );
    const pl = await polling(n);
    const plSummary = summary(pl.latencies);
    console.log(
      `${n.toLocaleString("en")} waiters, polling every 2 s: p50 ${plSummary.p50.toFixed(0)} ms, p99 ${plSummary.p99.toFixed(0)} ms; ` +
        `long-poll is ${(plSummary.p50 / lpSummary.p50).toFixed(0)}× faster at p50, ${(plSummary.p99 / lpSummary.p99).toFixed(0)}× at p99`,
    );
    record({
      group: "waiters",
      figure: `decision → release, ${n.toLocaleString("en")} waiters, long-poll`,
      value: `p50 ${lpSummary.p50.toFixed(1)} ms, p99 ${lpSummary.p99.toFixed(1)} ms`,
      goal: n === 1000 ? "p99 ≤ 50 ms" : "",
      series: distribution(lp.latencies),
    });
    record({
      group: "waiters",
      figure: `decision → release, ${n.toLocaleString("en")} waiters, polling every 2 s (baseline)`,
      value: `p50 ${plSummary.p50.toFixed(0)} ms, p99 ${plSummary.p99.toFixed(0)} ms`,
      series: distribution(pl.latencies),
    });
    record({
      group: "waiters",
      figure: `baseline / long-poll, ${n.toLocaleString("en")} waiters`,
      value: `${(plSummary.p50 / lpSummary.p50).toFixed(0)}× at p50, ${(plSummary.p99 / lpSummary.p99).toFixed(0)}× at p99`,
    });
    record({
      group: "waiters",
      figure: `one process holding ${n.toLocaleString("en")} long-poll waiters: server RSS`,
      value: `${lp.rss.toFixed(0)} MiB`,
      goal: n >= 10000 ? "≥ 10,000 waiters at ≤ 1 GiB" : "",
    });
  }
} finally {
  await server.stop();
}
