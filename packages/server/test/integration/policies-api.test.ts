import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { startFakePagerDuty, type FakeServer } from "./fakes/oncall-servers.js";
import { ManualClock } from "../support/manual-clock.js";
import { startTestServer, type TestServer, until } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * The policy API end to end: saving and versions, refusals that name the place, the README's
 * worked examples (contractors denied, two distinct approvers for production IAM, an on-call
 * SRE approved at once for six hours), duration caps, managers, timeouts and escalations,
 * explain and replay.
 */

let t: TestServer<ManualClock>;
let pagerDuty: FakeServer;
let space: string;
let base: string;
const people: Record<string, string> = {};

const mail = (name: string) => `${name}@${space}.example.com`;
const approve = (duration = "1h", labels: Record<string, string> = {}) => ({
  claim: { event: "access/approve", reason: "ok", meta: { labels: { "indent.com/time/duration": duration, ...labels } } },
});
const deny = { claim: { event: "access/deny", reason: "no" } };

async function petition(petitioner: string, resources: object[], extra: Record<string, unknown> = {}) {
  return t.call("POST", `${base}/petitions`, {
    petition: { reason: "work", petitioners: [{ kind: "user", email: mail(petitioner) }], resources, ...extra },
  });
}

const POLICY = {
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
      duration: { max: "4h" },
    },
    {
      name: "contractors",
      match: { petitioner: { labels: "employment=contractor" } },
      autoDeny: { reason: "contractors may not request access" },
    },
    {
      name: "manager-approves",
      match: { kinds: ["jira.v1.Project"] },
      require: [{ name: "manager", reviewers: { managerLabel: "manager" } }],
    },
  ],
};

beforeAll(async () => {
  pagerDuty = await startFakePagerDuty({
    apiKey: "pd-key",
    schedules: [{ id: "PSRE", name: "SRE primary", users: [{ email: "oncall-sre@POLICY.example.com" }] }],
  });
  t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_TIMER_POLL_INTERVAL: "200ms" } });
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
  for (const name of ["sec1", "sec2", "sec3", "boss", "alice", "carol", "oncall-sre", "offcall-sre"])
    people[name] = await userToken(t, space, mail(name), ["member"]);
  const group = (name: string, members: string[]) => t.call("POST", `${base}/groups`, { group: { name, members: members.map(mail) } });
  expect((await group("security", ["sec1", "sec2", "sec3", "alice"])).status).toBe(201);
  expect((await group("sre", ["oncall-sre", "offcall-sre"])).status).toBe(201);
  const resources = [
    { kind: "postgres.v1.Database", id: "orders", labels: { env: "prod" } },
    { kind: "postgres.v1.Database", id: "billing", labels: { env: "prod" } },
    { kind: "aws.iam.v1.Role", id: "admin", labels: { env: "prod" } },
    { kind: "jira.v1.Project", id: "ops", labels: {} },
    { kind: "user", id: mail("carol"), email: mail("carol"), labels: { employment: "contractor" } },
    { kind: "user", id: mail("alice"), email: mail("alice"), labels: { manager: mail("boss") } },
    { kind: "user", id: "emp-42", email: mail("boss"), labels: {} },
    { kind: "user", id: mail("sec3"), email: mail("sec3"), labels: { manager: "emp-42" } },
  ];
  expect((await t.call("POST", `${base}/resources:bulkUpdate`, { resources })).status).toBe(200);
});
afterAll(async () => {
  await t.close();
  await pagerDuty.close();
});

describe("saving a policy", () => {
  it("is refused with the place of the first problem, and nothing is saved", async () => {
    const bad = { rules: [{ name: "a", match: { condition: 'petitioner.email == "x" &&' } }] };
    const reply = await t.call("PUT", `${base}/policy`, { policy: bad });
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe("rules[0].match.condition");
    expect(reply.body.error.message).toMatch(/at column 27/);
    const unknownGroup = await t.call("PUT", `${base}/policy`, {
      policy: { rules: [{ name: "a", require: [{ name: "s", reviewers: { groups: ["nobody"] } }] }] },
    });
    expectEnvelope(unknownGroup, 400, "INVALID_ARGUMENT");
    expect(unknownGroup.body.error.field).toBe("rules[0].require[0].reviewers.groups[0]");
    const shape = await t.call("PUT", `${base}/policy`, { policy: { rules: [{ name: "a", kinds: ["x"] }] } });
    expectEnvelope(shape, 400, "INVALID_ARGUMENT");
    expect(shape.body.error.message).toMatch(/unknown field "kinds"/);
    expect((await t.call("GET", `${base}/policy`)).body).toEqual({ version: 0, policy: null });
  });

  it("validates without saving", async () => {
    expect((await t.call("POST", `${base}/policies:validate`, { policy: POLICY })).body).toEqual({ valid: true, rules: 4 });
    expect((await t.call("GET", `${base}/policy`)).body.version).toBe(0);
  });

  it("saves versions, refuses a stale expectedVersion, and keeps the history", async () => {
    const first = await t.call("PUT", `${base}/policy`, { policy: POLICY, expectedVersion: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ version: 1, policy: POLICY, createdBy: "admin" });
    const stale = await t.call("PUT", `${base}/policy`, { policy: POLICY, expectedVersion: 0 });
    expectEnvelope(stale, 409, "CONFLICT");
    expect((await t.call("PUT", `${base}/policy`, { policy: POLICY, expectedVersion: 1 })).body.version).toBe(2);
    const versions = await t.call("GET", `${base}/policy/versions`);
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await t.call("GET", `${base}/policy/versions/1`)).body.policy).toEqual(POLICY);
    expectEnvelope(await t.call("GET", `${base}/policy/versions/99`), 404, "NOT_FOUND");
    // Members may not read or change it; reviewers could read it.
    expectEnvelope(await t.call("GET", `${base}/policy`, undefined, bearer(people.alice!)), 403, "FORBIDDEN");
    expectEnvelope(await t.call("PUT", `${base}/policy`, { policy: { rules: [] } }, bearer(people.alice!)), 403, "FORBIDDEN");
  });
});

describe("the worked examples", () => {
  it("denies contractors at once, recording the rule", async () => {
    const reply = await petition("carol", [{ kind: "aws.iam.v1.Role", id: "admin" }]);
    expect(reply.status).toBe(201);
    expect(reply.body.state.status).toEqual({ phase: "closed", outcome: "denied" });
    const denial = reply.body.state.eventHistory.find((e: { event: string }) => e.event === "access/deny");
    expect(denial).toMatchObject({
      actor: { kind: "greenlight.v1.System", id: "policy" },
      reason: "contractors may not request access",
      meta: { labels: { "greenlight.dev/policy/rule": "contractors", "greenlight.dev/policy/version": "2" } },
    });
  });

  it("a label the requester writes does not change what the catalog says", async () => {
    // Carol claims to be staff; the catalog says contractor, and the catalog is believed.
    const reply = await t.call("POST", `${base}/petitions`, {
      petition: {
        reason: "x",
        petitioners: [{ kind: "user", email: mail("carol"), labels: { employment: "staff" } }],
        resources: [{ kind: "jira.v1.Project", id: "ops" }],
      },
    });
    expect(reply.body.state.status.outcome).toBe("denied");
  });

  it("needs two distinct security approvers for production IAM; one approving twice counts once", async () => {
    const made = await petition("offcall-sre", [{ kind: "aws.iam.v1.Role", id: "admin" }]);
    expect(made.body.state.status.phase).toBe("open");
    expect(made.body.state.review.steps).toEqual([
      expect.objectContaining({ name: "security", rule: "prod-iam", approvals: 2, approvedBy: [], satisfied: false }),
    ]);
    const claims = `${base}/petitions/${made.body.name}/claims`;
    const first = await t.call("POST", claims, approve("3h"), bearer(people.sec1!));
    expect(first.status).toBe(200);
    const again = await t.call("POST", claims, approve("3h"), bearer(people.sec1!));
    expect(again.body.id).toBe(first.body.id);
    let current = await t.call("GET", `${base}/petitions/${made.body.name}`);
    expect(current.body.state.status.phase).toBe("open");
    expect(current.body.state.review.steps[0].approvedBy).toEqual([`user:${mail("sec1")}`]);
    // Someone outside the group is not a reviewer here, and cannot even see it.
    expectEnvelope(await t.call("POST", claims, approve(), bearer(people.boss!)), 404, "NOT_FOUND");
    // A duration beyond the rule's maximum is refused; shortened when asked.
    const tooLong = await t.call("POST", claims, approve("5h"), bearer(people.sec2!));
    expectEnvelope(tooLong, 400, "INVALID_ARGUMENT");
    expect(tooLong.body.error.message).toMatch(/more than the maximum grant of 4h/);
    const second = await t.call("POST", claims, approve("2h"), bearer(people.sec2!));
    expect(second.status).toBe(200);
    current = await t.call("GET", `${base}/petitions/${made.body.name}`);
    expect(current.body.state.status.phase).toBe("granted");
    // The shortest duration an approver gave: 2h.
    const expires = Date.parse(current.body.meta.expireTime) - Date.parse(current.body.meta.startTime);
    expect(expires).toBe(2 * 3_600_000);
    expect(current.body.state.review.steps[0]).toMatchObject({
      satisfied: true,
      approvedBy: [`user:${mail("sec1")}`, `user:${mail("sec2")}`],
    });
  });

  it("never counts a petitioner toward their own petition", async () => {
    const made = await petition("alice", [{ kind: "aws.iam.v1.Role", id: "admin" }]);
    const reply = await t.call("POST", `${base}/petitions/${made.body.name}/claims`, approve(), bearer(people.alice!));
    expectEnvelope(reply, 403, "SELF_REVIEW");
    expectEnvelope(await t.call("POST", `${base}/petitions/${made.body.name}/claims`, deny, bearer(people.alice!)), 403, "SELF_REVIEW");
    // An eligible reviewer may deny: one denial closes it.
    expect((await t.call("POST", `${base}/petitions/${made.body.name}/claims`, deny, bearer(people.sec3!))).status).toBe(200);
    expect((await t.call("GET", `${base}/petitions/${made.body.name}`)).body.state.status.outcome).toBe("denied");
  });

  it("asks the petitioner's manager, named by email or by a person's id in the catalog", async () => {
    const byEmail = await petition("alice", [{ kind: "jira.v1.Project", id: "ops" }]);
    expect(byEmail.body.state.review.steps[0].reviewers.users).toEqual([mail("boss")]);
    expect((await t.call("POST", `${base}/petitions/${byEmail.body.name}/claims`, approve(), bearer(people.boss!))).status).toBe(200);
    expect((await t.call("GET", `${base}/petitions/${byEmail.body.name}`)).body.state.status.phase).toBe("granted");
    const byId = await petition("sec3", [{ kind: "jira.v1.Project", id: "ops" }]);
    expect(byId.body.state.review.steps[0].reviewers.users).toEqual([mail("boss")]);
  });
});

describe("on call", () => {
  let providerName: string;

  it("approves an on-call SRE at once, for the rule's six hours", async () => {
    // The fake has the on-call SRE by the email of this space.
    await pagerDuty.close();
    pagerDuty = await startFakePagerDuty({
      apiKey: "pd-key",
      schedules: [{ id: "PSRE", name: "SRE primary", users: [{ email: mail("oncall-sre") }] }],
    });
    providerName = "pagerduty-sre";
    const created = await t.call("POST", `${base}/onCallProviders`, {
      provider: { name: providerName, kind: "pagerduty", apiKey: "pd-key", baseUrl: pagerDuty.url, settings: { schedules: ["PSRE"] } },
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain("pd-key");
    expect(created.body.apiKeyHint).toBe("…-key");

    const reply = await petition("oncall-sre", [{ kind: "postgres.v1.Database", id: "orders" }]);
    expect(reply.body.state.status.phase).toBe("granted");
    expect(Date.parse(reply.body.meta.expireTime) - Date.parse(reply.body.meta.startTime)).toBe(6 * 3_600_000);
    const approval = reply.body.state.eventHistory.find((e: { event: string }) => e.event === "access/approve");
    expect(approval.meta.labels).toMatchObject({
      "greenlight.dev/policy/rule": "oncall-sre-prod-db",
      "greenlight.dev/decision/source": "rule+oncall",
    });
    expect(pagerDuty.requests.map((r) => r.path)).toEqual(["/schedules", "/schedules/PSRE/users"]);
  });

  it("leaves an SRE who is not on call for review", async () => {
    const reply = await petition("offcall-sre", [{ kind: "postgres.v1.Database", id: "orders" }]);
    expect(reply.body.state.status.phase).toBe("open");
  });

  it("treats a provider that fails as no opinion, and shows the failure", async () => {
    // A second after the last success, so the failure is the newer of the two.
    await t.clock.advance(1000);
    pagerDuty.setMode("server-error");
    await t.call("PUT", `${base}/onCallProviders/${providerName}`, { provider: { settings: { schedules: ["PSRE"] } } }); // forgets cached answers
    const reply = await petition("oncall-sre", [{ kind: "postgres.v1.Database", id: "billing" }]);
    expect(reply.body.state.status.phase).toBe("open");
    // The provider's health is written after the petition is answered.
    const provider = await until(
      () => t.call("GET", `${base}/onCallProviders/${providerName}`),
      (reply) => !reply.body.healthy,
    );
    expect(provider.body).toMatchObject({ healthy: false, lastError: expect.stringContaining("500") });
    const explained = await t.call("POST", `${base}/policies:explain`, { petition: reply.body.name });
    expect(explained.body.onCall[0]).toMatchObject({ provider: providerName, onCall: null, detail: expect.stringContaining("no opinion") });
    pagerDuty.setMode("ok");
  });
});

describe("timeouts and escalations", () => {
  it("closes an undecided petition as timed out, after escalating it", async () => {
    const kind = "vault.v1.Path";
    const policy = {
      rules: [
        ...POLICY.rules,
        {
          name: "vault",
          match: { kinds: [kind] },
          require: [{ name: "sec", reviewers: { groups: ["security"] } }],
          pendingTimeout: "2s",
          escalations: [{ after: "1s", notify: { channels: ["#security-escalations"] } }],
          notify: { channels: ["#security"] },
        },
      ],
    };
    expect((await t.call("PUT", `${base}/policy`, { policy })).status).toBe(200);
    const made = await petition("offcall-sre", [{ kind, id: "secret/prod" }]);
    expect(made.body.state.review).toMatchObject({ escalationsDone: 0, notify: { channels: ["#security"] } });
    const name = made.body.name;
    // A waiter is released by the timeout like by any decision.
    const waited = t.call("GET", `${base}/petitions/${name}?waitFor=decision&timeout=10s`);
    await t.clock.advance(999);
    await t.idle();
    expect((await t.call("GET", `${base}/petitions/${name}`)).body.state.review).toMatchObject({ escalationsDone: 0 });
    await t.clock.advance(1);
    await t.idle();
    const escalated = await t.call("GET", `${base}/petitions/${name}`);
    expect(escalated.body.state.review).toMatchObject({ escalationsDone: 1, notify: { channels: ["#security", "#security-escalations"] } });
    await t.clock.advance(1000);
    const released = await waited;
    expect(released.body.state.status).toEqual({ phase: "closed", outcome: "timed_out" });
    const closing = released.body.state.eventHistory.at(-1);
    expect(closing).toMatchObject({ event: "access/close", actor: { id: "pending-timeout" } });
    expectEnvelope(await t.call("POST", `${base}/petitions/${name}/claims`, approve(), bearer(people.sec1!)), 409, "INVALID_TRANSITION");
  });
});

describe("explain and replay", () => {
  it("explains a possible request: which rules matched and who may review", async () => {
    const reply = await t.call("POST", `${base}/policies:explain`, {
      request: {
        reason: "x",
        petitioners: [{ kind: "user", email: mail("offcall-sre") }],
        resources: [{ kind: "aws.iam.v1.Role", id: "admin" }],
      },
    });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ outcome: "review", draft: false });
    const traces = reply.body.pairs[0].rules;
    expect(traces.find((r: { rule: string }) => r.rule === "prod-iam")).toMatchObject({ matched: true, effect: "require" });
    expect(traces.find((r: { rule: string }) => r.rule === "contractors")).toMatchObject({ matched: false });
    expect(reply.body.plan.steps[0].eligible).toEqual([mail("alice"), mail("sec1"), mail("sec2"), mail("sec3")].sort());
  });

  it("explains an existing petition against a draft, with the plan it was made under", async () => {
    const made = await petition("offcall-sre", [{ kind: "aws.iam.v1.Role", id: "admin" }]);
    const draft = { rules: [{ name: "all-auto", autoApprove: { reason: "trust everyone" } }] };
    const reply = await t.call("POST", `${base}/policies:explain`, { petition: made.body.name, policy: draft });
    expect(reply.body).toMatchObject({ outcome: "approve", decidedBy: "all-auto", draft: true, policyVersion: null });
    expect(reply.body.petition.madeUnder.rules).toEqual(["prod-iam"]);
  });

  it("replays the latest petitions through a draft without changing them", async () => {
    const before = await t.call("GET", `${base}/petitions?pageSize=100`);
    const draft = { rules: [{ name: "iam-auto", match: { kinds: ["aws.iam.*"] }, autoApprove: { reason: "iam is fine" } }] };
    const reply = await t.call("POST", `${base}/policies:replay`, { policy: draft, limit: 50 });
    expect(reply.status).toBe(200);
    const report = reply.body;
    expect(report.replayed).toBe(before.body.petitions.length);
    const iam = report.petitions.filter((p: { resources: string[] }) => p.resources.some((r) => r.startsWith("aws.iam")));
    expect(iam.length).toBeGreaterThan(0);
    for (const p of iam) expect(p.draft).toMatchObject({ outcome: "approve", decidedBy: "iam-auto" });
    const contractor = report.petitions.find(
      (p: { actual: { outcome?: string; decidedBy: string } }) => p.actual.decidedBy === "rule contractors",
    );
    expect(contractor.changed).toBe(true);
    expect(report.wouldAutoApprove + report.wouldAutoDeny + report.wouldNeedReview).toBe(report.replayed);
    expect((await t.call("GET", `${base}/petitions?pageSize=100`)).body).toEqual(before.body);
  });
});

describe("a space without a policy", () => {
  it("keeps the old behaviour: any admin or reviewer approves, one is enough", async () => {
    const other = await createSpace(t);
    const reviewer = await userToken(t, other, `rev@${other}.example.com`, ["reviewer"]);
    const made = await t.call("POST", `/v1/spaces/${other}/petitions`, {
      petition: { reason: "x", petitioners: [{ kind: "user", email: `p@${other}.example.com` }], resources: [{ kind: "x", id: "y" }] },
    });
    expect(made.body.state.review.steps).toEqual([
      expect.objectContaining({ name: "review", rule: "(default)", reviewers: expect.objectContaining({ roles: ["admin", "reviewer"] }) }),
    ]);
    expect((await t.call("POST", `/v1/spaces/${other}/petitions/${made.body.name}/claims`, approve(), bearer(reviewer))).status).toBe(200);
    expect((await t.call("GET", `/v1/spaces/${other}/petitions/${made.body.name}`)).body.state.status.phase).toBe("granted");
  });
});
