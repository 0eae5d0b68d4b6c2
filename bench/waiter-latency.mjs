// Decision → release latency for 1,000 concurrent long-poll waiters (waitFor=decision).
// Two shapes: 1,000 waiters on 1,000 petitions, each approved in turn; and 1,000 waiters on
// one petition, all released by one approval. Latency is measured from when the approval is
// sent, so it includes the approval's own commit: an upper bound on decision → release.
import { approve, client, distribution, percentile, petitionFor, record, startServer } from "./lib.mjs";

const WAITERS = Number(process.env.BENCH_WAITERS ?? 1000);

async function settle(ms) {
  await new Promise((r) => setTimeout(r, ms));
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`;
}

async function manyPetitions(api, waiters) {
  const petitions = [];
  for (let i = 0; i < WAITERS; i++) petitions.push(await api.request("POST", "/v1/spaces/default/petitions", petitionFor(`many-${i}`)));
  const released = petitions.map((p) =>
    waiters.request("GET", `/v1/spaces/default/petitions/${p.name}?waitFor=decision&timeout=60s`).then(() => performance.now()),
  );
  await settle(1500);
  const sentAt = [];
  for (const p of petitions) {
    sentAt.push(performance.now());
    await api.request("POST", `/v1/spaces/default/petitions/${p.name}/claims`, approve);
  }
  const releasedAt = await Promise.all(released);
  return releasedAt.map((at, i) => at - sentAt[i]);
}

async function onePetition(api, waiters) {
  const p = await api.request("POST", "/v1/spaces/default/petitions", petitionFor("fan-out"));
  const released = Array.from({ length: WAITERS }, () =>
    waiters.request("GET", `/v1/spaces/default/petitions/${p.name}?waitFor=decision&timeout=60s`).then(() => performance.now()),
  );
  await settle(1500);
  const sentAt = performance.now();
  await api.request("POST", `/v1/spaces/default/petitions/${p.name}/claims`, approve);
  return (await Promise.all(released)).map((at) => at - sentAt);
}

const server = await startServer();
const api = client(server.url, 1);
const waiters = client(server.url, WAITERS + 10);
try {
  console.log(`${WAITERS} waiters on ${WAITERS} petitions, approved one by one: ${summary(await manyPetitions(api, waiters))}`);
  const fanOut = await onePetition(api, waiters);
  console.log(`${WAITERS} waiters on one petition, one approval: ${summary(fanOut)}`);
  record({
    group: "waiters",
    figure: `decision → release, ${WAITERS.toLocaleString("en")} waiters all on one petition, one approval`,
    value: summary(fanOut).replace(/, max.*/, ""),
    series: distribution(fanOut),
  });
} finally {
  await api.close();
  await waiters.close();
  await server.stop();
}
