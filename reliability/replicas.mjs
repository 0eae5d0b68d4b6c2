// PROP H1 replicas: three server processes on one PostgreSQL database. 1,000 petitions are
// created across them, each with a long-poll waiter on a random replica; decisions (two in
// three approvals, for 4 s grants) go to random replicas; partway through one replica is
// killed with SIGKILL, and its waiters reconnect to another. At the end: no approval lost, no
// grant twice, every waiter released with its petition's outcome, and every grant that
// expired revoked exactly once (one access/revoke on the petition, one delivery id at the
// integration, however many replicas ran the expiry and delivery jobs).
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { rmSync } from "node:fs";
import pg from "pg";
import { client, listAll, report, serve, SPACE, tempDir } from "./lib.mjs";

const PETITIONS = Number(process.env.RELIABILITY_PETITIONS ?? 1000);
const base = process.env.RELIABILITY_DATABASE_URL ?? process.env.GREENLIGHT_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const database = `gl_replicas_${randomBytes(6).toString("hex")}`;

async function admin(statement) {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

// The integration: acknowledges every grant and revoke, and counts each revoke's delivery ids per grant.
const revokes = new Map();
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    const trigger = body.events?.[0];
    if (trigger?.event === "access/revoke") {
      const grant = `${trigger.meta.labels.petition}|${trigger.resources[0].email}|${trigger.resources[1].id}`;
      const ids = revokes.get(grant) ?? new Set();
      ids.add(req.headers["x-greenlight-delivery"]);
      revokes.set(grant, ids);
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":{"code":0}}');
  });
});
await new Promise((r) => receiver.listen(0, "127.0.0.1", r));

await admin(`CREATE DATABASE ${database}`);
const url = new URL(base);
url.pathname = `/${database}`;
const env = {
  DATABASE_URL: url.href,
  GREENLIGHT_SECRET_KEY: randomBytes(32).toString("base64"),
  GREENLIGHT_OUTBOUND_ALLOW: "loopback",
  GREENLIGHT_DATABASE_POOL_MAX: "8",
  GREENLIGHT_EXPIRY_POLL_INTERVAL: "1s",
  GREENLIGHT_DELIVERY_SCHEDULE: "1s,2s,5s",
};
const dirs = [tempDir(), tempDir(), tempDir()];
const replicas = [];
try {
  // The first one migrates; the others start together.
  replicas.push(await serve(dirs[0], env));
  replicas.push(...(await Promise.all([serve(dirs[1], env), serve(dirs[2], env)])));
  const apis = replicas.map((r) => client(r.url, 400));
  const alive = new Set([0, 1, 2]);
  const pick = () => [...alive][Math.floor(Math.random() * alive.size)];
  const onAny = async (method, path, body) => {
    for (;;) {
      const i = pick();
      try {
        const reply = await apis[i].request(method, path, body);
        if (reply.status === 502 || reply.status === 503) throw new Error(`${reply.status}`);
        return reply;
      } catch {
        // That replica is gone (or going): the load balancer would send this to another.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await onAny("POST", `${SPACE}/webhooks`, {
    webhook: {
      name: "okta",
      url: `http://127.0.0.1:${receiver.address().port}/okta`,
      handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group"] }],
    },
  });

  const petitions = [];
  for (let i = 0; i < PETITIONS; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, PETITIONS - i) }, (_, j) =>
        onAny("POST", `${SPACE}/petitions`, {
          petition: {
            reason: "replicas",
            petitioners: [{ kind: "user", email: `r${i + j}@example.com` }],
            resources: [{ kind: "okta.v1.Group", id: "g1" }],
          },
        }),
      ),
    );
    petitions.push(...batch.map((r) => r.body.name));
  }

  // A waiter per petition, on a random replica; one whose replica dies asks another, and reads the petition again.
  const released = new Map();
  let reconnects = 0;
  const wait = async (name) => {
    for (;;) {
      const i = pick();
      try {
        const reply = await apis[i].request("GET", `${SPACE}/petitions/${name}?waitFor=decision&timeout=30s`);
        if (reply.status !== 200) throw new Error(String(reply.status));
        if (reply.body.state.status.phase !== "open") return released.set(name, reply.body.state.status);
      } catch {
        reconnects += 1;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const waiters = petitions.map(wait);
  await new Promise((r) => setTimeout(r, 1000));

  const decided = new Map();
  const conflicts = [];
  let killed = false;
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < petitions.length) {
        const i = next++;
        if (!killed && i >= petitions.length / 3) {
          killed = true;
          alive.delete(1);
          await replicas[1].kill("SIGKILL");
        }
        const name = petitions[i];
        const claim =
          i % 3 === 0
            ? { event: "access/deny", reason: "no" }
            : { event: "access/approve", meta: { labels: { "indent.com/time/duration": "4s" } } };
        for (let attempt = 0; attempt < 20; attempt++) {
          const reply = await onAny("POST", `${SPACE}/petitions/${name}/claims`, { claim });
          if (reply.status === 200) {
            decided.set(name, claim.event);
            break;
          }
          // A decision whose replica died before answering may have committed (asking again is
          // then refused with 409), or lost a race and not: the petition says which.
          const now = await onAny("GET", `${SPACE}/petitions/${name}`);
          if (now.body.state.status.phase !== "open") {
            decided.set(name, claim.event);
            break;
          }
          conflicts.push(`${reply.status} ${reply.body?.error?.code}: ${reply.body?.error?.message}`);
        }
      }
    }),
  );
  await Promise.race([Promise.all(waiters), new Promise((r) => setTimeout(r, 120_000))]);

  // Wait for every grant to expire and its revoke to be acknowledged.
  const deadline = Date.now() + 120_000;
  let grants = [];
  for (;;) {
    grants = await listAll(apis[0], `${SPACE}/grants`, "grants");
    const settled = grants.every((g) => g.status !== "active" && g.status !== "revoke_pending");
    if ((settled && grants.length > 0) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  const all = new Map((await listAll(apis[0], `${SPACE}/petitions`, "petitions")).map((p) => [p.name, p]));
  let lostApprovals = 0;
  let wrongRelease = 0;
  for (const name of petitions) {
    const p = all.get(name);
    const approved = p.state.eventHistory.some((e) => e.event === "access/approve");
    if (decided.get(name) === "access/approve" && !approved && p.state.status.outcome !== "denied") lostApprovals += 1;
    const seen = released.get(name);
    if (!seen || (approved ? seen.phase !== "granted" && seen.outcome !== "expired" : seen.outcome !== "denied")) wrongRelease += 1;
  }
  const keys = grants.map((g) => `${g.petitionName}|${g.petitioner.email}|${g.resource.id}`);
  const duplicateGrants = keys.length - new Set(keys).size;
  let revokedTwice = 0;
  let notRevoked = 0;
  for (const key of keys) {
    const petition = all.get(key.split("|")[0]);
    const revokeEvents = petition.state.eventHistory.filter((e) => e.event === "access/revoke").length;
    const deliveries = revokes.get(key)?.size ?? 0;
    if (revokeEvents > 1 || deliveries > 1) revokedTwice += 1;
    if (revokeEvents === 0 || deliveries === 0) notRevoked += 1;
  }
  const approvedCount = [...all.values()].filter((p) => p.state.eventHistory.some((e) => e.event === "access/approve")).length;
  report(
    "H1",
    "replicas",
    `3 replicas on PostgreSQL, 1 killed with SIGKILL, ${PETITIONS} petitions, approved=${approvedCount}, approvals lost=${lostApprovals}, duplicate grants=${duplicateGrants}, waiters released=${released.size}/${PETITIONS} (wrong outcome=${wrongRelease}, reconnects=${reconnects}), expired grants=${grants.length}, revoked twice=${revokedTwice}, not revoked=${notRevoked}`,
    lostApprovals === 0 &&
      duplicateGrants === 0 &&
      released.size === PETITIONS &&
      wrongRelease === 0 &&
      grants.length === approvedCount &&
      revokedTwice === 0 &&
      notRevoked === 0,
  );
  for (const conflict of conflicts.slice(0, 5)) console.error(`  refused and still open: ${conflict}`);
  await Promise.all(apis.map((a) => a.destroy().catch(() => {})));
} finally {
  await Promise.all(replicas.map((r) => (r.child.exitCode === null && r.child.signalCode === null ? r.kill("SIGTERM") : null)));
  receiver.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
}
