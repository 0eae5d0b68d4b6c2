import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * What a requester asks of the API for themselves: their own petitions among everyone's
 * (`petitioner=me`, filtered and paged by the database), and what a petition would get before
 * it is made (`petitions:preview`), authorized as creating it is and without effects.
 */

let t: TestServer;
let receiver: Receiver;
let space: string;
let base: string;
const tokens: Record<string, string> = {};
/** A token for another space: it must learn nothing of this one. */
let stranger: string;

const POLICY = {
  rules: [
    {
      name: "clusters",
      match: { kinds: ["k8s.v1.Cluster"] },
      require: [{ name: "platform", reviewers: { users: ["carol@example.com"], groups: [] }, approvals: 1 }],
      duration: { default: "2h", max: "4h", allowIndefinite: false },
      pendingTimeout: "3h",
      highRisk: true,
    },
    {
      name: "read-only",
      match: { kinds: ["aws.v1.Role"] },
      autoApprove: { reason: "read-only roles are granted at once" },
    },
    {
      name: "no-contractors",
      match: { petitioner: { emails: ["*@contractors.example.com"] } },
      autoDeny: { reason: "contractors may not request access" },
    },
  ],
};

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestServer();
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
  for (const [login, roles] of [
    ["alice", ["admin"]],
    ["bob", ["member"]],
    ["pat", ["petitioner-admin"]],
  ] as const) {
    tokens[login] = await userToken(t, space, `${login}@example.com`, [...roles]);
  }
  stranger = await userToken(t, await createSpace(t), "alice@example.com", ["admin"]);
  expect((await t.call("PUT", `${base}/policy`, { policy: POLICY })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await t.close();
  await receiver.close();
});

async function ask(token: string | undefined, petitioner: string, kind: string, id: string): Promise<string> {
  const reply = await t.call(
    "POST",
    `${base}/petitions`,
    { petition: { reason: "work", petitioners: [{ kind: "user", email: petitioner }], resources: [{ kind, id }] } },
    token ? bearer(token) : {},
  );
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.name;
}

async function mine(token: string, query = ""): Promise<{ names: string[]; next: string }> {
  const reply = await t.call("GET", `${base}/petitions?petitioner=me${query}`, undefined, bearer(token));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return { names: reply.body.petitions.map((p: { name: string }) => p.name), next: reply.body.nextPageToken };
}

describe("petitioner=me", () => {
  const alices: string[] = [];
  let bobs: string;
  let forSomeoneElse: string;

  beforeAll(async () => {
    // A thousand petitions of others, alice's own three among them, at the start, the middle and
    // near the end; a few at a time, so the store's group commit takes them together.
    for (let batch = 0; batch < 50; batch++) {
      const made = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ask(undefined, `other-${batch * 20 + i}@example.com`, "postgres.v1.Database", "orders")),
      );
      expect(made).toHaveLength(20);
      if (batch === 2 || batch === 25 || batch === 47)
        alices.push(await ask(tokens.alice, "alice@example.com", "k8s.v1.Cluster", `c${batch}`));
    }
    bobs = await ask(tokens.bob, "bob@example.com", "k8s.v1.Cluster", "staging");
    // Made by alice for someone else: hers to manage, not a request of hers.
    forSomeoneElse = await ask(tokens.alice, "dave@example.com", "k8s.v1.Cluster", "dave");
  }, 120_000);

  it("finds exactly an admin's own petitions among a thousand others', newest first", async () => {
    const { names, next } = await mine(tokens.alice!);
    expect(names).toEqual([...alices].reverse());
    expect(next).toBe("");
    expect(names).not.toContain(forSomeoneElse);
  });

  it("pages through them with the page size asked for", async () => {
    const first = await mine(tokens.alice!, "&pageSize=2");
    expect(first.names).toEqual([alices[2], alices[1]]);
    expect(first.next).not.toBe("");
    const second = await mine(tokens.alice!, `&pageSize=2&pageToken=${encodeURIComponent(first.next)}`);
    expect(second).toEqual({ names: [alices[0]], next: "" });
    // A token of this list is not one of the unfiltered list's.
    const other = await t.call(
      "GET",
      `${base}/petitions?pageSize=2&pageToken=${encodeURIComponent(first.next)}`,
      undefined,
      bearer(tokens.alice!),
    );
    expect(other.status).toBe(400);
  });

  it("combines with the phase filter", async () => {
    const closed = await t.call(
      "PUT",
      `${base}/petitions/${alices[1]}`,
      { petition: { state: { status: { phase: "closed" } } } },
      bearer(tokens.alice!),
    );
    expect(closed.body.state.status).toEqual({ phase: "closed", outcome: "cancelled" });
    expect((await mine(tokens.alice!, "&phase=open")).names).toEqual([alices[2], alices[0]]);
    expect((await mine(tokens.alice!, "&phase=closed")).names).toEqual([alices[1]]);
  });

  it("shows a member theirs alone", async () => {
    expect((await mine(tokens.bob!)).names).toEqual([bobs]);
  });

  it("takes only me, and answers a token of another space as if the space did not exist", async () => {
    const you = await t.call("GET", `${base}/petitions?petitioner=alice@example.com`, undefined, bearer(tokens.bob!));
    expect(you.status).toBe(400);
    const elsewhere = await t.call("GET", `${base}/petitions?petitioner=me`, undefined, bearer(stranger));
    expect(elsewhere.status).toBe(404);
  });

  it("lists nothing for the bootstrap admin, who petitions for nobody", async () => {
    const reply = await t.call("GET", `${base}/petitions?petitioner=me`);
    expect(reply.body).toEqual({ petitions: [], nextPageToken: "" });
  });
});

describe("petitions:preview", () => {
  const preview = (token: string | undefined, petition: Record<string, unknown>) =>
    t.call("POST", `${base}/petitions:preview`, { petition: { reason: "to see", ...petition } }, token ? bearer(token) : {});
  const cluster = [{ kind: "k8s.v1.Cluster", id: "prod" }];

  it("tells a member what their request would get: its durations, who reviews, high risk", async () => {
    const reply = await preview(tokens.bob, { petitioners: [{ kind: "user", email: "bob@example.com" }], resources: cluster });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.outcome).toBe("review");
    expect(reply.body.review).toMatchObject({
      rules: ["clusters"],
      maxDuration: "4h0m0s",
      defaultDuration: "2h0m0s",
      allowIndefinite: false,
      highRisk: true,
      escalationsDone: 0,
      steps: [{ name: "platform", approvals: 1, approvedBy: [], satisfied: false, reviewers: { users: ["carol@example.com"] } }],
    });
    // When it would time out, were it made now.
    const timeout = Date.parse(reply.body.review.timeoutTime) - Date.now();
    expect(timeout).toBeGreaterThan(2.9 * 3_600_000);
    expect(timeout).toBeLessThanOrEqual(3 * 3_600_000);
  });

  it("petitions for the caller when no petitioner is named, as create does", async () => {
    const reply = await preview(tokens.bob, { resources: cluster });
    expect(reply.status).toBe(200);
    expect(reply.body.review.rules).toEqual(["clusters"]);
  });

  it("says whether a rule would approve or deny it at once, and nothing of the rule's reasons", async () => {
    const role = await preview(tokens.bob, { resources: [{ kind: "aws.v1.Role", id: "readonly" }] });
    expect(role.body.outcome).toBe("approve");
    expect(JSON.stringify(role.body)).not.toContain("read-only roles are granted at once");
    const contractor = await preview(tokens.pat, {
      petitioners: [{ kind: "user", email: "eve@contractors.example.com" }],
      resources: cluster,
    });
    expect(contractor.body.outcome).toBe("deny");
    expect(JSON.stringify(contractor.body)).not.toContain("contractors may not");
  });

  it("refuses a member previewing for someone else, as creating would be refused", async () => {
    const reply = await preview(tokens.bob, { petitioners: [{ kind: "user", email: "alice@example.com" }], resources: cluster });
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toMatch(/you may petition only for yourself/);
  });

  it("lets a petitioner-admin and an admin preview for someone else", async () => {
    for (const login of ["pat", "alice"]) {
      const reply = await preview(tokens[login], { petitioners: [{ kind: "user", email: "erin@example.com" }], resources: cluster });
      expect(reply.status, login).toBe(200);
    }
  });

  it("refuses a duration above the plan's maximum, with the sentence creating would give", async () => {
    const reply = await preview(tokens.bob, { resources: cluster, defaultDuration: "8h" });
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/more than the policy allows for this request \(4h\)/);
  });

  it("answers a token of another space as if the space did not exist", async () => {
    const reply = await preview(stranger, { resources: cluster });
    expect(reply.status).toBe(404);
  });

  it("saves nothing and calls no decision webhook", async () => {
    const hook = await t.call("POST", `${base}/webhooks`, {
      webhook: {
        name: "decider",
        url: receiver.url,
        secret: "wks0previewtestsecret0123456789abcdefghij",
        labels: { "indent.com/webhook/kind:decision": "true" },
      },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(201);
    const selects = await t.call("POST", `${base}/webhookPolicies`, {
      webhookPolicy: {
        meta: { name: "replicas" },
        base: { selector: { matchLabels: { decided: "elsewhere" } } },
        webhooks: [{ name: "decider" }],
      },
    });
    expect(selects.status, JSON.stringify(selects.body)).toBe(201);
    const bulk = await t.call("POST", `${base}/resources:bulkUpdate`, {
      resources: [{ kind: "db.v1.Replica", id: "r1", labels: { decided: "elsewhere" } }],
    });
    expect(bulk.status).toBe(200);
    const before = await t.call("GET", `${base}/petitions?pageSize=1`);
    const audit = await t.call("GET", `${base}/audit?actor=bob@example.com&pageSize=100`);

    const reply = await preview(tokens.bob, { resources: [{ kind: "db.v1.Replica", id: "r1" }] });
    expect(reply.status).toBe(200);
    expect(receiver.requests).toHaveLength(0);
    expect((await t.call("GET", `${base}/petitions?pageSize=1`)).body.petitions[0].name).toBe(before.body.petitions[0].name);
    expect((await t.call("GET", `${base}/audit?actor=bob@example.com&pageSize=100`)).body).toEqual(audit.body);

    // Making it does ask the webhook: the preview left it out, not the setup.
    await ask(tokens.bob, "bob@example.com", "db.v1.Replica", "r1");
    expect(receiver.requests).toHaveLength(1);
  });
});
