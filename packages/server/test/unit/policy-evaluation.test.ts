import { describe, expect, it } from "vitest";
import { compilePolicy, type PolicyContext } from "../../src/domain/policy.js";
import {
  evaluatePolicy,
  needsOnCall,
  type PetitionerSubject,
  type PolicyInput,
  type PolicySubject,
} from "../../src/domain/policy-evaluation.js";
import type { PolicyDocument } from "../../src/contract/policy-document.js";

const HOUR = 3_600_000;
const context: PolicyContext = {
  groups: null,
  serviceAccounts: null,
  limits: { defaultMs: HOUR, maxMs: 720 * HOUR, allowIndefinite: true },
  defaultPendingTimeoutMs: 3 * HOUR,
};

const alice: PetitionerSubject = { kind: "user", email: "alice@example.com", labels: { team: "sre" }, groups: ["sre"] };
const carol: PetitionerSubject = { kind: "user", email: "carol@contractors.example.com", labels: { employment: "contractor" }, groups: [] };
const prodDb: PolicySubject = { kind: "postgres.v1.Database", id: "orders", labels: { env: "prod" } };
const stagingDb: PolicySubject = { kind: "postgres.v1.Database", id: "orders-staging", labels: { env: "staging" } };
const prodIam: PolicySubject = { kind: "aws.iam.v1.Role", id: "admin", labels: { env: "prod" } };
const wiki: PolicySubject = { kind: "confluence.v1.Space", id: "eng", labels: {} };

const input = (petitioners: PetitionerSubject[], resources: PolicySubject[], onCall?: Record<string, string[]>): PolicyInput => ({
  petitioners,
  resources,
  reason: "investigating an incident",
  requestTime: Date.UTC(2026, 11, 1, 10),
  ...(onCall ? { onCall: new Map(Object.entries(onCall)) } : {}),
});

/** The three worked examples of the README, plus a rule that only sets limits. */
const POLICY: PolicyDocument = {
  rules: [
    {
      name: "oncall-sre-prod-db",
      match: { kinds: ["postgres.v1.Database"], resources: "env=prod", petitioner: { groups: ["sre"] }, condition: "onCall" },
      autoApprove: { reason: "on-call SRE", duration: "6h" },
      duration: { max: "6h" },
    },
    {
      name: "prod-iam",
      match: { kinds: ["aws.iam.*"], resources: "env=prod" },
      require: [{ name: "security", reviewers: { groups: ["security"] }, approvals: 2 }],
      duration: { max: "4h", default: "1h" },
      pendingTimeout: "2h",
    },
    {
      name: "contractors",
      match: { petitioner: { emails: ["*@contractors.example.com"] } },
      autoDeny: { reason: "contractors may not request access" },
    },
    { name: "staging-free", match: { resources: "env=staging" }, autoApprove: { reason: "staging is open", duration: "8h" } },
    { name: "prod-limits", match: { resources: "env=prod" }, duration: { max: "12h" }, notify: { channels: ["#prod-access"] } },
  ],
};
const policy = compilePolicy(POLICY, context, 3);

describe("evaluatePolicy: precedence", () => {
  it.each([
    [
      "an on-call SRE is approved at once for the prod database",
      [alice],
      [prodDb],
      { alice: ["pagerduty"] },
      "approve",
      "oncall-sre-prod-db",
    ],
    ["an SRE who is not on call needs review", [alice], [prodDb], { alice: [] }, "review", null],
    ["without on-call answers nobody is on call", [alice], [prodDb], undefined, "review", null],
    ["a contractor is denied even for staging, which would approve (deny wins)", [carol], [stagingDb], undefined, "deny", "contractors"],
    ["staging alone is approved at once", [alice], [stagingDb], undefined, "approve", "staging-free"],
    ["staging with prod IAM needs people (needing a human wins)", [alice], [stagingDb, prodIam], undefined, "review", null],
    ["a resource no rule decides goes to the default reviewers", [alice], [wiki], undefined, "review", null],
    [
      "one petitioner of two not on call keeps it for review",
      [alice, { ...alice, email: "bob@example.com" }],
      [prodDb],
      { alice: ["pd"] },
      "review",
      null,
    ],
  ] as const)("%s", (_title, petitioners, resources, onCall, outcome, decidedBy) => {
    const onCallByEmail = onCall
      ? Object.fromEntries(Object.entries(onCall).map(([name, providers]) => [`${name}@example.com`, [...providers]]))
      : undefined;
    const result = evaluatePolicy(policy, input([...petitioners], [...resources], onCallByEmail));
    expect(result.outcome).toBe(outcome);
    expect(result.decidedBy).toBe(decidedBy);
  });
});

describe("evaluatePolicy: the plan", () => {
  it("asks for two distinct security approvers for prod IAM, under the strictest limits", () => {
    const { plan, pairs } = evaluatePolicy(policy, input([alice], [prodIam]));
    expect(plan.policyVersion).toBe(3);
    expect(plan.rules).toEqual(["prod-iam", "prod-limits"]);
    expect(plan.steps).toEqual([
      expect.objectContaining({
        name: "security",
        rule: "prod-iam",
        approvals: 2,
        allowSelfApproval: false,
        reviewers: expect.objectContaining({ groups: ["security"] }),
      }),
    ]);
    expect(plan.limits).toEqual({ defaultMs: HOUR, maxMs: 4 * HOUR, allowIndefinite: true });
    expect(plan.pendingTimeoutMs).toBe(2 * HOUR);
    expect(plan.notify.channels).toEqual(["#prod-access"]);
    expect(pairs[0]!.result).toBe("require");
  });

  it("adds the default reviewers for a pair no rule decides", () => {
    const { plan } = evaluatePolicy(policy, input([alice], [prodIam, wiki]));
    expect(plan.steps.map((s) => `${s.rule}/${s.name}`)).toEqual(["prod-iam/security", "(default)/review"]);
    expect(plan.steps[1]!.reviewers.roles).toEqual(["admin", "reviewer"]);
  });

  it("gives an on-call approval the rule's duration and the space's default timeout", () => {
    const result = evaluatePolicy(policy, input([alice], [prodDb], { "alice@example.com": ["pagerduty"] }));
    expect(result.autoApproveDurationMs).toBe(6 * HOUR);
    expect(result.plan.limits.maxMs).toBe(6 * HOUR);
    expect(result.plan.pendingTimeoutMs).toBe(3 * HOUR);
    expect(result.reason).toBe("on-call SRE");
  });

  it("explains why each rule did or did not apply", () => {
    const [pair] = evaluatePolicy(policy, input([alice], [prodDb], { "alice@example.com": [] })).pairs;
    const byRule = Object.fromEntries(pair!.rules.map((trace) => [trace.rule, trace]));
    expect(byRule["oncall-sre-prod-db"]).toMatchObject({ matched: false, failed: "condition onCall is false" });
    expect(byRule["oncall-sre-prod-db"]!.held).toContain("petitioner is in sre");
    expect(byRule["contractors"]).toMatchObject({ matched: false, failed: expect.stringContaining("alice@example.com is not one of") });
    expect(byRule["prod-limits"]).toMatchObject({ matched: true, effect: "limits" });
    // Rules for other kinds are never even looked at.
    expect(byRule["prod-iam"]).toBeUndefined();
  });
});

describe("conditions", () => {
  const rules = (decision: object, condition: string): PolicyDocument => ({ rules: [{ name: "r", match: { condition }, ...decision }] });
  const evaluate = (document: PolicyDocument) => evaluatePolicy(compilePolicy(document, context), input([alice], [wiki]));

  it.each([
    ['petitioner.labels.team == "sre"', "approve"],
    ['petitioner.labels.team == "db"', "review"],
    ['"sre" in petitioner.groups', "approve"],
    ['resource.kind.startsWith("confluence")', "approve"],
    ["size(resources) == 1", "approve"],
    ['reason.contains("incident")', "approve"],
    ['request.time.getHours("UTC") == 10', "approve"],
    ['has(resource.labels.env) && resource.labels.env == "prod"', "review"],
  ])("%s → %s", (condition, outcome) => {
    expect(evaluate(rules({ autoApprove: { reason: "ok" } }, condition)).outcome).toBe(outcome);
  });

  it("fails closed: an error never lets an approval match, and always lets a denial or a review match", () => {
    const broken = "resource.labels.env == 'prod'"; // wiki has no env label: "No such key"
    const approve = evaluate(rules({ autoApprove: { reason: "ok" } }, broken));
    expect(approve.outcome).toBe("review");
    expect(approve.pairs[0]!.rules[0]).toMatchObject({
      matched: false,
      conditionError: expect.stringContaining("counted as not matching"),
    });
    const deny = evaluate(rules({ autoDeny: { reason: "no" } }, broken));
    expect(deny.outcome).toBe("deny");
    expect(deny.pairs[0]!.rules[0]!.conditionError).toContain("counted as matching");
    const require = evaluate(rules({ require: [{ name: "s", reviewers: { users: ["x@example.com"] } }] }, broken));
    expect(require.plan.steps.map((s) => s.name)).toEqual(["s"]);
  });

  it("asks for on-call status only when a rule that could match reads it", () => {
    expect(needsOnCall(policy, input([alice], [prodDb]))).toBe(true);
    expect(needsOnCall(policy, input([alice], [stagingDb]))).toBe(false);
    expect(needsOnCall(policy, input([{ ...alice, groups: [] }], [prodDb]))).toBe(false);
    expect(needsOnCall(policy, input([alice], [prodIam]))).toBe(false);
  });
});

describe("a rule's kind pattern behaves exactly like the kinds it stands for", () => {
  it("evaluates a glob and its literal expansion alike", () => {
    const kinds = ["aws.iam.v1.Role", "aws.iam.v1.Group", "aws.iam.v1.User", "aws.s3.v1.Bucket"];
    const globbed = compilePolicy({ rules: [{ name: "r", match: { kinds: ["aws.iam.*"] }, autoDeny: { reason: "no" } }] }, context);
    const literal = compilePolicy(
      { rules: [{ name: "r", match: { kinds: ["aws.iam.v1.Role", "aws.iam.v1.Group", "aws.iam.v1.User"] }, autoDeny: { reason: "no" } }] },
      context,
    );
    for (const kind of kinds) {
      const resource = { kind, id: "x", labels: {} };
      expect(evaluatePolicy(globbed, input([alice], [resource])).outcome, kind).toBe(
        evaluatePolicy(literal, input([alice], [resource])).outcome,
      );
    }
  });
});

describe("high risk", () => {
  it("a rule cannot both approve at once and be high-risk", () => {
    expect(() => compilePolicy({ rules: [{ name: "both", autoApprove: { reason: "fine" }, highRisk: true }] }, context, 1)).toThrow(
      /approves at once and is highRisk/,
    );
  });

  it("a petition a high-risk rule matches is never approved at once by another rule: it goes to the default reviewers", () => {
    const highRisk = compilePolicy(
      {
        rules: [
          { name: "staging-free", match: { resources: "env=staging" }, autoApprove: { reason: "staging is open" } },
          { name: "customer-data", match: { kinds: ["postgres.*"] }, highRisk: true },
        ],
      },
      context,
      1,
    );
    const evaluation = evaluatePolicy(highRisk, input([alice], [stagingDb]));
    expect(evaluation.outcome).toBe("review");
    expect(evaluation.plan.highRisk).toBe(true);
    expect(evaluation.plan.steps.length).toBeGreaterThan(0);
    // Without the high-risk rule, the same request is approved at once.
    expect(evaluatePolicy(highRisk, input([alice], [{ ...stagingDb, kind: "mysql.v1.Database" }])).outcome).toBe("approve");
  });
});
