import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { approveClaim, startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * Stored secrets go only where they were given for. A space admin who points a webhook, an
 * event subscription, an on-call provider or the Slack app at another URL must send its secrets
 * again in the same request: otherwise the change is refused (SECRET_REQUIRED, naming the field
 * to send) and nothing reaches the new URL. A move that sends them is made, and audited with
 * where it moved from and to, never with the secrets.
 */

let t: TestServer;
let space: string;
let base: string;
/** The space admin's headers: an admin of this space only, not the server's admin token. */
let spaceAdmin: Record<string, string>;
const receivers: Receiver[] = [];
let seq = 0;

beforeAll(async () => {
  t = await startTestServer({ env: { GREENLIGHT_DELIVERY_SCHEDULE: "100ms,100ms,100ms" } });
  space = await createSpace(t);
  base = `/v1/spaces/${space}`;
  spaceAdmin = bearer(await userToken(t, space, "space-admin@example.com", ["admin"]));
});
afterAll(async () => {
  await t.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(path: string): Promise<Receiver> {
  const started = await startReceiver(path);
  receivers.push(started);
  return started;
}

/** Everything a receiver was sent, headers included, as one text to search for secrets. */
const everythingSentTo = (r: Receiver) => JSON.stringify(r.requests.map((request) => ({ headers: request.headers, body: request.raw })));

const originOf = (url: string) => new URL(url).origin;

/** Once `r` has been called, it was sent the secret given with the move, and never the stored one. */
async function expectSentOnly(r: Receiver, given: string, stored: string) {
  await r.received(1);
  expect(everythingSentTo(r)).toContain(given);
  expect(everythingSentTo(r)).not.toContain(stored);
}

/** A petition for a resource of `kind`, approved by the server's admin. */
async function grantPetitionFor(kind: string) {
  seq += 1;
  const created = await t.call("POST", `${base}/petitions`, {
    petition: { reason: "work", petitioners: [{ kind: "user", email: `p${seq}@example.com` }], resources: [{ kind, id: `r${seq}` }] },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const approved = await t.call("POST", `${base}/petitions/${created.body.name}/claims`, approveClaim("1h"));
  expect(approved.status, JSON.stringify(approved.body)).toBe(200);
  return created.body.name as string;
}

/** The space's audit events of `event`, newest first. */
async function auditEvents(event: string) {
  const reply = await t.call("GET", `${base}/audit?event=${encodeURIComponent(event)}&pageSize=100`);
  expect(reply.status).toBe(200);
  return reply.body.events as Array<{ event: string; meta: { labels: Record<string, string> } }>;
}

/** The latest `event` in the audit log records the move and which secrets were set, and none of `secrets`. */
async function expectMoveAudited(event: string, move: { from: string; to: string; secretChanged: string }, secrets: string[]) {
  const [latest] = await auditEvents(event);
  expect(latest!.meta.labels).toMatchObject({
    "greenlight.dev/destination-from": originOf(move.from),
    "greenlight.dev/destination-to": originOf(move.to),
    "greenlight.dev/secret-changed": move.secretChanged,
  });
  for (const secret of secrets) expect(JSON.stringify(latest)).not.toContain(secret);
}

function expectSecretRequired(reply: { status: number; body: any }, field: string) {
  expect(reply.status, JSON.stringify(reply.body)).toBe(400);
  expect(reply.body.error.code).toBe("SECRET_REQUIRED");
  expect(reply.body.error.field).toBe(field);
  expect(reply.body.error.message).toContain(field);
}

describe("a webhook", () => {
  const SECRET = "wks0OriginalSigningSecret0123456789abcd";
  const HEADER = "Bearer stored-header-credential-7f3a";
  const kind = "dest.v1.Group";
  let legit: Receiver;
  let intruder: Receiver;

  beforeAll(async () => {
    legit = await receiver("/okta");
    intruder = await receiver("/steal");
    const created = await t.call("POST", `${base}/webhooks`, {
      webhook: {
        name: "okta",
        url: legit.url,
        secret: SECRET,
        headers: { authorization: { value: HEADER } },
        handlers: [{ type: "applyUpdate", resourceKinds: [kind] }],
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  it("moved by a space admin without its secrets is refused, and its header and signature never reach the new URL", async () => {
    expectSecretRequired(await t.call("PATCH", `${base}/webhooks/okta`, { webhook: { url: intruder.url } }, spaceAdmin), "webhook.secret");
    expectSecretRequired(
      await t.call(
        "PATCH",
        `${base}/webhooks/okta`,
        { webhook: { url: intruder.url, secret: "wks0ChosenByTheIntruder0123456789abcdef" } },
        spaceAdmin,
      ),
      "webhook.headers",
    );
    const unchanged = await t.call("GET", `${base}/webhooks/okta`, undefined, spaceAdmin);
    expect(unchanged.body.url).toBe(legit.url);

    await grantPetitionFor(kind);
    const [delivered] = await legit.received(1);
    expect(delivered!.headers["authorization"]).toBe(HEADER);
    expect(intruder.requests).toEqual([]);
  });

  it("moved with its secrets sent again, is moved, and the move is audited without them", async () => {
    const moved = await t.call(
      "PATCH",
      `${base}/webhooks/okta`,
      {
        webhook: {
          url: intruder.url,
          secret: "wks0NewSecretForTheNewPlace0123456789ab",
          headers: { authorization: { value: "Bearer new" } },
        },
      },
      spaceAdmin,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(moved.body.url).toBe(intruder.url);

    await grantPetitionFor(kind);
    const [delivered] = await intruder.received(1);
    expect(delivered!.headers["authorization"]).toBe("Bearer new");
    expect(everythingSentTo(intruder)).not.toContain(HEADER);

    await expectMoveAudited("webhook/updated", { from: legit.url, to: intruder.url, secretChanged: "secret,headers" }, [
      "wks0NewSecret",
      "Bearer new",
    ]);
  });

  it("keeps its secrets when the URL it is sent is its own", async () => {
    const same = await t.call("PATCH", `${base}/webhooks/okta`, { webhook: { url: intruder.url, displayName: "Okta" } }, spaceAdmin);
    expect(same.status, JSON.stringify(same.body)).toBe(200);
    const [event] = await auditEvents("webhook/updated");
    expect(event!.meta.labels["greenlight.dev/destination-to"]).toBeUndefined();
  });
});

describe("an event subscription", () => {
  let legit: Receiver;
  let intruder: Receiver;

  beforeAll(async () => {
    legit = await receiver("/events");
    intruder = await receiver("/steal-events");
    const created = await t.call("POST", `${base}/subscriptions`, {
      subscription: { name: "audit-sink", url: legit.url, eventTypes: ["petition.created"] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
  });

  it("moved by a space admin without its secret is refused, and no signed event reaches the new URL", async () => {
    expectSecretRequired(
      await t.call("PATCH", `${base}/subscriptions/audit-sink`, { subscription: { url: intruder.url } }, spaceAdmin),
      "subscription.secret",
    );
    await grantPetitionFor("dest.v1.Thing");
    const [delivered] = await legit.received(1);
    expect(delivered!.headers["webhook-signature"]).toBeDefined();
    expect(intruder.requests).toEqual([]);
  });

  it("moved with a secret sent again, is moved and audited", async () => {
    const secret = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;
    const moved = await t.call("PATCH", `${base}/subscriptions/audit-sink`, { subscription: { url: intruder.url, secret } }, spaceAdmin);
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await expectMoveAudited("subscription/updated", { from: legit.url, to: intruder.url, secretChanged: "secret" }, [secret]);
  });
});

describe("an on-call provider", () => {
  const API_KEY = "pd-stored-api-key-5e1b9c";
  let intruder: Receiver;

  beforeAll(async () => {
    intruder = await receiver("");
    const created = await t.call("POST", `${base}/onCallProviders`, {
      provider: { name: "pd", kind: "pagerduty", apiKey: API_KEY, baseUrl: "http://127.0.0.1:9", settings: { schedules: ["PSRE"] } },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    // Every petition asks the space's on-call providers, so a moved provider would be called with its key.
    const policy = await t.call("PUT", `${base}/policy`, {
      policy: { rules: [{ name: "on-call", match: { kinds: ["oncall.v1.Db"], condition: "onCall" }, autoApprove: { reason: "on call" } }] },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
  });

  /** A petition the policy checks against the on-call providers: each is called with its key. */
  async function askAsOnCall(email: string, database: string) {
    const petition = await t.call("POST", `${base}/petitions`, {
      petition: { reason: "work", petitioners: [{ kind: "user", email }], resources: [{ kind: "oncall.v1.Db", id: database }] },
    });
    expect(petition.status).toBe(201);
  }

  it("moved by a space admin without its API key is refused, and the key never reaches the new URL", async () => {
    expectSecretRequired(
      await t.call("PUT", `${base}/onCallProviders/pd`, { provider: { baseUrl: intruder.url } }, spaceAdmin),
      "provider.apiKey",
    );
    // Another kind is another provider's API: the key would go to it.
    expectSecretRequired(
      await t.call("PUT", `${base}/onCallProviders/pd`, { provider: { kind: "opsgenie", settings: {} } }, spaceAdmin),
      "provider.apiKey",
    );
    await askAsOnCall("sre@example.com", "orders");
    expect(intruder.requests).toEqual([]);
  });

  it("moved with its API key sent again, is moved and audited", async () => {
    const moved = await t.call(
      "PUT",
      `${base}/onCallProviders/pd`,
      { provider: { baseUrl: intruder.url, apiKey: "pd-new-key-for-new-place" } },
      spaceAdmin,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await askAsOnCall("sre2@example.com", "billing");
    await expectSentOnly(intruder, "pd-new-key-for-new-place", API_KEY);
    await expectMoveAudited("onCallProvider/updated", { from: "http://127.0.0.1:9", to: intruder.url, secretChanged: "apiKey" }, [
      "pd-new-key-for-new-place",
    ]);
  });
});

describe("the Slack app", () => {
  const BOT_TOKEN = "xoxb-stored-bot-token-0a1b2c";
  let intruder: Receiver;

  beforeAll(async () => {
    intruder = await receiver("/api/");
    const set = await t.call("PUT", `${base}/slack`, {
      slack: { botToken: BOT_TOKEN, signingSecret: "0123456789abcdef0123", apiUrl: "http://127.0.0.1:9/api/" },
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
  });

  it("moved by a space admin without its bot token is refused, and the token never reaches the new URL", async () => {
    expectSecretRequired(await t.call("PUT", `${base}/slack`, { slack: { apiUrl: intruder.url } }, spaceAdmin), "slack.botToken");
    await t.call("POST", `${base}/slack:test`, undefined, spaceAdmin);
    expect(everythingSentTo(intruder)).not.toContain(BOT_TOKEN);
    expect(intruder.requests).toEqual([]);
  });

  it("moved with its bot token sent again, is moved and audited", async () => {
    const moved = await t.call(
      "PUT",
      `${base}/slack`,
      { slack: { apiUrl: intruder.url, botToken: "xoxb-new-token-for-new-place" } },
      spaceAdmin,
    );
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    await t.call("POST", `${base}/slack:test`, undefined, spaceAdmin);
    await expectSentOnly(intruder, "xoxb-new-token-for-new-place", BOT_TOKEN);
    await expectMoveAudited("slackApp/updated", { from: "http://127.0.0.1:9", to: intruder.url, secretChanged: "botToken" }, [
      "xoxb-new-token-for-new-place",
    ]);
  });
});

describe("an empty secret", () => {
  it("does not show a webhook's or a subscription's stored secret back", async () => {
    const hook = await t.call("POST", `${base}/webhooks`, {
      webhook: { name: "quiet", url: "http://127.0.0.1:9/hook", handlers: [{ type: "decision", resourceKinds: [] }] },
    });
    const sub = await t.call("POST", `${base}/subscriptions`, { subscription: { name: "quiet", url: "http://127.0.0.1:9/events" } });
    expect([hook.status, sub.status]).toEqual([201, 201]);

    const patchedHook = await t.call("PATCH", `${base}/webhooks/quiet`, { webhook: { secret: "" } }, spaceAdmin);
    const patchedSub = await t.call("PATCH", `${base}/subscriptions/quiet`, { subscription: { secret: "" } }, spaceAdmin);
    expect([patchedHook.status, patchedSub.status]).toEqual([200, 200]);
    expect(JSON.stringify(patchedHook.body)).not.toContain(hook.body.secret);
    expect(JSON.stringify(patchedSub.body)).not.toContain(sub.body.secret);
  });
});
