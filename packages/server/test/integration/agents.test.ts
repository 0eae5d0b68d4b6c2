import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * Agents as petitioners: a service account marked `greenlight.dev/agent` petitions for itself
 * or for the people its `greenlight.dev/acts-for` label names; the server records whom it acts
 * for from its identity (never from the request); policies can tell agents apart; and agents
 * never approve or deny, whatever roles or steps name them.
 */

let t: TestServer;
let space: string;
let base: string;

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
});
afterAll(async () => {
  await t.close();
});

let counter = 0;
async function account(roles: string[], labels: Record<string, string>) {
  counter += 1;
  const created = await t.call("POST", `${base}/serviceAccounts`, { serviceAccount: { name: `bot-${counter}`, roles, labels } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const token = await t.call("POST", `${base}/tokens`, { serviceAccountId: created.body.serviceAccountId });
  expect(token.status).toBe(201);
  const exchanged = await t.call(
    "POST",
    "/v1/auth/token",
    { grant_type: "refresh_token", refresh_token: token.body.refreshToken },
    { authorization: "" },
  );
  expect(exchanged.status).toBe(200);
  return { email: created.body.email as string, id: created.body.serviceAccountId as string, headers: bearer(exchanged.body.access_token) };
}

const agentLabels = (actsFor: string) => ({ "greenlight.dev/agent": "true", "greenlight.dev/acts-for": actsFor });
const petitionFor = (email: string | undefined, id: string, labels: Record<string, string> = {}) => ({
  petition: {
    reason: "clean up old branches",
    ...(email ? { petitioners: [{ kind: "user", email }] } : {}),
    resources: [{ kind: "action", id }],
    meta: { labels },
  },
});

describe("agents petition on behalf of people", () => {
  it("records the agent and the person from the agent's identity, and refuses those labels from the request", async () => {
    const agent = await account(["member"], agentLabels("alice@example.com"));
    const forgeries: Record<string, string>[] = [
      { "greenlight.dev/on-behalf-of": "ceo@example.com" },
      { "greenlight.dev/agent": "someone-else" },
    ];
    for (const forged of forgeries) {
      const refused = await t.call("POST", `${base}/petitions`, petitionFor("alice@example.com", "a-1", forged), agent.headers);
      expectEnvelope(refused, 400, "INVALID_ARGUMENT");
      expect(refused.body.error.message).toContain("is set by the server");
    }
    const reply = await t.call("POST", `${base}/petitions`, petitionFor("alice@example.com", "a-1"), agent.headers);
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
    expect(reply.body.petitioners).toEqual([{ kind: "user", email: "alice@example.com", labels: {} }]);
    expect(reply.body.meta.labels["greenlight.dev/on-behalf-of"]).toBe("alice@example.com");
    expect(reply.body.meta.labels["greenlight.dev/agent"]).toBe(agent.email);
    // Reviewers see both on the petition they read.
    const read = await t.call("GET", `${base}/petitions/${reply.body.name}`);
    expect(read.body.meta.labels).toMatchObject({
      "greenlight.dev/agent": agent.email,
      "greenlight.dev/on-behalf-of": "alice@example.com",
    });
  });

  it("refuses a person the agent's acts-for label does not name, even with the petitioner-admin role", async () => {
    const agent = await account(["petitioner-admin"], agentLabels("alice@example.com"));
    const reply = await t.call("POST", `${base}/petitions`, petitionFor("bob@example.com", "a-2"), agent.headers);
    expectEnvelope(reply, 403, "FORBIDDEN");
    expect(reply.body.error.message).toContain("greenlight.dev/acts-for");
    // Petitioning for itself needs no acts-for entry, and names nobody it acts for.
    const own = await t.call("POST", `${base}/petitions`, petitionFor(undefined, "a-2"), agent.headers);
    expect(own.status).toBe(201);
    expect(own.body.meta.labels["greenlight.dev/agent"]).toBe(agent.email);
    expect(own.body.meta.labels["greenlight.dev/on-behalf-of"]).toBeUndefined();
  });

  it('lets "*" act for anyone, and a service account that is no agent gets no agent labels', async () => {
    const agent = await account(["member"], agentLabels("*"));
    const reply = await t.call("POST", `${base}/petitions`, petitionFor("carol@example.com", "a-3"), agent.headers);
    expect(reply.status).toBe(201);
    expect(reply.body.meta.labels["greenlight.dev/on-behalf-of"]).toBe("carol@example.com");

    const plain = await account(["member"], {});
    const refused = await t.call("POST", `${base}/petitions`, petitionFor("carol@example.com", "a-4"), plain.headers);
    expectEnvelope(refused, 403, "FORBIDDEN");
    const forged = await t.call(
      "POST",
      `${base}/petitions`,
      petitionFor(undefined, "a-4", { "greenlight.dev/agent": "forged@example.com" }),
      plain.headers,
    );
    expectEnvelope(forged, 400, "INVALID_ARGUMENT");
    const self = await t.call("POST", `${base}/petitions`, petitionFor(undefined, "a-4"), plain.headers);
    expect(self.status).toBe(201);
    expect(self.body.meta.labels["greenlight.dev/agent"]).toBeUndefined();
  });
});

describe("policies tell agents apart", () => {
  it("a requester.isAgent condition matches agents' petitions and not people's", async () => {
    const policySpace = await createSpace(t);
    const policyBase = `/v1/spaces/${policySpace}`;
    const saved = await t.call("PUT", `${policyBase}/policy`, {
      policy: {
        rules: [
          {
            name: "agents-denied",
            match: { kinds: ["action"], condition: 'requester.isAgent && "alice@example.com" in requester.onBehalfOf' },
            autoDeny: { reason: "no agents for alice" },
          },
          {
            name: "people-approved",
            match: { kinds: ["action"], condition: "!requester.isAgent" },
            autoApprove: { reason: "people are trusted", duration: "1h" },
          },
        ],
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const created = await t.call("POST", `${policyBase}/serviceAccounts`, {
      serviceAccount: { name: "agent", roles: ["member"], labels: agentLabels("alice@example.com") },
    });
    const token = await t.call("POST", `${policyBase}/tokens`, { serviceAccountId: created.body.serviceAccountId });
    const exchanged = await t.call(
      "POST",
      "/v1/auth/token",
      { grant_type: "refresh_token", refresh_token: token.body.refreshToken },
      { authorization: "" },
    );

    const byAgent = await t.call(
      "POST",
      `${policyBase}/petitions`,
      petitionFor("alice@example.com", "p-1"),
      bearer(exchanged.body.access_token),
    );
    expect(byAgent.status).toBe(201);
    expect(byAgent.body.state.status).toEqual({ phase: "closed", outcome: "denied" });

    const alice = await userToken(t, policySpace, "alice@example.com", ["member"]);
    const byPerson = await t.call("POST", `${policyBase}/petitions`, petitionFor(undefined, "p-1"), bearer(alice));
    expect(byPerson.status).toBe(201);
    expect(byPerson.body.state.status.phase).toBe("granted");
  });
});

describe("the agents guide's rule", () => {
  it("makes an agent's petition need two reviewers, and leaves a person's to the defaults", async () => {
    const readmeSpace = await createSpace(t);
    const readmeBase = `/v1/spaces/${readmeSpace}`;
    const saved = await t.call("PUT", `${readmeBase}/policy`, {
      policy: {
        rules: [
          {
            name: "agents-need-two",
            match: { condition: "requester.isAgent" },
            require: [{ name: "two-reviewers", reviewers: { roles: ["reviewer"] }, approvals: 2 }],
          },
        ],
      },
    });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const created = await t.call("POST", `${readmeBase}/serviceAccounts`, {
      serviceAccount: { name: "agent", roles: ["member"], labels: agentLabels("") },
    });
    const token = await t.call("POST", `${readmeBase}/tokens`, { serviceAccountId: created.body.serviceAccountId });
    const exchanged = await t.call(
      "POST",
      "/v1/auth/token",
      { grant_type: "refresh_token", refresh_token: token.body.refreshToken },
      { authorization: "" },
    );
    const byAgent = await t.call("POST", `${readmeBase}/petitions`, petitionFor(undefined, "x"), bearer(exchanged.body.access_token));
    expect(byAgent.body.state.review.steps.map((step: { name: string; approvals: number }) => [step.name, step.approvals])).toEqual([
      ["two-reviewers", 2],
    ]);
    const person = await userToken(t, readmeSpace, "paul@example.com", ["member"]);
    const byPerson = await t.call("POST", `${readmeBase}/petitions`, petitionFor(undefined, "x"), bearer(person));
    expect(byPerson.body.state.review.steps.map((step: { approvals: number }) => step.approvals)).toEqual([1]);
  });
});

describe("agents never review", () => {
  it("refuses an agent's approval and denial, though its roles would allow them; a service account that is no agent may", async () => {
    const agent = await account(["reviewer"], agentLabels("*"));
    const robot = await account(["reviewer"], {});
    const open = await t.call("POST", `${base}/petitions`, petitionFor("dave@example.com", "r-1"));
    expect(open.status).toBe(201);
    const claims = `${base}/petitions/${open.body.name}/claims`;

    const approve = { claim: { event: "access/approve", reason: "looks fine", meta: { labels: { "indent.com/time/duration": "1h" } } } };
    const approved = await t.call("POST", claims, approve, agent.headers);
    expectEnvelope(approved, 403, "FORBIDDEN");
    expect(approved.body.error.message).toContain("agents may petition but never approve");
    const denied = await t.call("POST", claims, { claim: { event: "access/deny", reason: "no" } }, agent.headers);
    expectEnvelope(denied, 403, "FORBIDDEN");
    expect((await t.call("GET", `${base}/petitions/${open.body.name}`)).body.state.status.phase).toBe("open");

    const byRobot = await t.call("POST", claims, approve, robot.headers);
    expect(byRobot.status, JSON.stringify(byRobot.body)).toBe(200);
    expect((await t.call("GET", `${base}/petitions/${open.body.name}`)).body.state.status.phase).toBe("granted");
  });
});
