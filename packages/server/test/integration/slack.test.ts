import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signSlackRequest } from "../../src/slack/signature.js";
import { startFakeSlack, type FakeSlack } from "./fakes/slack.js";
import { ManualClock } from "../support/manual-clock.js";
import { approveClaim, createPetition, denyClaim, SPACE, startTestServer, type TestServer, until } from "./harness.js";

/**
 * Review in Slack against a fake Slack Web API on loopback: review messages posted when a
 * petition needs reviewers, signed interactions sent to the real endpoint, decisions recorded
 * as the mapped user, every message updated wherever the petition is decided, and the
 * petitioner told. Slack's failures and rate limits are retried through the outbox.
 */

const TOKEN = "xoxb-1234567890-test-token";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const CHANNEL = "C0REVIEWS";
const TEAM = "T0GREEN";

const ALICE = { id: "U0ALICE", email: "alice@example.com" }; // reviewer
const DAVE = { id: "U0DAVE", email: "dave@example.com" }; // reviewer too
const BOB = { id: "U0BOB", email: "bob@example.com" }; // petitioner (reviewer role too, to test self-review)
const CAROL = { id: "U0CAROL", email: "carol@example.com" }; // no role in the space
const ERIN = { id: "U0ERIN", email: "erin@example.com" }; // email not confirmed
const KIM = { id: "U0KIM", email: "kim@example.com" }; // reviewer
// Another account whose confirmed email starts with the Kelvin sign (U+212A): lower-cased, it reads as kim's.
const KELVIN = { id: "U0KELVIN", email: "\u212Aim@example.com" };

let t: TestServer<ManualClock>;
let slack: FakeSlack;
let seq = 0;

beforeAll(async () => {
  slack = await startFakeSlack({
    token: TOKEN,
    users: [
      { id: ALICE.id, email: ALICE.email, teamId: TEAM },
      { id: DAVE.id, email: DAVE.email, teamId: TEAM },
      { id: BOB.id, email: BOB.email, teamId: TEAM },
      { id: CAROL.id, email: CAROL.email, teamId: TEAM },
      { id: ERIN.id, email: ERIN.email, teamId: TEAM, isEmailConfirmed: false },
      { id: KIM.id, email: KIM.email, teamId: TEAM },
      { id: KELVIN.id, email: KELVIN.email, teamId: TEAM },
    ],
  });
  t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_DELIVERY_SCHEDULE: "300ms,300ms,300ms,300ms" } });
  for (const [email, role] of [
    [ALICE.email, "reviewer"],
    [DAVE.email, "reviewer"],
    [BOB.email, "reviewer"],
    [ERIN.email, "reviewer"],
    [KIM.email, "reviewer"],
  ] as const) {
    const bound = await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` });
    expect(bound.status, JSON.stringify(bound.body)).toBe(200);
  }
  const set = await t.call("PUT", `${SPACE}/slack`, {
    slack: { botToken: TOKEN, signingSecret: SECRET, apiUrl: slack.apiUrl, defaultChannels: [CHANNEL], teamId: TEAM },
  });
  expect(set.status, JSON.stringify(set.body)).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await slack?.close();
});

function uniqueResource(labels: Record<string, string> = {}) {
  seq += 1;
  return { kind: "aws.v1.Role", id: `slack-role-${seq}`, labels };
}

/** One retry of the delivery schedule above, with its jitter (±20 %). */
const ONE_RETRY = 400;
/** Past every retry of the delivery schedule above. */
const PAST_RETRIES = 4 * ONE_RETRY;

/** A petition for bob that needs review. */
async function bobAsks(overrides: Record<string, unknown> = {}) {
  return createPetition(t, { petitioners: [{ kind: "user", email: BOB.email }], resources: [uniqueResource()], ...overrides });
}

/** The review message about a petition in the channel, once posted. */
async function reviewMessage(petition: string) {
  await slack.waitFor(() => slack.messages(CHANNEL).some((m) => JSON.stringify(m.blocks).includes(petition)));
  return slack.messages(CHANNEL).find((m) => JSON.stringify(m.blocks).includes(petition))!;
}

/** Every object nested in the blocks that `keep` picks. */
function objectsIn<T>(blocks: unknown, keep: (o: Record<string, unknown>) => boolean): T[] {
  const out: T[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const o = node as Record<string, unknown>;
      if (keep(o)) out.push(o as T);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return out;
}

const buttonValues = (blocks: unknown) =>
  objectsIn<{ action_id: string; value?: string; url?: string }>(blocks, (o) => o["type"] === "button");
const mrkdwnTexts = (blocks: unknown) => objectsIn<{ text: string; verbatim?: boolean }>(blocks, (o) => o["type"] === "mrkdwn");

/** Sends a request to the Slack endpoint as Slack would, signed unless told otherwise. */
async function sendToSlackEndpoint(
  endpoint: "interactions" | "commands",
  body: string,
  options: { timestamp?: number; signature?: string } = {},
) {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const response = await fetch(`${t.url}/v1/slack/default/${endpoint}`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": options.signature ?? signSlackRequest(SECRET, timestamp, body),
    },
    body,
  });
  return { status: response.status, text: await response.text() };
}

function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

let triggers = 0;
function blockAction(user: { id: string }, actionId: string, petition: string, message?: { ts: string }, duration?: string) {
  triggers += 1;
  return {
    type: "block_actions",
    user: { id: user.id, team_id: TEAM },
    team: { id: TEAM },
    trigger_id: `trigger-${triggers}-${Date.now()}`,
    channel: { id: CHANNEL },
    container: { type: "message", channel_id: CHANNEL, message_ts: message?.ts ?? "1.1" },
    actions: [{ action_id: actionId, block_id: `greenlight.review:${petition}`, value: petition, action_ts: String(Date.now() / 1000) }],
    state: duration
      ? {
          values: {
            [`greenlight.review:${petition}`]: { "greenlight.duration": { type: "static_select", selected_option: { value: duration } } },
          },
        }
      : { values: {} },
  };
}

async function petition(name: string) {
  const reply = await t.call("GET", `${SPACE}/petitions/${name}`);
  expect(reply.status).toBe(200);
  return reply.body;
}

describe("Slack app configuration", () => {
  it("shows hints of the secrets, never the secrets, and the URLs to give Slack", async () => {
    const reply = await t.call("GET", `${SPACE}/slack`);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      spaceName: "default",
      apiUrl: slack.apiUrl,
      defaultChannels: [CHANNEL],
      teamId: TEAM,
      expiryReminder: "15m0s",
      botTokenHint: "xoxb-…oken",
      signingSecretHint: "…85a5",
    });
    expect(reply.body.interactivityUrl).toBe(`${t.url}/v1/slack/default/interactions`);
    expect(reply.body.commandsUrl).toBe(`${t.url}/v1/slack/default/commands`);
    expect(JSON.stringify(reply.body)).not.toContain(TOKEN);
    expect(JSON.stringify(reply.body)).not.toContain(SECRET);
  });

  it("refuses a bad token, secret, channel or API URL with what to fix", async () => {
    for (const [slackInput, field] of [
      [{ botToken: "not-a-token" }, "slack.botToken"],
      [{ signingSecret: "short" }, "slack.signingSecret"],
      [{ defaultChannels: ["general channel"] }, "slack.defaultChannels[0]"],
      [{ apiUrl: "ftp://slack.example.com" }, "slack.apiUrl"],
      [{ expiryReminder: "soon" }, "slack.expiryReminder"],
    ] as const) {
      const reply = await t.call("PUT", `${SPACE}/slack`, { slack: slackInput });
      expect(reply.status, JSON.stringify(slackInput)).toBe(400);
      expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
      expect(reply.body.error.message).toContain(field);
    }
  });

  it("serves the manifest with this server's URLs for the space", async () => {
    const json = await t.call("GET", `${SPACE}/slack/manifest`);
    expect(json.status).toBe(200);
    expect(JSON.stringify(json.body)).toContain(`${t.url}/v1/slack/default/interactions`);
    expect(JSON.stringify(json.body)).toContain(`${t.url}/v1/slack/default/commands`);
    const yaml = await t.call("GET", `${SPACE}/slack/manifest?format=yaml`);
    expect(yaml.headers["content-type"]).toContain("yaml");
    expect(String(yaml.body)).toContain("/greenlight");
  });

  it("tests the bot token with auth.test", async () => {
    const reply = await t.call("POST", `${SPACE}/slack:test`);
    expect(reply.status).toBe(200);
    expect(reply.body.ok).toBe(true);
  });
});

describe("review in Slack", () => {
  it("request → message → Approve → granted as the Slack user → message updated → petitioner told", async () => {
    const asked = await bobAsks({ reason: "fix <prod> & friends", defaultDuration: "2h" });
    const message = await reviewMessage(asked.name);
    const buttons = buttonValues(message.blocks);
    expect(buttons.find((b) => b.action_id === "greenlight.approve")?.value).toBe(asked.name);
    expect(buttons.find((b) => b.action_id === "greenlight.deny")?.value).toBe(asked.name);
    expect(buttons.find((b) => b.action_id === "greenlight.open")?.url).toBe(`${t.url}/spaces/default/petitions/${asked.name}`);
    expect(JSON.stringify(message.blocks)).toContain("fix &lt;prod&gt; &amp; friends");

    const sent = await sendToSlackEndpoint(
      "interactions",
      interactionBody(blockAction(ALICE, "greenlight.approve", asked.name, message, "4h0m0s")),
    );
    expect(sent.status).toBe(200);
    expect(sent.text).toBe("");

    const granted = await until(
      () => petition(asked.name),
      (p) => p.state.status.phase === "granted",
    );
    const approval = granted.state.eventHistory.find((e: any) => e.event === "access/approve");
    expect(approval.actor.email).toBe(ALICE.email);
    expect(approval.meta.labels).toMatchObject({
      "greenlight.dev/slack/user": ALICE.id,
      "greenlight.dev/slack/team": TEAM,
      "greenlight.dev/via": "slack",
    });
    expect(approval.meta.labels["indent.com/time/duration"]).toBe("4h0m0s");

    await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.updates > 0);
    const updated = slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    expect(buttonValues(updated.blocks).map((b) => b.action_id)).not.toContain("greenlight.approve");
    expect(JSON.stringify(updated.blocks)).toContain(ALICE.email);

    await slack.waitFor(() => slack.dms(BOB.id).some((m) => JSON.stringify(m).includes(asked.name) || /approved|granted/i.test(m.text)));
  });

  it("takes a retried or repeated interaction once", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    const body = interactionBody(blockAction(DAVE, "greenlight.approve", asked.name, message, "1h0m0s"));
    const timestamp = Math.floor(Date.now() / 1000);
    const first = await sendToSlackEndpoint("interactions", body, { timestamp });
    const again = await sendToSlackEndpoint("interactions", body, { timestamp });
    const later = await sendToSlackEndpoint("interactions", body);
    expect([first.status, again.status, later.status]).toEqual([200, 200, 200]);
    await until(
      () => petition(asked.name),
      (p) => p.state.status.phase === "granted",
    );
    await t.idle();
    const history = (await petition(asked.name)).state.eventHistory;
    expect(history.filter((e: any) => e.event === "access/approve")).toHaveLength(1);
    expect(history.filter((e: any) => e.event === "access/grant")).toHaveLength(1);
    expect(slack.ephemerals.filter((e) => e.user === DAVE.id)).toHaveLength(0);
  });

  it("refuses a tampered, unsigned, stale or future payload and changes nothing", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    const body = interactionBody(blockAction(ALICE, "greenlight.approve", asked.name, message));
    const now = Math.floor(Date.now() / 1000);
    const signature = signSlackRequest(SECRET, now, body);
    const tampered = body.replace(ALICE.id, CAROL.id);
    const refused = [
      await sendToSlackEndpoint("interactions", tampered, { timestamp: now, signature }),
      await sendToSlackEndpoint("interactions", body, { timestamp: now, signature: signSlackRequest("0".repeat(32), now, body) }),
      await sendToSlackEndpoint("interactions", body, { timestamp: now - 6 * 60 }),
      await sendToSlackEndpoint("interactions", body, { timestamp: now + 6 * 60 }),
      await sendToSlackEndpoint("interactions", body, { timestamp: now, signature: "v0=" }),
      await sendToSlackEndpoint("interactions", body, { timestamp: now, signature: "" }),
    ];
    for (const reply of refused) {
      expect(reply.status).toBe(401);
      expect(JSON.parse(reply.text).error.code).toBe("UNAUTHENTICATED");
    }
    const other = await fetch(`${t.url}/v1/slack/no-such-space/interactions`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(now),
        "x-slack-signature": signature,
      },
      body,
    });
    expect(other.status).toBe(401);
    await t.idle();
    expect((await petition(asked.name)).state.status.phase).toBe("open");
  });

  it("tells an unmapped, unconfirmed, ineligible or self-reviewing user why, only them, and changes nothing", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    const cases = [
      { user: CAROL, says: /no role/ },
      { user: ERIN, says: /not confirmed/ },
      { user: BOB, says: /cannot approve/ },
    ];
    for (const { user, says } of cases) {
      const before = slack.ephemerals.length;
      expect(
        (await sendToSlackEndpoint("interactions", interactionBody(blockAction(user, "greenlight.approve", asked.name, message)))).status,
      ).toBe(200);
      await slack.waitFor(() => slack.ephemerals.length > before);
      const told = slack.ephemerals.at(-1)!;
      expect(told.user).toBe(user.id);
      expect(told.channel).toBe(CHANNEL);
      expect(told.text).toMatch(says);
    }
    expect((await petition(asked.name)).state.status.phase).toBe("open");
  });

  it("does not take a Slack account whose email only looks like a reviewer's for that reviewer", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    const before = slack.ephemerals.length;
    await sendToSlackEndpoint("interactions", interactionBody(blockAction(KELVIN, "greenlight.approve", asked.name, message)));
    await slack.waitFor(() => slack.ephemerals.length > before);
    const told = slack.ephemerals.at(-1)!;
    expect(told.user).toBe(KELVIN.id);
    expect(told.text).toMatch(/ASCII/);
    expect((await petition(asked.name)).state.status.phase).toBe("open");
  });

  it("denies with a reason from the modal, and updates the message and tells the petitioner", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    const views = slack.views.length;
    await sendToSlackEndpoint("interactions", interactionBody(blockAction(ALICE, "greenlight.deny", asked.name, message)));
    await slack.waitFor(() => slack.views.length > views);
    const modal = slack.views.at(-1)!.view as any;
    expect(modal.callback_id).toBe("greenlight.deny");
    const submission = {
      type: "view_submission",
      token: "legacy-verification-token",
      response_urls: [{ response_url: "https://hooks.slack.com/app/secret" }],
      user: { id: ALICE.id, team_id: TEAM },
      team: { id: TEAM },
      view: {
        callback_id: "greenlight.deny",
        private_metadata: modal.private_metadata,
        state: { values: { reason: { reason: { type: "plain_text_input", value: "use the runbook instead" } } } },
      },
    };
    const dmsBefore = slack.dms(BOB.id).length;
    expect((await sendToSlackEndpoint("interactions", interactionBody(submission))).status).toBe(200);
    const denied = await until(
      () => petition(asked.name),
      (p) => p.state.status.phase === "closed",
    );
    const deny = denied.state.eventHistory.find((e: any) => e.event === "access/deny");
    expect(deny).toMatchObject({ reason: "use the runbook instead", actor: { email: ALICE.email } });
    await slack.waitFor(() =>
      JSON.stringify(slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.blocks).includes("use the runbook instead"),
    );
    await slack.waitFor(() => slack.dms(BOB.id).length > dmsBefore);
    // The interaction as kept in the delivery log holds no Slack credentials.
    const log = await t.call("GET", `${SPACE}/slack/deliveries?pageSize=100`);
    const kept = log.body.deliveries.filter((d: any) => d.event === "slack.interaction");
    for (const d of kept.slice(0, 5)) {
      const body = JSON.stringify((await t.call("GET", `${SPACE}/slack/deliveries/${d.id}`)).body.body);
      expect(body).not.toContain("legacy-verification-token");
      expect(body).not.toContain("hooks.slack.com");
    }
  });

  it("updates the message when the petition is decided elsewhere (the API)", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    expect((await t.call("POST", `${SPACE}/petitions/${asked.name}/claims`, denyClaim)).status).toBe(200);
    await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.updates > 0);
    const updated = slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    expect(buttonValues(updated.blocks).map((b) => b.action_id)).not.toContain("greenlight.deny");
    expect(JSON.stringify(updated.blocks)).toContain("not now");
  });

  it("sends high-risk petitions to the web UI for a fresh sign-in instead of deciding in Slack", async () => {
    const resource = uniqueResource({ env: "prod" });
    expect((await t.call("POST", `${SPACE}/resources:bulkUpdate`, { resources: [resource] })).status).toBeLessThan(300);
    const policy = await t.call("PUT", `${SPACE}/policy`, {
      policy: { rules: [{ name: "prod-is-high-risk", match: { kinds: [resource.kind], resources: "env=prod" }, highRisk: true }] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBeLessThan(300);
    try {
      const asked = await bobAsks({ resources: [resource] });
      const message = await reviewMessage(asked.name);
      const buttons = buttonValues(message.blocks);
      expect(buttons.map((b) => b.action_id)).not.toContain("greenlight.approve");
      expect(buttons.find((b) => b.action_id === "greenlight.open")?.url).toContain(asked.name);
      expect(JSON.stringify(message.blocks)).toContain("env=prod");
      // A hand-made click is refused all the same.
      const before = slack.ephemerals.length;
      await sendToSlackEndpoint("interactions", interactionBody(blockAction(ALICE, "greenlight.approve", asked.name, message)));
      await slack.waitFor(() => slack.ephemerals.length > before);
      expect(slack.ephemerals.at(-1)!.text).toMatch(/high-risk/);
      expect((await petition(asked.name)).state.status.phase).toBe("open");
    } finally {
      await t.call("DELETE", `${SPACE}/policy`);
    }
  });

  it("asks the escalation's channel once the petition has waited that long", async () => {
    const policy = await t.call("PUT", `${SPACE}/policy`, {
      policy: { rules: [], defaults: { escalations: [{ after: "1s", notify: { channels: ["C0ESCALATE"], reviewers: false } }] } },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBeLessThan(300);
    try {
      const asked = await bobAsks();
      await reviewMessage(asked.name);
      await t.clock.advance(999);
      await t.idle();
      expect(slack.messages("C0ESCALATE").some((m) => JSON.stringify(m.blocks).includes(asked.name))).toBe(false);
      await t.clock.advance(1);
      await slack.waitFor(() => slack.messages("C0ESCALATE").some((m) => JSON.stringify(m.blocks).includes(asked.name)));
    } finally {
      await t.call("DELETE", `${SPACE}/policy`);
    }
  });

  it("keeps trying through a Slack outage, then updates the message", async () => {
    const asked = await bobAsks();
    const message = await reviewMessage(asked.name);
    slack.failNext("chat.update", { status: 503 }, 2);
    expect((await t.call("POST", `${SPACE}/petitions/${asked.name}/claims`, denyClaim)).status).toBe(200);
    // Two failed attempts, each followed by a retry when the schedule says.
    for (let failed = 0; failed < 2; failed++) {
      await t.idle();
      expect(slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.updates).toBe(0);
      await t.clock.advance(ONE_RETRY);
    }
    await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.updates > 0);
    const sync = await until(
      async () =>
        (await t.call("GET", `${SPACE}/slack/deliveries?pageSize=100`)).body.deliveries.find(
          (d: any) => d.event === "slack.sync" && d.petition === asked.name,
        ),
      (d) => d?.status === "delivered",
    );
    expect(sync.attempts).toBe(3);
  });

  it("retries through the outbox when Slack rate-limits, honouring Retry-After", async () => {
    slack.failNext("chat.postMessage", { rateLimited: 1 });
    const asked = await bobAsks();
    await t.idle();
    // Not posted again before Slack's Retry-After (1 s) has passed, though the schedule says 300 ms.
    await t.clock.advance(900);
    await t.idle();
    expect(slack.messages(CHANNEL).some((m) => JSON.stringify(m.blocks).includes(asked.name))).toBe(false);
    await t.clock.advance(100);
    await reviewMessage(asked.name);
    // Posted, then recorded as delivered.
    const post = await until(
      async () =>
        (await t.call("GET", `${SPACE}/slack/deliveries?pageSize=100`)).body.deliveries.find(
          (d: any) => d.event === "slack.post" && d.petition === asked.name,
        ),
      (d) => d?.status === "delivered",
    );
    expect(post.attempts).toBe(2);
    const detail = await t.call("GET", `${SPACE}/slack/deliveries/${post.id}`);
    expect(detail.body.attemptLog[0]).toMatchObject({ status: 429 });
    expect(detail.body.attemptLog[0].error).toMatch(/rate-limited/);
  });

  it("opens a request modal from /greenlight request and files the petition as the Slack user", async () => {
    const resource = uniqueResource();
    const upserted = await t.call("POST", `${SPACE}/resources:bulkUpdate`, { resources: [{ ...resource, displayName: "Billing DB" }] });
    expect(upserted.status, JSON.stringify(upserted.body)).toBeLessThan(300);
    const views = slack.views.length;
    triggers += 1;
    const command = new URLSearchParams({
      command: "/greenlight",
      text: "request billing",
      user_id: BOB.id,
      team_id: TEAM,
      channel_id: CHANNEL,
      trigger_id: `trigger-${triggers}`,
    }).toString();
    const sent = await sendToSlackEndpoint("commands", command);
    expect(sent.status).toBe(200);
    await slack.waitFor(() => slack.views.length > views);
    const modal = slack.views.at(-1)!.view as any;
    expect(modal.callback_id).toBe("greenlight.request");
    const options = JSON.stringify(modal.blocks);
    expect(options).toContain("Billing DB");
    const choice = modal.blocks.find((b: any) => b.block_id === "resource").element.options[0].value;
    const submission = {
      type: "view_submission",
      user: { id: BOB.id, team_id: TEAM },
      team: { id: TEAM },
      view: {
        callback_id: "greenlight.request",
        private_metadata: modal.private_metadata ?? "",
        state: {
          values: {
            resource: { resource: { type: "static_select", selected_option: { value: choice } } },
            reason: { reason: { type: "plain_text_input", value: "month-end close" } },
            duration: { duration: { type: "static_select", selected_option: { value: "2h0m0s" } } },
          },
        },
      },
    };
    const dms = slack.dms(BOB.id).length;
    expect((await sendToSlackEndpoint("interactions", interactionBody(submission))).status).toBe(200);
    const found = await until(
      async () => (await t.call("GET", `${SPACE}/petitions?pageSize=100`)).body.petitions.find((p: any) => p.reason === "month-end close"),
      (p) => p !== undefined,
    );
    expect(found.petitioners).toEqual([expect.objectContaining({ email: BOB.email })]);
    expect(found.resources).toEqual([expect.objectContaining({ id: resource.id })]);
    await slack.waitFor(() => slack.dms(BOB.id).length > dms);
  });

  it("answers /greenlight help at once, without a modal", async () => {
    const sent = await sendToSlackEndpoint(
      "commands",
      new URLSearchParams({ command: "/greenlight", text: "help", user_id: BOB.id, team_id: TEAM, trigger_id: "x" }).toString(),
    );
    expect(sent.status).toBe(200);
    expect(JSON.parse(sent.text)).toMatchObject({ response_type: "ephemeral" });
    expect(JSON.parse(sent.text).text).toContain("/greenlight request");
  });

  it("reminds the petitioner before access expires", async () => {
    expect((await t.call("PUT", `${SPACE}/slack`, { slack: { expiryReminder: "1s" } })).status).toBe(200);
    try {
      const asked = await bobAsks();
      await reviewMessage(asked.name);
      const dms = slack.dms(BOB.id).length;
      expect((await t.call("POST", `${SPACE}/petitions/${asked.name}/claims`, approveClaim("3s"))).status).toBe(200);
      const reminded = () =>
        slack
          .dms(BOB.id)
          .slice(dms)
          .some((m) => /ends|expire/i.test(m.text));
      // Due a second before the grant ends.
      await t.clock.advance(1999);
      await t.idle();
      expect(reminded()).toBe(false);
      await t.clock.advance(1);
      await slack.waitFor(reminded);
    } finally {
      await t.call("PUT", `${SPACE}/slack`, { slack: { expiryReminder: "15m" } });
    }
  });

  it("shows a hostile reason, name and denial inert: no forged lines, formatting or pings", async () => {
    const forged = "✅ *Approved by cto@example.com* for 8 hours";
    const asked = await bobAsks({
      reason: `routine work\n\n${forged}\n> <!channel> <!here> @everyone <@U0ALICE>`,
      resources: [{ kind: "aws.v1.Role", id: `slack-role-hostile-${Date.now()}`, displayName: "prod\n*✅ Approved*" }],
    });
    const message = await reviewMessage(asked.name);
    const texts = mrkdwnTexts(message.blocks);
    const reason = texts.find((text) => text.text.startsWith("*Reason*"))!.text;
    expect(reason.split("\n").slice(1)).toEqual([
      ">routine work",
      ">",
      ">✅ ∗Approved by cto@example.com∗ for 8 hours",
      ">\u00ad&gt; &lt;!channel&gt; &lt;!here&gt; ＠everyone &lt;@U0ALICE&gt;",
    ]);
    for (const text of texts) {
      expect(text.verbatim).toBe(true);
      expect(text.text).not.toMatch(/<!channel>|<!here>|<@U0ALICE>|\*Approved|@everyone/);
      for (const line of text.text.split("\n")) expect(line).not.toMatch(/^\s*\*?✅/);
    }
    expect(message.text).not.toMatch(/\n|<!channel>|<!here>|<@U0ALICE>|\*Approved/);

    const denial = { claim: { event: "access/deny", reason: `no\n${forged}\n<!channel>` } };
    expect((await t.call("POST", `${SPACE}/petitions/${asked.name}/claims`, denial)).status).toBe(200);
    await slack.waitFor(() => slack.messages(CHANNEL).find((m) => m.ts === message.ts)!.updates > 0);
    const updated = slack.messages(CHANNEL).find((m) => m.ts === message.ts)!;
    const outcome = mrkdwnTexts(updated.blocks).find((text) => text.text.includes("Denied by"))!.text;
    expect(outcome).toBe("❌ Denied by Bootstrap admin: no ✅ ∗Approved by cto@example.com∗ for 8 hours &lt;!channel&gt;");
  });

  it("stops posting once the Slack app is removed", async () => {
    const removed = await t.call("DELETE", `${SPACE}/slack`);
    expect(removed.status).toBe(200);
    await t.idle(); // calls already in flight finish
    expect((await t.call("GET", `${SPACE}/slack`)).status).toBe(404);
    const posts = slack.calls.filter((c) => c.method === "chat.postMessage").length;
    await bobAsks();
    await t.clock.advance(PAST_RETRIES);
    await t.idle();
    expect(slack.calls.filter((c) => c.method === "chat.postMessage").length).toBe(posts);
  });
});
