// Policy evaluation time for a policy of 1,000 rules (goal p99 <= 100 µs): 900 rules for
// exact resource kinds, 90 for kind globs, 10 for any kind with a CEL condition, some reading
// on-call status. Each evaluation is one petition (one petitioner, one or two resources)
// through the compiled policy, timed alone; the report gives the distribution.
import { compilePolicy } from "../packages/server/dist/domain/policy.js";
import { evaluatePolicy } from "../packages/server/dist/domain/policy-evaluation.js";
import { percentile, record } from "./lib.mjs";

const RULES = Number(process.env.BENCH_RULES ?? 1000);
const EVALUATIONS = Number(process.env.BENCH_EVALUATIONS ?? 50_000);
const HOUR = 3_600_000;

const rules = [];
for (let i = 0; rules.length < RULES * 0.9; i++) {
  const decision =
    i % 3 === 0
      ? { require: [{ name: "owners", reviewers: { groups: ["owners"] }, approvals: 1 + (i % 2) }] }
      : i % 3 === 1
        ? { autoApprove: { reason: "low risk" } }
        : { autoDeny: { reason: "never" } };
  rules.push({ name: `kind-${i}`, match: { kinds: [`svc${i}.v1.Resource`], resources: `env in (prod,staging)` }, ...decision });
}
for (let i = 0; rules.length < RULES * 0.99; i++) {
  rules.push({ name: `team-${i}`, match: { kinds: [`team${i}.*`], petitioner: { groups: ["sre"] } }, duration: { max: "8h" } });
}
for (let i = 0; rules.length < RULES; i++) {
  rules.push({
    name: `any-${i}`,
    match: {
      condition: i % 2 === 0 ? `onCall && resource.labels["tier"] == "${i}"` : `petitioner.email.endsWith("@contractors${i}.example.com")`,
    },
    autoDeny: { reason: "contractors" },
  });
}

const context = {
  groups: null,
  serviceAccounts: null,
  limits: { defaultMs: HOUR, maxMs: 720 * HOUR, allowIndefinite: true },
  defaultPendingTimeoutMs: 3 * HOUR,
};
let started = performance.now();
const policy = compilePolicy({ rules }, context, 1);
const compileMs = performance.now() - started;

const input = (i) => ({
  petitioners: [{ kind: "user", email: `user${i % 500}@example.com`, labels: { team: "sre" }, groups: i % 2 ? ["sre"] : [] }],
  resources: Array.from({ length: 1 + (i % 2) }, (_, r) => ({
    kind: r === 0 ? `svc${(i * 7) % 900}.v1.Resource` : `team${i % 90}.v1.Thing`,
    id: `r${i}`,
    labels: { env: i % 3 ? "prod" : "dev", tier: String(i % 10) },
  })),
  reason: "benchmark",
  requestTime: Date.now(),
  onCall: new Map([[`user${i % 500}@example.com`, i % 5 ? [] : ["pagerduty"]]]),
});

const inputs = Array.from({ length: EVALUATIONS }, (_, i) => input(i));
for (let i = 0; i < 5000; i++) evaluatePolicy(policy, inputs[i % inputs.length]); // warm up
const times = new Float64Array(EVALUATIONS);
const outcomes = { approve: 0, deny: 0, review: 0 };
for (let i = 0; i < EVALUATIONS; i++) {
  const t0 = process.hrtime.bigint();
  const result = evaluatePolicy(policy, inputs[i]);
  times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  outcomes[result.outcome] += 1;
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`policy of ${RULES} rules compiled in ${compileMs.toFixed(0)} ms`);
console.log(
  `evaluation of one petition: p50 ${percentile(sorted, 50).toFixed(1)} µs, p99 ${percentile(sorted, 99).toFixed(1)} µs, max ${sorted.at(-1).toFixed(0)} µs over ${EVALUATIONS} petitions (goal p99 <= 100 µs)`,
);
record({
  group: "policy",
  figure: `policy evaluation, one petition through ${RULES} rules`,
  value: `p50 ${percentile(sorted, 50).toFixed(1)} µs, p99 ${percentile(sorted, 99).toFixed(1)} µs`,
  goal: "p99 ≤ 100 µs",
});
console.log(`outcomes: ${outcomes.approve} approved, ${outcomes.deny} denied, ${outcomes.review} for review`);
