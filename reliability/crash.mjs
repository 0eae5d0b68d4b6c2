// PROP C1 crash: the server is killed with SIGKILL again and again while 1,000 concurrent
// clients create and decide petitions, and started again on the same data each time. After
// the last restart: every acknowledged write is there, no petition has a grant twice, no
// transition is half applied (invariant queries over every petition and grant), and the audit
// log holds exactly the events of what was committed, in a chain that verifies.
import { createServer } from "node:net";
import { rmSync } from "node:fs";
import { client, listAll, report, serve, SPACE, tempDir } from "./lib.mjs";

const CLIENTS = Number(process.env.RELIABILITY_CLIENTS ?? 1000);
const KILLS = Number(process.env.RELIABILITY_KILLS ?? 5);

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

const dataDir = tempDir();
const port = await freePort();
const env = { GREENLIGHT_PORT: String(port) };
const acks = new Map();
let running = await serve(dataDir, env);
let api = client(running.url, CLIENTS);
let up = true;
let stop = false;
let n = 0;
let refusedWhileUp = 0;

async function clientLoop(c) {
  while (!stop) {
    if (!up) {
      await new Promise((r) => setTimeout(r, 50));
      continue;
    }
    const i = n++;
    const conn = api;
    try {
      const created = await conn.request("POST", `${SPACE}/petitions`, {
        petition: {
          reason: "crash property",
          petitioners: [{ kind: "user", email: `c${c}-${i}@example.com` }],
          resources: [
            { kind: "okta.v1.Group", id: "g1" },
            { kind: "okta.v1.Group", id: "g2" },
          ],
        },
      });
      if (created.status !== 201) {
        if (created.status >= 500 && up) refusedWhileUp += 1;
        continue;
      }
      acks.set(created.body.name, {});
      const decision = i % 3 === 0 ? "deny" : "approve";
      const claim =
        decision === "approve"
          ? { event: "access/approve", meta: { labels: { "indent.com/time/duration": "1h" } } }
          : { event: "access/deny", reason: "no" };
      const decided = await conn.request("POST", `${SPACE}/petitions/${created.body.name}/claims`, { claim });
      if (decided.status === 200) acks.get(created.body.name).decided = decision;
    } catch {
      // Killed under this request: its outcome is unknown, and the invariants below check it
      // was applied fully or not at all.
    }
  }
}

const clients = Array.from({ length: CLIENTS }, (_, c) => clientLoop(c));
for (let kill = 0; kill < KILLS; kill++) {
  await new Promise((r) => setTimeout(r, 1500 + Math.random() * 1500));
  up = false;
  await running.kill("SIGKILL");
  api.destroy().catch(() => {});
  running = await serve(dataDir, env);
  api = client(running.url, CLIENTS);
  up = true;
}
await new Promise((r) => setTimeout(r, 1000));
stop = true;
await Promise.all(clients);
await api.close();
await running.kill("SIGKILL");

// Checked on a fresh start, as after a crash.
const checker = await serve(dataDir, env);
const check = client(checker.url, 8);
const problems = [];
try {
  const petitions = await listAll(check, `${SPACE}/petitions?showDeleted=true`, "petitions");
  const byName = new Map(petitions.map((p) => [p.name, p]));
  let lost = 0;
  for (const [name, ack] of acks) {
    const p = byName.get(name);
    if (!p) lost += 1;
    else if (ack.decided === "approve" && p.state.status.phase !== "granted") lost += 1;
    else if (ack.decided === "deny" && p.state.status.outcome !== "denied") lost += 1;
  }
  const grants = await listAll(check, `${SPACE}/grants`, "grants");
  const grantsOf = new Map();
  const seen = new Set();
  let duplicates = 0;
  for (const g of grants) {
    const key = `${g.petitionName}|${g.petitioner.email}|${g.resource.id}`;
    if (seen.has(key)) duplicates += 1;
    seen.add(key);
    grantsOf.set(g.petitionName, [...(grantsOf.get(g.petitionName) ?? []), g.status]);
  }
  let halfApplied = 0;
  for (const p of petitions) {
    const events = p.state.eventHistory.map((e) => e.event).join(",");
    const own = grantsOf.get(p.name) ?? [];
    const whole =
      p.state.status.phase === "open"
        ? events === "access/request" && own.length === 0
        : p.state.status.phase === "granted"
          ? events === "access/request,access/approve,access/grant,access/grant" && own.join() === "active,active"
          : p.state.status.outcome === "denied" && events === "access/request,access/deny" && own.length === 0;
    if (!whole) {
      halfApplied += 1;
      if (problems.length < 5)
        problems.push(`${p.name}: ${p.state.status.phase}/${p.state.status.outcome ?? ""} events ${events} grants ${own.join()}`);
    }
  }
  // The audit log: exactly one event per committed event of every petition, and a chain that verifies.
  const verified = await check.request("POST", `${SPACE}/audit:verify`);
  const exported = await check.request("GET", `${SPACE}/audit:export?event=access/*`);
  const audited = new Map();
  for (const line of String(exported.body).split("\n").filter(Boolean)) {
    const e = JSON.parse(line);
    audited.set(e.event, (audited.get(e.event) ?? 0) + 1);
  }
  const committed = new Map();
  for (const p of petitions) for (const e of p.state.eventHistory) committed.set(e.event, (committed.get(e.event) ?? 0) + 1);
  const auditMismatch = [...new Set([...audited.keys(), ...committed.keys()])].filter(
    (k) => (audited.get(k) ?? 0) !== (committed.get(k) ?? 0),
  );
  if (auditMismatch.length) problems.push(`audit ${JSON.stringify([...audited])} vs committed ${JSON.stringify([...committed])}`);
  const decided = [...acks.values()].filter((a) => a.decided).length;
  report(
    "C1",
    "crash",
    `${CLIENTS} clients, ${KILLS} kills, acknowledged creates=${acks.size} decisions=${decided}, lost=${lost}, duplicate grants=${duplicates}, half-applied=${halfApplied}, audit mismatches=${auditMismatch.length}, chain valid=${verified.body.valid}, 5xx while up=${refusedWhileUp}`,
    acks.size >= 1000 && lost === 0 && duplicates === 0 && halfApplied === 0 && auditMismatch.length === 0 && verified.body.valid === true,
  );
  for (const problem of problems) console.error(`  ${problem}`);
} finally {
  await check.close();
  await checker.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
