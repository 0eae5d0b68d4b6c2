// Audit log at scale: writes 100,000 events through an input (Indent's writeBatch, 1,000 a
// call), verifies the chain, then streams the whole log as JSONL and as CSV. Prints the write
// rate, the verification time, each export's time and rate, and the server's resident memory
// before and at its peak during each export (sampled every 10 ms from /proc): the export is
// read a page at a time, so the peak should not grow with the log.
import { readFileSync } from "node:fs";
import { request } from "undici";
import { client, record, startServer, TOKEN } from "./lib.mjs";

const EVENTS = Number(process.env.BENCH_AUDIT_EVENTS ?? 100_000);
const server = await startServer();
const api = client(server.url, 4);

function rssMiB() {
  const status = readFileSync(`/proc/${server.pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

try {
  const input = await api.request("POST", "/v1/spaces/default/auditInputs", { input: { provider: "bench", name: "load" } });
  const writeUrl = `${server.url}/v1/inputs/default/bench/load:writeBatch`;
  const started = performance.now();
  for (let done = 0; done < EVENTS; done += 1000) {
    const events = Array.from({ length: Math.min(1000, EVENTS - done) }, (_, i) => ({
      event: "app/action",
      actor: { kind: "user", email: `user${(done + i) % 500}@example.com` },
      resources: [{ kind: "app.v1.Document", id: `doc-${done + i}` }],
      reason: `action ${done + i}`,
    }));
    const res = await request(writeUrl, {
      method: "POST",
      headers: { authorization: `Bearer ${input.token}`, "content-type": "application/json" },
      body: JSON.stringify({ events }),
    });
    if (res.statusCode !== 200) throw new Error(`write answered ${res.statusCode}: ${await res.body.text()}`);
    await res.body.dump();
  }
  const writeS = (performance.now() - started) / 1000;
  console.log(
    `wrote ${EVENTS.toLocaleString("en")} events in ${writeS.toFixed(1)} s (${Math.round(EVENTS / writeS).toLocaleString("en")} events/s)`,
  );

  const verifyStarted = performance.now();
  const report = await api.request("POST", "/v1/spaces/default/audit:verify");
  const verifyS = (performance.now() - verifyStarted) / 1000;
  record({
    group: "audit",
    figure: `audit: ${EVENTS.toLocaleString("en")} events written through an input`,
    value: `${writeS.toFixed(1)} s (${Math.round(EVENTS / writeS).toLocaleString("en")}/s)`,
  });
  record({
    group: "audit",
    figure: `audit: the chain of ${report.checkedEvents.toLocaleString("en")} events verified`,
    value: `${verifyS.toFixed(2)} s`,
  });
  console.log(`verified ${report.checkedEvents.toLocaleString("en")} events in ${verifyS.toFixed(2)} s: valid=${report.valid}`);

  for (const format of ["jsonl", "csv"]) {
    const before = rssMiB();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMiB())), 10);
    const exportStarted = performance.now();
    const res = await request(`${server.url}/v1/spaces/default/audit:export?format=${format}`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body) {
      bytes += chunk.length;
      for (const byte of chunk) if (byte === 10) lines += 1;
    }
    clearInterval(sampler);
    const exportS = (performance.now() - exportStarted) / 1000;
    record({
      group: "audit",
      figure: `audit export, ${format.toUpperCase()}, ${lines.toLocaleString("en")} lines streamed`,
      value: `${exportS.toFixed(2)} s; server RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB`,
    });
    console.log(
      `export ${format}: ${lines.toLocaleString("en")} lines, ${(bytes / 2 ** 20).toFixed(1)} MiB in ${exportS.toFixed(2)} s ` +
        `(${Math.round(lines / exportS).toLocaleString("en")} lines/s); server RSS ${before.toFixed(0)} MiB before, peak ${peak.toFixed(0)} MiB during`,
    );
  }
} finally {
  await api.close();
  await server.stop();
}
