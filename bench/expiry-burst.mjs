// Expiry burst: 10,000 grants that expire in the same second, each revoke sent to an apply
// webhook (a loopback receiver that acknowledges at once). Prints how long after the expiry
// second the last revoke was acknowledged (goal ≤ 30 s), the delivery throughput, and when the
// API showed every grant as revoked (that is, acknowledged).
import { createServer } from "node:http";
import { client, record, startServer } from "./lib.mjs";

const GRANTS = Number(process.env.BENCH_GRANTS ?? 10_000);
const PER_PETITION = 1000; // the most one petition may cover: 10 petitioners × 100 resources
const LEAD_MS = Number(process.env.BENCH_LEAD_MS ?? 15_000);

const acks = new Set();
let firstAckAt = 0;
let lastAckAt = 0;
const receiver = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (body.events?.[0]?.event === "access/revoke") {
      const now = performance.now();
      if (acks.size === 0) firstAckAt = now;
      acks.add(req.headers["x-greenlight-delivery"]);
      lastAckAt = now;
    }
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":{"code":0}}');
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const receiverUrl = `http://127.0.0.1:${receiver.address().port}/okta`;

const server = await startServer({ GREENLIGHT_OUTBOUND_ALLOW: "loopback" });
const api = client(server.url, 4);
try {
  // Every grant ends at the start of one second, far enough ahead to set them all up.
  const expireAt = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000;
  const expires = new Date(expireAt).toISOString();
  const resources = Array.from({ length: 100 }, (_, i) => ({ kind: "okta.v1.Group", id: `group-${i}` }));
  for (let p = 0; p < GRANTS / PER_PETITION; p++) {
    const petitioners = Array.from({ length: PER_PETITION / 100 }, (_, i) => ({ kind: "user", email: `burst-${p}-${i}@example.com` }));
    const petition = await api.request("POST", "/v1/spaces/default/petitions", {
      petition: { reason: "expiry burst", petitioners, resources },
    });
    await api.request("POST", `/v1/spaces/default/petitions/${petition.name}/claims`, {
      claim: { event: "access/approve", meta: { labels: { "indent.com/time/expires": expires } } },
    });
  }
  // The integration is connected after the grants started, so only their ends are sent.
  await api.request("POST", "/v1/spaces/default/webhooks", {
    webhook: { name: "okta", url: receiverUrl, handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group"] }] },
  });
  const setupLeft = expireAt - Date.now();
  if (setupLeft < 1000) throw new Error(`setting up took too long; raise BENCH_LEAD_MS (${LEAD_MS})`);

  const expiredAt = performance.now() + (expireAt - Date.now());
  while (acks.size < GRANTS) {
    if (performance.now() - expiredAt > 300_000) throw new Error(`only ${acks.size} of ${GRANTS} revokes acknowledged after 300 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const allAcked = (lastAckAt - expiredAt) / 1000;
  let shownAt = performance.now();
  for (;;) {
    const pending = await api.request("GET", "/v1/spaces/default/grants?status=revoke_pending&pageSize=1");
    const active = await api.request("GET", "/v1/spaces/default/grants?status=active&pageSize=1");
    shownAt = performance.now();
    if (pending.grants.length === 0 && active.grants.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  console.log(`${GRANTS} grants expiring in the same second: every revoke acknowledged ${allAcked.toFixed(1)} s after it (goal ≤ 30 s)`);
  console.log(
    `delivery throughput: ${Math.round(GRANTS / ((lastAckAt - firstAckAt) / 1000))} revokes/s acknowledged (first ack ${((firstAckAt - expiredAt) / 1000).toFixed(2)} s after expiry)`,
  );
  console.log(`every grant shown as revoked by the API ${((shownAt - expiredAt) / 1000).toFixed(1)} s after expiry`);
  record({
    group: "expiry",
    figure: `expiry burst: ${GRANTS.toLocaleString("en")} grants expiring in the same second, last revoke acknowledged`,
    value: `${allAcked.toFixed(1)} s after expiry`,
    goal: "≤ 30 s",
  });
  record({
    group: "expiry",
    figure: "delivery throughput in that burst (one receiver)",
    value: `${Math.round(GRANTS / ((lastAckAt - firstAckAt) / 1000))} revokes/s`,
  });
} finally {
  await api.close();
  await server.stop();
  receiver.close();
}
