import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * Random review sequences against a reference model small enough to trust: a policy with a
 * few steps of distinct approvers, a petitioner who is also one of the reviewers, and random
 * approvals and denials by five people. After every request the server's answer (status,
 * code, phase, who counted) must be what the model says. The model decides "approved" by
 * trying every way of assigning the approvers to steps, which the server does by matching.
 */

const PEOPLE = ["p0", "p1", "p2", "p3", "p4"] as const;
type Person = (typeof PEOPLE)[number];
/** Fixed group membership for the whole test. */
const GROUPS: Record<string, Person[]> = { g0: ["p0", "p1"], g1: ["p1", "p2", "p3"], g2: ["p3", "p4"] };

interface StepSpec {
  group?: string;
  users?: Person[];
  approvals: number;
  allowSelfApproval: boolean;
}

type Action = { who: Person; verb: "approve" | "deny" };

const email = (person: Person, space: string) => `${person}@${space}.example.com`;

/** The reference: who may act, and when the petition is approved. */
class Model {
  phase: "open" | "granted" | "closed" = "open";
  readonly approvers = new Map<Person, number[]>();

  constructor(
    private readonly steps: StepSpec[],
    private readonly petitioner: Person,
  ) {}

  private named(step: StepSpec, who: Person): boolean {
    return (step.users ?? []).includes(who) || (step.group !== undefined && GROUPS[step.group]!.includes(who));
  }

  eligible(who: Person): number[] {
    return this.steps.flatMap((step, i) => (this.named(step, who) && (who !== this.petitioner || step.allowSelfApproval) ? [i] : []));
  }

  /** The status and error code a request should get, applying it if it succeeds. */
  apply({ who, verb }: Action): { status: number; code?: string } {
    const eligible = this.eligible(who);
    if (who !== this.petitioner && eligible.length === 0) return { status: 404, code: "NOT_FOUND" };
    if (this.phase !== "open") return { status: 409, code: "INVALID_TRANSITION" };
    if (eligible.length === 0) {
      const namedAtAll = this.steps.some((step) => this.named(step, who));
      return { status: 403, code: namedAtAll ? "SELF_REVIEW" : "FORBIDDEN" };
    }
    if (verb === "deny") {
      this.phase = "closed";
      return { status: 200 };
    }
    if (!this.approvers.has(who)) this.approvers.set(who, eligible);
    if (this.satisfied()) this.phase = "granted";
    return { status: 200 };
  }

  /** Whether some assignment of approvers (each to one step, or none) fills every step. */
  private satisfied(): boolean {
    const approvers = [...this.approvers.values()];
    const counts = this.steps.map(() => 0);
    const tryFrom = (i: number): boolean => {
      if (i === approvers.length) return this.steps.every((step, s) => counts[s]! >= step.approvals);
      if (tryFrom(i + 1)) return true;
      for (const s of approvers[i]!) {
        counts[s]! += 1;
        const done = tryFrom(i + 1);
        counts[s]! -= 1;
        if (done) return true;
      }
      return false;
    };
    return tryFrom(0);
  }
}

let t: TestServer;
let space: string;
const tokens = {} as Record<Person, string>;

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  for (const [name, members] of Object.entries(GROUPS)) {
    const reply = await t.call("POST", `/v1/spaces/${space}/groups`, { group: { name, members: members.map((p) => email(p, space)) } });
    expect(reply.status).toBe(201);
  }
  for (const person of PEOPLE) tokens[person] = await userToken(t, space, email(person, space), ["member"]);
});
afterAll(async () => {
  await t.close();
});

const stepArb: fc.Arbitrary<StepSpec> = fc.record({
  group: fc.option(fc.constantFrom(...Object.keys(GROUPS)), { nil: undefined }),
  users: fc.option(fc.subarray([...PEOPLE], { minLength: 1, maxLength: 3 }), { nil: undefined }),
  approvals: fc.integer({ min: 1, max: 2 }),
  allowSelfApproval: fc.boolean(),
});
const scenarioArb = fc.record({
  steps: fc
    .array(stepArb, { minLength: 1, maxLength: 3 })
    .filter((steps) => steps.every((s) => s.group !== undefined || s.users !== undefined)),
  petitioner: fc.constantFrom(...PEOPLE),
  actions: fc.array(
    fc.record({ who: fc.constantFrom(...PEOPLE), verb: fc.constantFrom("approve" as const, "approve" as const, "deny" as const) }),
    {
      minLength: 1,
      maxLength: 10,
    },
  ),
});

let run = 0;

describe("reviews against a reference model", () => {
  it("never diverges: distinct approvers counted once, ineligible and self refused, one outcome", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ steps, petitioner, actions }) => {
        run += 1;
        const base = `/v1/spaces/${space}`;
        const kind = `model.v1.Thing${run}`;
        const policy = {
          rules: [
            {
              name: `r${run}`,
              match: { kinds: [kind] },
              require: steps.map((step, i) => ({
                name: `s${i}`,
                reviewers: {
                  ...(step.group ? { groups: [step.group] } : {}),
                  ...(step.users ? { users: step.users.map((p) => email(p, space)) } : {}),
                },
                approvals: step.approvals,
                allowSelfApproval: step.allowSelfApproval,
              })),
            },
          ],
        };
        expect((await t.call("PUT", `${base}/policy`, { policy })).status).toBe(200);
        const created = await t.call("POST", `${base}/petitions`, {
          petition: { reason: "model", petitioners: [{ kind: "user", email: email(petitioner, space) }], resources: [{ kind, id: "x" }] },
        });
        expect(created.status).toBe(201);
        const name: string = created.body.name;
        const model = new Model(steps, petitioner);

        for (const action of actions) {
          const claim =
            action.verb === "approve"
              ? { claim: { event: "access/approve", reason: "ok", meta: { labels: { "indent.com/time/duration": "1h" } } } }
              : { claim: { event: "access/deny", reason: "no" } };
          const reply = await t.call("POST", `${base}/petitions/${name}/claims`, claim, bearer(tokens[action.who]));
          const expected = model.apply(action);
          const context = `${JSON.stringify({ steps, petitioner, actions })} at ${JSON.stringify(action)}: ${JSON.stringify(reply.body).slice(0, 300)}`;
          expect(reply.status, context).toBe(expected.status);
          if (expected.code) expect(reply.body.error.code, context).toBe(expected.code);
        }
        const final = await t.call("GET", `${base}/petitions/${name}`);
        expect(final.body.state.status.phase).toBe(model.phase);
        const counted = new Set(final.body.state.review.steps.flatMap((s: { approvedBy: string[] }) => s.approvedBy));
        const approvers = [...model.approvers.keys()].map((p) => `user:${email(p, space)}`);
        // One approval event per distinct approver, however often each approved.
        const approvals = final.body.state.eventHistory.filter((e: { event: string }) => e.event === "access/approve");
        expect(approvals.length, JSON.stringify({ steps, petitioner, actions })).toBe(model.approvers.size);
        // Everyone counted approved; once approved, the matching counts enough of them.
        for (const who of counted) expect(approvers).toContain(who);
        if (model.phase === "granted") {
          for (const step of final.body.state.review.steps) expect(step.satisfied).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});
