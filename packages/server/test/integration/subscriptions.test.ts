import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../../sdk/src/webhooks.js";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { ManualClock } from "../support/manual-clock.js";
import { approveClaim, createPetition, revokeClaim, SPACE, startTestServer, type TestServer, until } from "./harness.js";

/**
 * Event subscriptions in the Standard Webhooks format, checked with the reference
 * `standardwebhooks` package, with the delivery guarantees of integrations.
 */

let t: TestServer<ManualClock>;
let seq = 0;
/** Past every retry of the delivery schedule below. */
const PAST_RETRIES = 1000;

beforeAll(async () => {
  t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_DELIVERY_SCHEDULE: "200ms,200ms,200ms" } });
});
afterAll(() => t.close());

async function subscribe(receiver: Receiver, input: Record<string, unknown> = {}) {
  seq += 1;
  const reply = await t.call("POST", `${SPACE}/subscriptions`, { subscription: { name: `sub-${seq}`, url: receiver.url, ...input } });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

/** A petition with a resource no other test uses, so each test knows its events. */
function uniqueResource() {
  seq += 1;
  return { kind: "aws.v1.Role", id: `role-${seq}` };
}

describe("event subscriptions", () => {
  it("sends petition and grant events that the standardwebhooks package verifies, with stable ids", async () => {
    const receiver = await startReceiver("/events");
    try {
      const subscription = await subscribe(receiver, { eventTypes: ["petition.*", "grant.*"] });
      expect(subscription.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(subscription.eventTypes).toEqual(["petition.*", "grant.*"]);
      const petition = await createPetition(t, { resources: [uniqueResource()] });
      await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
      await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim);
      const requests = await receiver.received(5);
      const verifier = new Webhook(subscription.secret);
      const events = requests.map((r) => verifier.verify(r.raw, r.headers as Record<string, string>) as any);
      expect(events.map((e) => e.type).sort()).toEqual(
        ["grant.ended", "grant.started", "petition.created", "petition.granted", "petition.revoked"].sort(),
      );
      for (const [i, request] of requests.entries()) {
        expect(request.headers["webhook-id"]).toMatch(/^msg_[0-9a-z]{26}$/);
        expect(Number(request.headers["webhook-timestamp"])).toBeGreaterThan(Date.now() / 1000 - 60);
        await verifyWebhook({ secret: subscription.secret, headers: request.headers as Record<string, string>, body: request.raw });
        expect(events[i].data.petition.name).toBe(petition.name);
        expect(Date.parse(events[i].timestamp)).not.toBeNaN();
      }
      const started = events.find((e) => e.type === "grant.started");
      expect(started.data.grant).toMatchObject({ petitionName: petition.name, status: "active" });
      const ended = events.find((e) => e.type === "grant.ended");
      expect(ended.data.grant.status).toBe("revoked");
      expect(ended.data.event.event).toBe("access/revoke");
      // Versions grow with each change, so a receiver can put events that came out of order back in order.
      const byType = Object.fromEntries(events.map((e) => [e.type, e.data.petition.version]));
      expect(byType["petition.created"]).toBeLessThan(byType["petition.granted"]);
      expect(byType["petition.granted"]).toBeLessThan(byType["petition.revoked"]);

      const log = await until(
        () => t.call("GET", `${SPACE}/subscriptions/${subscription.name}/deliveries`),
        (r) => r.body.deliveries.length === 5 && r.body.deliveries.every((d: { status: string }) => d.status === "delivered"),
      );
      expect(new Set(log.body.deliveries.map((d: { id: string }) => d.id))).toEqual(new Set(requests.map((r) => r.headers["webhook-id"])));
      const shown = await t.call("GET", `${SPACE}/subscriptions/${subscription.name}`);
      expect(shown.body.secret).toBeUndefined();
      expect(shown.body.lastSuccessTime).toBeDefined();
    } finally {
      await receiver.close();
    }
  });

  it("sends only the event types subscribed to", async () => {
    const receiver = await startReceiver("/grants");
    try {
      await subscribe(receiver, { eventTypes: ["grant.started"] });
      const petition = await createPetition(t, { resources: [uniqueResource()] });
      await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
      await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim);
      await receiver.received(1);
      // Every delivery the changes queued has been sent once the server is idle.
      await t.idle();
      expect(receiver.requests.map((r) => r.body.type)).toEqual(["grant.started"]);
    } finally {
      await receiver.close();
    }
  });

  it("refuses unknown event types and private destinations a server does not allow, saying what to fix", async () => {
    const bad = await t.call("POST", `${SPACE}/subscriptions`, {
      subscription: { name: "bad-types", url: "http://127.0.0.1:9/x", eventTypes: ["petition.approved"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: "INVALID_ARGUMENT", field: "subscription.eventTypes[0]" });
    expect(bad.body.error.message).toMatch(/petition\.granted/);
    const noUrl = await t.call("POST", `${SPACE}/subscriptions`, { subscription: { name: "no-url" } });
    expect(noUrl.body.error).toMatchObject({ code: "INVALID_ARGUMENT", field: "subscription.url" });
    const badSecret = await t.call("POST", `${SPACE}/subscriptions`, {
      subscription: { name: "bad-secret", url: "http://127.0.0.1:9/x", secret: "hunter2" },
    });
    expect(badSecret.body.error).toMatchObject({ code: "INVALID_ARGUMENT", field: "subscription.secret" });
  });

  it("turns off on 410 Gone, and a deleted subscription's pending deliveries are given up", async () => {
    const receiver = await startReceiver("/gone");
    try {
      receiver.answer = () => ({ status: 410 });
      const gone = await subscribe(receiver, { eventTypes: ["petition.created"] });
      await createPetition(t, { resources: [uniqueResource()] });
      const off = await until(
        () => t.call("GET", `${SPACE}/subscriptions/${gone.name}`),
        (r) => r.body.disabled === true,
      );
      expect(off.body.disabledReason).toBe("the receiver answered 410 Gone");
      await createPetition(t, { resources: [uniqueResource()] });
      await t.clock.advance(PAST_RETRIES);
      await t.idle();
      expect(receiver.requests).toHaveLength(1);

      receiver.answer = () => ({ status: 500 });
      const flaky = await subscribe(receiver, { eventTypes: ["petition.created"] });
      await createPetition(t, { resources: [uniqueResource()] });
      await receiver.received(2);
      expect((await t.call("DELETE", `${SPACE}/subscriptions/${flaky.name}`)).status).toBe(200);
      expect((await t.call("GET", `${SPACE}/subscriptions/${flaky.name}/deliveries`)).status).toBe(404);
      const before = receiver.requests.length;
      await t.clock.advance(PAST_RETRIES);
      await t.idle();
      expect(receiver.requests.length).toBe(before);
    } finally {
      await receiver.close();
    }
  });
});
