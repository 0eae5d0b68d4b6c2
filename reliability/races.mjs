// PROP R1 terminal races: 1,000 petitions, each sent an approval and a denial at the same
// moment. Exactly one of the two wins each race (the other is refused with 409), the petition
// ends in the winner's state, and grants exist only where the approval won.
import { rmSync } from "node:fs";
import { client, listAll, report, serve, SPACE, tempDir } from "./lib.mjs";

const RACES = Number(process.env.RELIABILITY_RACES ?? 1000);
const dataDir = tempDir();
const server = await serve(dataDir, process.env.RELIABILITY_DATABASE_URL ? { DATABASE_URL: process.env.RELIABILITY_DATABASE_URL } : {});
const api = client(server.url, 64);
const approve = { claim: { event: "access/approve", meta: { labels: { "indent.com/time/duration": "1h" } } } };
const deny = { claim: { event: "access/deny", reason: "no" } };
let bothWon = 0;
let noneWon = 0;
let wrongState = 0;
let approvals = 0;
let errors = 0;
try {
  const names = [];
  for (let i = 0; i < RACES; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, RACES - i) }, (_, j) =>
        api.request("POST", `${SPACE}/petitions`, {
          petition: {
            reason: "race",
            petitioners: [{ kind: "user", email: `race-${i + j}@example.com` }],
            resources: [{ kind: "okta.v1.Group", id: "g1" }],
          },
        }),
      ),
    );
    names.push(...batch.map((r) => r.body.name));
  }
  const outcomes = new Map();
  for (let i = 0; i < names.length; i += 32) {
    await Promise.all(
      names.slice(i, i + 32).map(async (name, k) => {
        // Alternate which is sent first, so neither always has the head start.
        const first = (i + k) % 2 === 0 ? approve : deny;
        const second = first === approve ? deny : approve;
        const [a, b] = await Promise.all([
          api.request("POST", `${SPACE}/petitions/${name}/claims`, first),
          api.request("POST", `${SPACE}/petitions/${name}/claims`, second),
        ]);
        const [approved, denied] = first === approve ? [a, b] : [b, a];
        const wins = [approved.status === 200, denied.status === 200];
        if ([approved, denied].some((r) => r.status !== 200 && r.status !== 409)) errors += 1;
        if (wins[0] && wins[1]) bothWon += 1;
        else if (!wins[0] && !wins[1]) noneWon += 1;
        else outcomes.set(name, wins[0] ? "approve" : "deny");
      }),
    );
  }
  const petitions = new Map((await listAll(api, `${SPACE}/petitions`, "petitions")).map((p) => [p.name, p]));
  const grants = await listAll(api, `${SPACE}/grants`, "grants");
  const grantCount = new Map();
  for (const g of grants) grantCount.set(g.petitionName, (grantCount.get(g.petitionName) ?? 0) + 1);
  for (const [name, winner] of outcomes) {
    const p = petitions.get(name);
    if (winner === "approve") approvals += 1;
    const ok =
      winner === "approve"
        ? p.state.status.phase === "granted" && grantCount.get(name) === 1
        : p.state.status.outcome === "denied" && !grantCount.has(name);
    if (!ok) wrongState += 1;
  }
  report(
    "R1",
    "terminal-races",
    `${RACES} approve-vs-deny races, exactly one outcome=${outcomes.size} (approved ${approvals}, denied ${outcomes.size - approvals}), both won=${bothWon}, none won=${noneWon}, wrong final state=${wrongState}, errors other than 409=${errors}`,
    outcomes.size === RACES && bothWon === 0 && noneWon === 0 && wrongState === 0 && errors === 0,
  );
} finally {
  await api.close();
  await server.kill("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
}
