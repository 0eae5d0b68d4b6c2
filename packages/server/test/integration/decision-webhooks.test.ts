import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { verify } from "@indent/webhook";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indentSignature } from "../../src/integrations/indent/signature.js";
import { startTestServer, type TestServer, until, waitFor } from "./harness.js";
import { createSpace, userToken, bearer } from "./identity-fixtures.js";

/**
 * Decision webhooks in Indent's protocol, against a receiver written the way Indent's
 * integrations are: `@indent/webhook`'s `verify()` checks our signature, and the receiver
 * answers `{status, claims}` the way the PagerDuty and auto-approval integrations do.
 */

const SECRET = "wks0decisiontestsecret0123456789abcdefghij";

type Answer = { status?: number; body: unknown } | "hang";
interface Receiver {
  url: string;
  requests: Array<{ body: any; verified: boolean; headers: IncomingMessage["headers"] }>;
  answer: (body: any) => Answer;
  close(): Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver = { requests: [], answer: () => ({ body: { status: { code: 0 }, claims: [] } }) } as unknown as Receiver;
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", async () => {
      let verified = false;
      try {
        verified = await verify({ secret: SECRET, body: raw, headers: req.headers as Record<string, string> });
      } catch {
        verified = false;
      }
      const body = JSON.parse(raw);
      receiver.requests.push({ body, verified, headers: req.headers });
      if (!verified) {
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ status: { code: 9, message: "webhook failed: invalid signature - check webhook secret" } }));
        return;
      }
      const answer = receiver.answer(body);
      if (answer === "hang") return;
      res.writeHead(answer.status ?? 200, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/decide`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

/** What Indent's decision integrations answer: the approve claim, built from the request event. */
function approveClaim(request: any, bot: Record<string, string>, hours = 6) {
  const now = new Date();
  return {
    event: "access/approve",
    actor: bot,
    reason: "Auto-approved based on PagerDuty on-call schedule",
    timestamp: now.toISOString(),
    resources: [request.actor, ...request.resources],
    meta: {
      labels: {
        "indent.com/time/duration": `${hours}h0m0s`,
        "indent.com/time/expires": new Date(now.getTime() + hours * 3_600_000).toISOString(),
        ...request.meta.labels,
      },
    },
  };
}

const PAGERDUTY_BOT = {
  kind: "indent.v1.Bot",
  email: "bot@indent.com",
  id: "pagerduty-approval-bot",
  displayName: "PagerDuty Approval Bot",
};

let t: TestServer;
let receiver: Receiver;
let space: string;
let base: string;
let counter = 0;

async function petition(kind: string, extra: Record<string, unknown> = {}) {
  counter += 1;
  return t.call("POST", `${base}/petitions`, {
    petition: {
      reason: "incident",
      petitioners: [{ kind: "user", email: `p${counter}@example.com` }],
      resources: [{ kind, id: `r${counter}` }],
      ...extra,
    },
  });
}

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestServer({ env: { GREENLIGHT_DECISION_TIMEOUT: "500ms" } });
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
  const hook = await t.call("POST", `${base}/webhooks`, {
    webhook: {
      name: "pagerduty-decision",
      url: receiver.url,
      secret: SECRET,
      labels: { "indent.com/webhook/kind:decision": "true" },
      headers: { "x-team": { value: "sre" } },
    },
  });
  expect(hook.status).toBe(201);
  expect(hook.body.handlers).toEqual([{ type: "decision", resourceKinds: [] }]);
  expect(hook.body.bot).toEqual({ email: "bot@indent.com" });
  expect(hook.body.secret).toBe(SECRET);
  // Run it for anything labelled oncall=true in the catalog.
  const policy = await t.call("POST", `${base}/webhookPolicies`, {
    webhookPolicy: {
      meta: { name: "oncall" },
      base: { selector: { matchLabels: { oncall: "true" } } },
      webhooks: [{ name: "pagerduty-decision" }],
    },
  });
  expect(policy.status).toBe(201);
  await t.call("POST", `${base}/resources:bulkUpdate`, {
    resources: Array.from({ length: 20 }, (_, i) => ({ kind: "db.v1.Replica", id: `r${i + 1}`, labels: { oncall: "true" } })),
  });
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

describe("decision webhooks", () => {
  it("signs exactly as Indent does (the §4.1 test vector)", () => {
    expect(
      indentSignature("secret_123", "2020-05-01T07:00:00Z", '{"events":[{"event":"access/grant","timestamp":"2020-05-01T07:00:00Z"}]}'),
    ).toBe("c27f187960625ebccc33336030b071dac1d54b1e98d9e27fe5452ee00c935fb0");
  });

  it("asks the webhook, which verifies our signature, and applies its bot's approval", async () => {
    receiver.answer = (body) => ({ body: { status: { code: 0 }, claims: [approveClaim(body.events[0], PAGERDUTY_BOT)] } });
    const reply = await petition("db.v1.Replica");
    expect(reply.status).toBe(201);
    const request = receiver.requests.at(-1)!;
    expect(request.verified).toBe(true);
    expect(request.headers["x-team"]).toBe("sre");
    expect(request.headers["x-indent-timestamp"]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(request.body.events).toHaveLength(1);
    expect(request.body.events[0]).toMatchObject({
      event: "access/request",
      actor: { kind: "user", email: `p${counter}@example.com` },
      resources: [{ kind: "db.v1.Replica", id: `r${counter}` }],
      reason: "incident",
      meta: { labels: { petition: reply.body.name } },
    });
    expect(reply.body.state.status.phase).toBe("granted");
    const approval = reply.body.state.eventHistory.find((e: { event: string }) => e.event === "access/approve");
    expect(approval).toMatchObject({
      actor: { kind: "indent.v1.Bot", email: "bot@indent.com", id: "pagerduty-approval-bot" },
      reason: "Auto-approved based on PagerDuty on-call schedule",
      meta: { labels: { "greenlight.dev/decision/source": "webhook:pagerduty-decision" } },
    });
    // The integration's six hours: within the server's limits, so given as asked.
    expect(Date.parse(reply.body.meta.expireTime) - Date.parse(reply.body.meta.startTime)).toBe(6 * 3_600_000);
  });

  it("takes empty claims as no opinion", async () => {
    receiver.answer = () => ({ body: { status: { code: 0 }, claims: [] } });
    expect((await petition("db.v1.Replica")).body.state.status.phase).toBe("open");
  });

  it("ignores claims from anyone but the configured bot", async () => {
    receiver.answer = (body) => ({
      body: { claims: [approveClaim(body.events[0], { kind: "user", email: "boss@example.com" })] },
    });
    const reply = await petition("db.v1.Replica");
    expect(reply.body.state.status.phase).toBe("open");
    const explained = await t.call("POST", `${base}/policies:explain`, { petition: reply.body.name });
    expect(explained.body.webhooks).toEqual([
      { webhook: "pagerduty-decision", policies: ["oncall"], result: "skipped", detail: "selected; not called here" },
    ]);
  });

  it("applies a deny claim: deny wins", async () => {
    receiver.answer = (body) => ({
      body: { claims: [{ ...approveClaim(body.events[0], PAGERDUTY_BOT), event: "access/deny", reason: "not on call" }] },
    });
    const reply = await petition("db.v1.Replica");
    expect(reply.body.state.status).toEqual({ phase: "closed", outcome: "denied" });
  });

  it("treats failures as no opinion and shows them on the webhook", async () => {
    for (const answer of [
      { status: 500, body: { status: { code: 13, message: "boom" } } },
      { body: { status: { code: 10, message: "Uncaught exception" } } },
      { body: "not json at all" },
      "hang" as const,
    ]) {
      receiver.answer = () => answer;
      const reply = await petition("db.v1.Replica");
      expect(reply.body.state.status.phase, JSON.stringify(answer)).toBe("open");
    }
    // The webhook's health is written after the petition is answered.
    const hook = await until(
      () => t.call("GET", `${base}/webhooks/pagerduty-decision`),
      (reply) => Boolean(reply.body.lastError),
    );
    expect(hook.body.lastError).toMatch(/no answer within 500 ms|status code|HTTP 500/);
    expect(hook.body.secret).toBeUndefined();
    expect(hook.body.headers).toEqual({ "x-team": { value: "(redacted)" } });
  });

  it("never holds the write transaction while it waits for a webhook, even with an Idempotency-Key", async () => {
    receiver.answer = () => "hang";
    counter += 1;
    const body = {
      petition: {
        reason: "slow",
        petitioners: [{ kind: "user", email: `p${counter}@example.com` }],
        resources: [{ kind: "db.v1.Replica", id: `r${counter}` }],
      },
    };
    const key = { "idempotency-key": `slow-${counter}` };
    const asked = receiver.requests.length;
    let slowAnswered = false;
    const slow = t.call("POST", `${base}/petitions`, body, key).finally(() => (slowAnswered = true));
    await waitFor("the decision webhook to be asked", () => receiver.requests.length > asked);
    // Another write commits while the webhook is still being waited for (it never answers; the
    // petition waits out the decision timeout).
    const other = await t.call("POST", `${base}/resources`, { resource: { kind: "db.v1.Replica", id: `other-${counter}` } });
    expect(other.status).toBe(201);
    expect(slowAnswered).toBe(false);
    const made = await slow;
    expect(made.status).toBe(201);
    expect(made.body.state.status.phase).toBe("open");
    const calls = receiver.requests.length;
    const replay = await t.call("POST", `${base}/petitions`, body, key);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    expect(replay.body.name).toBe(made.body.name);
    expect(receiver.requests.length).toBe(calls);
  });

  it("does not call it for petitions its webhook policy does not select", async () => {
    const before = receiver.requests.length;
    await petition("other.v1.Kind");
    expect(receiver.requests.length).toBe(before);
  });

  it("lets the bot count only as a reviewer where a rule requires people", async () => {
    receiver.answer = (body) => ({ body: { claims: [approveClaim(body.events[0], PAGERDUTY_BOT)] } });
    const reviewer = await userToken(t, space, `rev@${space}.example.com`, ["member"]);
    const policy = {
      rules: [
        {
          name: "replicas",
          match: { kinds: ["db.v1.Replica"] },
          require: [
            { name: "bot", reviewers: { bots: ["pagerduty-approval-bot"] } },
            { name: "human", reviewers: { users: [`rev@${space}.example.com`] } },
          ],
        },
      ],
    };
    expect((await t.call("PUT", `${base}/policy`, { policy })).status).toBe(200);
    const reply = await petition("db.v1.Replica");
    expect(reply.body.state.status.phase).toBe("open");
    expect(reply.body.state.review.steps.map((s: { approvedBy: string[] }) => s.approvedBy)).toEqual([
      ["bot:pagerduty-decision/pagerduty-approval-bot"],
      [],
    ]);
    expect(
      (await t.call("POST", `${base}/petitions/${reply.body.name}/claims`, { claim: { event: "access/approve" } }, bearer(reviewer)))
        .status,
    ).toBe(200);
    expect((await t.call("GET", `${base}/petitions/${reply.body.name}`)).body.state.status.phase).toBe("granted");
    // Without a step naming the bot, its approval changes nothing where people are required.
    await t.call("PUT", `${base}/policy`, { policy: { rules: [{ ...policy.rules[0], require: [policy.rules[0]!.require[1]] }] } });
    expect((await petition("db.v1.Replica")).body.state.status.phase).toBe("open");
  });

  it("never approves a high-risk petition, not even where a step names the bot: a person with a fresh sign-in must", async () => {
    receiver.answer = (body) => ({ body: { claims: [approveClaim(body.events[0], PAGERDUTY_BOT)] } });
    for (const require of [undefined, [{ name: "bot", reviewers: { bots: ["pagerduty-approval-bot"] } }]]) {
      const rule = { name: "replicas", match: { kinds: ["db.v1.Replica"] }, highRisk: true, ...(require ? { require } : {}) };
      expect((await t.call("PUT", `${base}/policy`, { policy: { rules: [rule] } })).status).toBe(200);
      const reply = await petition("db.v1.Replica");
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      expect(reply.body.state.status.phase).toBe("open");
      expect(reply.body.state.eventHistory.map((e: { event: string }) => e.event)).not.toContain("access/approve");
    }
  });
});
