import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { rmSync } from "node:fs";
import { dropTestDatabase, startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * No policy can hold the event loop: conditions are estimated when a policy is checked,
 * saved or tried, and metered when they run; a policy saved before the estimate existed fails
 * closed instead of running for hours; and only space admins may try drafts at all.
 */

let t: TestServer;
let space: string;
let base: string;
let reviewer: string;

const numbers = (n: number) => `[${Array.from({ length: n }, (_, i) => i).join(",")}]`;
/** Four comprehensions deep over 200 elements: 1.6 billion steps, hours of CPU. */
const NESTED = `cel.bind(l, ${numbers(200)}, l.all(a, l.all(b, l.all(c, l.all(d, a + b + c + d >= 0)))))`;
const nestedPolicy = { rules: [{ name: "nested-loops", match: { condition: NESTED }, autoApprove: { reason: "loops" } }] };

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
  reviewer = await userToken(t, space, `reviewer@${space}.example.com`, ["reviewer"]);
});
afterAll(async () => {
  await t.close();
});

const possibleRequest = (resources = 1, reason = "debugging") => ({
  reason,
  petitioners: [{ kind: "user", email: `petitioner@${space}.example.com` }],
  resources: Array.from({ length: resources }, (_, i) => ({ kind: "aws.v1.Role", id: `role-${i}` })),
});

/** Stores the nested policy in a space directly, as a policy saved before the limit existed would be. */
async function storeNestedPolicy(server: TestServer, space: string): Promise<void> {
  const spaceId = (await server.server.services.store.read.spaces.findByName(space))!.id;
  await server.server.services.store.transaction((tx) =>
    tx.policies.insert(spaceId, { version: 1, document: nestedPolicy, createdAt: Date.now(), createdBy: "admin" }),
  );
}

/** A petition under the nested policy is made and left for review, and explain says why its rule did not match. */
async function expectFailsClosed(server: TestServer, space: string): Promise<void> {
  const made = await server.call("POST", `/v1/spaces/${space}/petitions`, { petition: possibleRequest() });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  expect(made.body.state.status.phase).toBe("open");
  const explained = await server.call("POST", `/v1/spaces/${space}/policies:explain`, { petition: made.body.name });
  expect(explained.body.outcome).toBe("review");
  expect(explained.body.pairs[0].rules[0]).toMatchObject({
    rule: "nested-loops",
    matched: false,
    conditionError: expect.stringMatching(/estimated to cost up to .* it was saved before this was checked.*counted as not matching/),
  });
}

describe("trying a draft policy", () => {
  it("is refused to a reviewer, who may still explain the policy in force", async () => {
    const draft = { rules: [{ name: "all-auto", autoApprove: { reason: "trust everyone" } }] };
    const refused = await t.call("POST", `${base}/policies:explain`, { request: possibleRequest(), policy: draft }, bearer(reviewer));
    expectEnvelope(refused, 403, "FORBIDDEN");
    expect(refused.body.error.message).toMatch(/explaining with a draft policy/);
    const inForce = await t.call("POST", `${base}/policies:explain`, { request: possibleRequest() }, bearer(reviewer));
    expect(inForce.status).toBe(200);
    expect(inForce.body).toMatchObject({ draft: false, outcome: "review" });
    const replay = await t.call("POST", `${base}/policies:replay`, { policy: draft }, bearer(reviewer));
    expectEnvelope(replay, 403, "FORBIDDEN");
    // An admin may try it.
    expect((await t.call("POST", `${base}/policies:explain`, { request: possibleRequest(), policy: draft })).body).toMatchObject({
      draft: true,
      outcome: "approve",
    });
  });
});

describe("a condition too costly to run", () => {
  it("is refused when validated, saved or tried, naming the rule, its estimated cost and the limit", async () => {
    const attempts = [
      await t.call("POST", `${base}/policies:validate`, { policy: nestedPolicy }),
      await t.call("PUT", `${base}/policy`, { policy: nestedPolicy }),
      await t.call("POST", `${base}/policies:explain`, { request: possibleRequest(), policy: nestedPolicy }),
    ];
    for (const reply of attempts) {
      expectEnvelope(reply, 400, "INVALID_ARGUMENT");
      expect(reply.body.error.field).toBe("rules[0].match.condition");
      expect(reply.body.error.message).toMatch(
        /rules\[0\]\.match\.condition \(rule "nested-loops"\) is estimated to cost up to [\d,]+ units per evaluation, over the limit of 100,000 units/,
      );
    }
    expect((await t.call("GET", `${base}/policy`)).body.version).toBe(0);
  });

  it("is refused in a webhook policy too", async () => {
    const webhook = await t.call("POST", `${base}/webhooks`, {
      webhook: { name: "decider", url: "https://decider.example.com/hook", handlers: [{ type: "decision", resourceKinds: [] }] },
    });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
    const reply = await t.call("POST", `${base}/webhookPolicies`, {
      webhookPolicy: { meta: { name: "loops" }, base: { conditions: [{ expression: NESTED }] }, webhooks: [{ name: "decider" }] },
    });
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.message).toMatch(/\(webhook policy "loops"\) is estimated to cost up to/);
  });

  it("saved before the limit existed, the server starts, the policy fails closed at once, and explain says why", async () => {
    // A server whose store holds such a policy, started again on it.
    const first = await startTestServer({ keepData: true });
    const other = await createSpace(first);
    await storeNestedPolicy(first, other);
    await first.close();
    const again = await startTestServer({ dataDir: first.dataDir });
    try {
      await expectFailsClosed(again, other);
    } finally {
      await again.close();
      rmSync(first.dataDir, { recursive: true, force: true });
      await dropTestDatabase(first.dataDir);
    }
  });

  it("saved before the limit existed, fails closed on a running server too", async () => {
    const other = await createSpace(t);
    await storeNestedPolicy(t, other);
    await expectFailsClosed(t, other);
  });
});

describe("conditions at run time", () => {
  it("stop at the petition's budget: the call returns, the server answers meanwhile, and explain says why", async () => {
    // Each condition is just under the limit (a 4096-character reason searched 1,200 times);
    // 80 such rules for 100 resources would be 8,000 evaluations, seconds of the event loop.
    const condition = `cel.bind(l, ${numbers(200)}, [0, 1, 2, 3, 4, 5].exists(b, l.exists(a, reason.contains("zzz") && a < 0)))`;
    const rules = Array.from({ length: 80 }, (_, i) => ({ name: `search-${i}`, match: { condition }, autoApprove: { reason: "found" } }));
    const saved = await t.call("PUT", `${base}/policy`, { policy: { rules } });
    expect(saved.status, JSON.stringify(saved.body).slice(0, 300)).toBe(200);

    const explaining = t.fetch("POST", `${base}/policies:explain`, { request: possibleRequest(100, "x".repeat(4096)) });
    const health = await t.fetch("GET", "/healthz");
    expect(health.status).toBe(200);
    const explained = await explaining;
    expect(explained.status).toBe(200);
    expect(explained.body.outcome).toBe("review");
    // 8,000 rule tests: the first 2,000 are traced, the rest only counted.
    const traces = explained.body.pairs.flatMap((pair: { rules: Array<{ conditionError?: string }> }) => pair.rules);
    expect(traces).toHaveLength(2000);
    expect(explained.body.omittedTraces).toBe(6000);
    const stopped = traces.filter((trace: { conditionError?: string }) =>
      /evaluation budget|evaluation time/.test(trace.conditionError ?? ""),
    );
    // Most never ran: the budget was spent by the first dozen or so.
    expect(stopped.length).toBeGreaterThan(1900);
    expect(stopped.at(-1).conditionError).toMatch(
      /the conditions before it spent this petition's evaluation budget.*counted as not matching/,
    );
  });
});

describe("a petition against a large policy", () => {
  it("is refused when it would need more rule tests than a petition may, and says how to fix it", async () => {
    const other = await createSpace(t);
    // 2,001 rules that name no kind meet every pair: 100 resources make 200,100 rule tests.
    const rules = Array.from({ length: 2001 }, (_, i) => ({
      name: `team-${i}`,
      match: { resources: `team=t${i}` },
      autoDeny: { reason: "no" },
    }));
    expect((await t.call("PUT", `/v1/spaces/${other}/policy`, { policy: { rules } })).status).toBe(200);
    const refused = await t.call("POST", `/v1/spaces/${other}/petitions`, { petition: possibleRequest(100) });
    expectEnvelope(refused, 400, "INVALID_ARGUMENT");
    expect(refused.body.error.message).toMatch(
      /needs 200,100 rule tests under the policy .* more than the 200,000 a petition may; split it/,
    );
    expectEnvelope(
      await t.call("POST", `/v1/spaces/${other}/policies:explain`, { request: possibleRequest(100) }),
      400,
      "INVALID_ARGUMENT",
    );
    // Fewer resources pass.
    const made = await t.call("POST", `/v1/spaces/${other}/petitions`, { petition: possibleRequest(99) });
    expect(made.status).toBe(201);
    // A replay names the petition a draft could not evaluate.
    const larger = [...rules, ...rules.slice(0, 100).map((rule) => ({ ...rule, name: `${rule.name}-again` }))];
    const replay = await t.call("POST", `/v1/spaces/${other}/policies:replay`, { policy: { rules: larger } });
    expectEnvelope(replay, 400, "INVALID_ARGUMENT");
    expect(replay.body.error.message).toContain(`petition ${made.body.name}: this petition needs 207,999 rule tests`);
  });
});
