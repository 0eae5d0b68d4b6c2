import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import { compilePolicy, glob, type PolicyContext } from "../../src/domain/policy.js";

const HOUR = 3_600_000;
const context: PolicyContext = {
  groups: new Set(["sre", "security", "contractors"]),
  serviceAccounts: new Set(["deploy-bot"]),
  limits: { defaultMs: HOUR, maxMs: 720 * HOUR, allowIndefinite: true },
  defaultPendingTimeoutMs: 3 * HOUR,
};

function refusal(document: unknown): DomainError {
  try {
    compilePolicy(document, context);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("the policy compiled");
}

describe("compilePolicy", () => {
  it("compiles a policy with every kind of rule", () => {
    const policy = compilePolicy(
      {
        rules: [
          {
            name: "oncall-db",
            match: { kinds: ["postgres.v1.Database"], resources: "env=prod", condition: "onCall" },
            autoApprove: { reason: "on call", duration: "6h" },
            duration: { max: "6h" },
          },
          {
            name: "prod-iam",
            match: { kinds: ["aws.iam.*"] },
            require: [{ name: "security", reviewers: { groups: ["security"] }, approvals: 2 }],
            pendingTimeout: "2h",
            escalations: [{ after: "30m", notify: { channels: ["#security"] } }],
          },
          { name: "contractors", match: { petitioner: { groups: ["contractors"] } }, autoDeny: { reason: "no contractors" } },
        ],
      },
      context,
      7,
    );
    expect(policy.version).toBe(7);
    expect(policy.rules.map((r) => r.decision?.type)).toEqual(["autoApprove", "require", "autoDeny"]);
    expect(policy.rules[0]!.condition?.readsOnCall).toBe(true);
    expect(policy.rules[0]!.limits).toEqual({ maxMs: 6 * HOUR });
    expect(policy.rules[1]!.pendingTimeoutMs).toBe(2 * HOUR);
    expect(policy.index.byKind.get("postgres.v1.database")).toEqual([0]);
    expect(policy.index.byGlob).toEqual([1]);
    expect(policy.index.anyKind).toEqual([2]);
  });

  it.each([
    [{ rules: [{ name: "a", kinds: ["x"] }] }, "rules[0].kinds", /unknown field "kinds"/],
    [{ rules: [{ name: "a" }, { name: "a" }] }, "rules[1].name", /used by an earlier rule/],
    [{ rules: [{ name: "a", match: { condition: "petitioner.email ==" } }] }, "rules[0].match.condition", /not valid CEL: .* at column/],
    [{ rules: [{ name: "a", match: { condition: "reason + 1" } }] }, "rules[0].match.condition", /no such overload/],
    [{ rules: [{ name: "a", match: { condition: '"text"' } }] }, "rules[0].match.condition", /must yield a bool/],
    [{ rules: [{ name: "a", match: { condition: "nobody.knows" } }] }, "rules[0].match.condition", /Unknown variable/],
    [{ rules: [{ name: "a", match: { resources: "env in (" } }] }, "rules[0].match.resources", /./],
    [
      { rules: [{ name: "a", require: [{ name: "s", reviewers: { groups: ["ghosts"] } }] }] },
      "rules[0].require[0].reviewers.groups[0]",
      /does not have/,
    ],
    [{ rules: [{ name: "a", require: [{ name: "s", reviewers: {} }] }] }, "rules[0].require[0].reviewers", /names nobody/],
    [
      { rules: [{ name: "a", require: [{ name: "s", reviewers: { users: ["not-an-email"] } }] }] },
      "rules[0].require[0].reviewers.users[0]",
      /must be an email/,
    ],
    [
      { rules: [{ name: "a", require: [{ name: "s", reviewers: { serviceAccounts: ["ghost"] } }] }] },
      "rules[0].require[0].reviewers.serviceAccounts[0]",
      /does not have/,
    ],
    [{ rules: [{ name: "a", autoApprove: { reason: "x" }, autoDeny: { reason: "y" } }] }, "rules[0]", /more than one/],
    [{ rules: [{ name: "a", duration: { max: "1h", default: "2h" } }] }, "rules[0].duration.default", /longer than the maximum/],
    [{ rules: [{ name: "a", duration: { max: "9999h" } }] }, "rules[0].duration.max", /more than this server's longest grant/],
    [{ rules: [{ name: "a", duration: { max: "banana" } }] }, "rules[0].duration.max", /./],
    [
      { rules: [{ name: "a", autoApprove: { reason: "x", duration: "8h" }, duration: { max: "6h" } }] },
      "rules[0].autoApprove.duration",
      /longer than the rule's maximum/,
    ],
    [
      { rules: [{ name: "a", pendingTimeout: "1h", escalations: [{ after: "2h", notify: {} }] }] },
      "rules[0].escalations[0].after",
      /would never happen/,
    ],
    [{ rules: [{ name: "a", pendingTimeout: "10ms" }] }, "rules[0].pendingTimeout", /at least 1s/],
    [{ rules: [{ name: "bad name!" }] }, "rules[0].name", /pattern/],
    [{ rules: "no" }, "rules", /array/],
  ])("refuses %j at %s", (document, field, message) => {
    const error = refusal(document);
    expect(error.code).toBe("INVALID_ARGUMENT");
    expect(error.field).toBe(field);
    expect(error.message).toMatch(message);
  });

  it("compiles a stored policy even when a group it names is gone", () => {
    const document = { rules: [{ name: "a", require: [{ name: "s", reviewers: { groups: ["deleted"] } }] }] };
    expect(() => compilePolicy(document, context)).toThrow(/does not have/);
    expect(compilePolicy(document, { ...context, groups: null }).rules).toHaveLength(1);
  });
});

describe("glob", () => {
  it.each([
    ["aws.iam.*", "aws.iam.v1.Group", true],
    ["aws.iam.*", "AWS.IAM.v1.group", true],
    ["aws.iam.*", "aws.iamx", false],
    ["okta.v1.Group", "okta.v1.group", true],
    ["okta.v1.Group", "okta.v1.Groups", false],
    ["*@contractors.example.com", "bob@contractors.example.com", true],
    ["*@contractors.example.com", "bob@example.com", false],
    ["user?", "users", true],
    ["a.b", "aXb", false],
  ])("%s against %s is %s", (pattern, value, expected) => {
    expect(glob(pattern).test(value)).toBe(expected);
  });
});
