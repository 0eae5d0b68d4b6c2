import { verify } from "@indent/webhook";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { verifyWebhook } from "../../../sdk/src/webhooks.js";
import { startReceiver, type ReceivedRequest, type Receiver } from "./fakes/receiver.js";
import { ManualClock } from "../support/manual-clock.js";
import { advanceUntil, approveClaim, createPetition, revokeClaim, SPACE, startTestServer, type TestServer, until } from "./harness.js";

/**
 * ApplyUpdate webhooks in Indent's protocol, against a receiver written the way Indent's
 * integrations are (`@indent/webhook`'s `verify()`), and the grant's provisioning: applied
 * once the integration acknowledged the grant, revoked only once it acknowledged the revoke.
 */

let t: TestServer<ManualClock>;
let receiver: Receiver;
let webhookSeq = 0;

beforeAll(async () => {
  t = await startTestServer({
    clock: new ManualClock(),
    env: { GREENLIGHT_DELIVERY_SCHEDULE: "200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms,200ms" },
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});
afterEach(() => {
  receiver.answer = () => ({ status: 200, body: {} });
});

/** One retry of the delivery schedule above, its jitter (±20 %) included. */
const ONE_RETRY = 250;
/** Past every retry of the delivery schedule above. */
const PAST_RETRIES = 10 * ONE_RETRY;

/** Reads until `done` holds, letting the test's clock run through the retry schedule meanwhile. */
const settle = <T>(read: () => Promise<T>, done: (value: T) => boolean) => advanceUntil(t, read, done, ONE_RETRY);

/** A webhook that applies grants of a kind of its own, so tests do not see each other's deliveries. */
async function applyWebhook(url: string, extra: Record<string, unknown> = {}) {
  webhookSeq += 1;
  const kind = `test${webhookSeq}.v1.Group`;
  const reply = await t.call("POST", `${SPACE}/webhooks`, {
    webhook: { name: `apply-${webhookSeq}`, url, handlers: [{ type: "applyUpdate", resourceKinds: [kind] }], ...extra },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return { webhook: reply.body, kind, resource: { kind, id: `group-${webhookSeq}`, displayName: `Group ${webhookSeq}` } };
}

async function grantOf(petition: string) {
  const reply = await t.call("GET", `${SPACE}/grants?petition=${petition}`);
  return reply.body.grants[0];
}

const forKind = (kind: string) => (r: ReceivedRequest) => r.body?.events?.[0]?.resources?.[1]?.kind === kind;

describe("ApplyUpdate", () => {
  it("sends the grant and the revoke as Indent does, and @indent/webhook's verify() accepts every request", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url);
    expect(webhook.secret).toMatch(/^wks0[A-Za-z0-9]{40}$/);
    const verdicts: boolean[] = [];
    receiver.answer = async (request) => {
      const ok = await verify({ secret: webhook.secret, body: request.raw, headers: request.headers as Record<string, string> });
      verdicts.push(ok);
      // Indent's integrations answer a bad signature with status code 9 (and HTTP 200).
      return ok
        ? { status: 200, body: { status: { code: 0 } } }
        : { status: 200, body: { status: { code: 9, message: "invalid signature" } } };
    };
    const petitioner = `applied-${Date.now()}@example.com`;
    const petition = await createPetition(t, { petitioners: [{ kind: "user", email: petitioner }], resources: [resource] });
    expect(petition.state.status.phase).toBe("open");
    expect((await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("2h"))).status).toBe(200);

    const applied = await settle(
      () => grantOf(petition.name),
      (g) => g.provisioning === "applied",
    );
    expect(applied.status).toBe("active");
    const [grant] = receiver.requests.filter(forKind(kind));
    expect(grant!.method).toBe("POST");
    expect(grant!.headers["content-type"]).toMatch(/^application\/json/);
    expect(grant!.headers["x-indent-timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(grant!.headers["x-indent-signature"]).toMatch(/^[0-9a-f]{64}$/);
    const events = grant!.body.events;
    expect(events.map((e: { event: string }) => e.event)).toEqual(["access/grant", "access/request", "access/approve"]);
    // Exactly [petitioner, target]: Indent's Go example refuses any other count.
    expect(events[0].resources).toHaveLength(2);
    expect(events[0].resources[0]).toMatchObject({ kind: "user", email: petitioner });
    expect(events[0].resources[1]).toMatchObject(resource);
    expect(events[0].meta.labels).toMatchObject({
      "indent.com/time/duration": "2h0m0s",
      "indent.com/time/expires": applied.expireTime,
      "indent.com/petition": petition.name,
      petition: petition.name,
    });
    expect(events[1].reason).toBe("to debug production");
    expect(events[2].meta.labels["indent.com/time/duration"]).toBe("2h0m0s");

    // The revoke is pending until the integration acknowledges it.
    receiver.answer = () => ({ status: 503, body: { status: { code: 14, message: "Okta is down" } } });
    expect((await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim)).status).toBe(200);
    const pending = await settle(
      () => grantOf(petition.name),
      (g) => g.provisioning === "revoking" && receiver.requests.filter(forKind(kind)).length >= 3,
    );
    expect(pending.status).toBe("revoke_pending");
    const listed = await t.call("GET", `${SPACE}/grants?status=revoke_pending`);
    expect(listed.body.grants.map((g: { name: string }) => g.name)).toContain(pending.name);
    expect((await t.call("GET", `${SPACE}/grants?status=revoked`)).body.grants.map((g: { name: string }) => g.name)).not.toContain(
      pending.name,
    );
    const log = await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries?status=pending`);
    expect(log.body.deliveries[0]).toMatchObject({ event: "access/revoke", status: "pending", lastStatus: 503 });
    expect(log.body.deliveries[0].lastError).toMatch(/HTTP 503: Okta is down/);

    receiver.answer = async (request) => {
      verdicts.push(await verify({ secret: webhook.secret, body: request.raw, headers: request.headers as Record<string, string> }));
      return { status: 200, body: {} };
    };
    const revoked = await settle(
      () => grantOf(petition.name),
      (g) => g.status === "revoked",
    );
    expect(revoked.provisioning).toBe("revoked");
    const revokes = receiver.requests.filter(forKind(kind)).slice(1);
    expect(revokes.every((r) => r.body.events[0].event === "access/revoke")).toBe(true);
    expect(revokes.at(-1)!.body.events[0].resources).toEqual(events[0].resources);
    // The same delivery id on every attempt, so an integration can drop repeats.
    expect(new Set(revokes.map((r) => r.headers["x-greenlight-delivery"])).size).toBe(1);
    expect(verdicts.length).toBeGreaterThanOrEqual(2);
    expect(verdicts.every(Boolean)).toBe(true);
  });

  it("our verifyWebhook accepts what is sent, and refuses it tampered with or replayed late", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url);
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await settle(
      async () => receiver.requests.filter(forKind(kind)),
      (r) => r.length > 0,
    );
    const [request] = receiver.requests.filter(forKind(kind));
    const headers = request!.headers as Record<string, string>;
    await verifyWebhook({ secret: webhook.secret, headers, body: request!.raw });
    const tampered = request!.raw.replace("access/grant", "access/revok");
    await expect(verifyWebhook({ secret: webhook.secret, headers, body: tampered })).rejects.toThrow(/does not match/);
    await expect(verifyWebhook({ secret: "wks0another", headers, body: request!.raw })).rejects.toThrow(/does not match/);
    const later = new Date(Date.parse(headers["x-indent-timestamp"]!) + 10 * 60_000);
    await expect(verifyWebhook({ secret: webhook.secret, headers, body: request!.raw, now: later })).rejects.toThrow(/more than 300s/);
  });

  it("treats a non-zero status.code in a 200 as a failure and tries again", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url);
    let calls = 0;
    receiver.answer = (r) => {
      if (!forKind(kind)(r)) return { status: 200, body: {} };
      calls += 1;
      return calls === 1 ? { status: 200, body: { status: { code: 13, message: "could not add the user" } } } : { status: 200, body: {} };
    };
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await settle(
      () => grantOf(petition.name),
      (g) => g.provisioning === "applied",
    );
    expect(calls).toBe(2);
    const log = await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries`);
    const detail = await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries/${log.body.deliveries[0].id}`);
    expect(detail.body.status).toBe("delivered");
    expect(detail.body.attemptLog.map((a: { status: number; error?: string }) => [a.status, a.error ?? null])).toEqual([
      [200, "the integration answered status code 13: could not add the user"],
      [200, null],
    ]);
    expect(detail.body.body.events[0].event).toBe("access/grant");
  });

  it("does not send to a dry-run webhook, and logs why", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url, { dryRun: true });
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    const log = await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries`);
    expect(log.body.deliveries).toEqual([expect.objectContaining({ status: "cancelled", lastError: "dry run: not sent", attempts: 0 })]);
    // Nothing handles the grant for real: it is not waiting on anyone.
    expect((await grantOf(petition.name)).provisioning).toBe("none");
    await t.clock.advance(PAST_RETRIES);
    await t.idle();
    expect(receiver.requests.filter(forKind(kind))).toEqual([]);
  });
});

describe("the order of a grant's start and end", () => {
  it("sends the revoke only after the start, even when the start failed first", async () => {
    const { kind, resource } = await applyWebhook(receiver.url);
    receiver.answer = (r) => (forKind(kind)(r) ? { status: 503 } : { status: 200, body: {} });
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await settle(
      async () => receiver.requests.filter(forKind(kind)).length,
      (n) => n >= 1,
    );
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim);
    for (let retry = 0; retry < 3; retry++) {
      await t.clock.advance(ONE_RETRY);
      await t.idle();
    }
    // The start is still being retried; the revoke waits behind it.
    expect(receiver.requests.filter(forKind(kind)).every((r) => r.body.events[0].event === "access/grant")).toBe(true);
    expect((await grantOf(petition.name)).status).toBe("revoke_pending");
    receiver.answer = () => ({ status: 200, body: {} });
    const grant = await settle(
      () => grantOf(petition.name),
      (g) => g.status === "revoked",
    );
    expect(grant.provisioning).toBe("revoked");
    const sent = receiver.requests.filter(forKind(kind)).map((r) => r.body.events[0].event);
    expect(sent.at(-1)).toBe("access/revoke");
    expect(sent.indexOf("access/revoke")).toBe(sent.length - 1);
  });

  it("shows revoke_failed when the integration never acknowledged, and a redelivered revoke settles it", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url);
    receiver.answer = (r) => (forKind(kind)(r) ? { status: 500 } : { status: 200, body: {} });
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim);
    // Ten attempts 200 ms apart for the start, then ten for the revoke.
    const failed = await settle(
      () => grantOf(petition.name),
      (g) => g.status === "revoke_failed",
    );
    expect(failed.provisioning).toBe("revoke_failed");
    expect((await t.call("GET", `${SPACE}/grants?status=revoke_failed`)).body.grants.map((g: { name: string }) => g.name)).toContain(
      failed.name,
    );
    const failures = (await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries?status=failed`)).body.deliveries;
    expect(failures.map((d: { event: string }) => d.event).sort()).toEqual(["access/grant", "access/revoke"]);
    expect(failures.every((d: { attempts: number }) => d.attempts === 11)).toBe(true);
    const start = failures.find((d: { event: string }) => d.event === "access/grant");
    const end = failures.find((d: { event: string }) => d.event === "access/revoke");
    // Sending the start now would give back what was taken away.
    const refused = await t.call("POST", `${SPACE}/webhooks/${webhook.name}/deliveries/${start.id}:redeliver`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/would give the access back/);

    receiver.answer = () => ({ status: 200, body: {} });
    const again = await t.call("POST", `${SPACE}/webhooks/${webhook.name}/deliveries/${end.id}:redeliver`);
    expect(again.status).toBe(200);
    expect((await grantOf(petition.name)).status).toBe("revoke_pending");
    const revoked = await settle(
      () => grantOf(petition.name),
      (g) => g.status === "revoked",
    );
    expect(revoked.provisioning).toBe("revoked");
  });

  it("holds the revoke while the start is being sent, so they arrive in order", async () => {
    const { kind, resource } = await applyWebhook(receiver.url);
    // The receiver holds the start unanswered until the test lets it go, and notes a revoke
    // that comes while the start is still unanswered.
    let answerStart: () => void = () => {};
    const startLetGo = new Promise<void>((resolve) => (answerStart = resolve));
    let startAnswered = false;
    let revokeBeforeStartAnswered = false;
    receiver.answer = async (r) => {
      if (forKind(kind)(r) && r.body.events[0].event === "access/grant") {
        await startLetGo;
        startAnswered = true;
      }
      if (forKind(kind)(r) && r.body.events[0].event === "access/revoke" && !startAnswered) revokeBeforeStartAnswered = true;
      return { status: 200, body: {} };
    };
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    // Not `settle`: that waits for the server to go idle, which it cannot while the start is held.
    await until(
      async () => receiver.requests.filter(forKind(kind)).length,
      (n) => n >= 1,
    );
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, revokeClaim);
    // Every job run the schedule calls for meanwhile, while the start is still unanswered.
    await t.clock.advance(PAST_RETRIES);
    expect(receiver.requests.filter(forKind(kind))).toHaveLength(1);
    answerStart();
    await settle(
      () => grantOf(petition.name),
      (g) => g.status === "revoked",
    );
    const [start, end] = receiver.requests.filter(forKind(kind));
    expect([start!.body.events[0].event, end!.body.events[0].event]).toEqual(["access/grant", "access/revoke"]);
    expect(revokeBeforeStartAnswered).toBe(false);
  });

  it("sends one request per grant, each naming exactly its petitioner and its target", async () => {
    const { kind, resource } = await applyWebhook(receiver.url);
    const other = { ...resource, id: `${resource.id}-b` };
    const people = [`pair-a-${Date.now()}@example.com`, `pair-b-${Date.now()}@example.com`];
    const petition = await createPetition(t, {
      petitioners: people.map((email) => ({ kind: "user", email })),
      resources: [resource, other],
    });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await settle(
      async () => receiver.requests.filter(forKind(kind)).length,
      (n) => n >= 4,
    );
    const pairs = receiver.requests.filter(forKind(kind)).map((r) => {
      expect(r.body.events[0].resources).toHaveLength(2);
      return `${r.body.events[0].resources[0].email} ${r.body.events[0].resources[1].id}`;
    });
    expect(pairs.sort()).toEqual(people.flatMap((p) => [resource.id, other.id].map((id) => `${p} ${id}`)).sort());
  });
});

describe("delivery", () => {
  it("turns a receiver off when it answers 410 Gone, fails what it had pending, and can be turned on again", async () => {
    const { webhook, kind, resource } = await applyWebhook(receiver.url);
    receiver.answer = (r) => (forKind(kind)(r) ? { status: 410, body: "gone" } : { status: 200, body: {} });
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    const grant = await settle(
      () => grantOf(petition.name),
      (g) => g.provisioning === "apply_failed",
    );
    expect(grant.status).toBe("active");
    const turnedOff = (await t.call("GET", `${SPACE}/webhooks/${webhook.name}`)).body;
    expect(turnedOff).toMatchObject({ disabled: true, disabledReason: "the receiver answered 410 Gone" });
    const failed = await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries?status=failed`);
    expect(failed.body.deliveries).toHaveLength(1);
    expect(receiver.requests.filter(forKind(kind))).toHaveLength(1);

    // A redelivery to a receiver that is off is refused with what to do.
    const refused = await t.call("POST", `${SPACE}/webhooks/${webhook.name}/deliveries/${failed.body.deliveries[0].id}:redeliver`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/turned off.*"disabled": false/);

    receiver.answer = () => ({ status: 200, body: {} });
    const on = await t.call("PATCH", `${SPACE}/webhooks/${webhook.name}`, { webhook: { disabled: false } });
    expect(on.body.disabled).toBe(false);
    const again = await t.call("POST", `${SPACE}/webhooks/${webhook.name}/deliveries/${failed.body.deliveries[0].id}:redeliver`);
    expect(again.status).toBe(200);
    expect(again.body.status).toBe("pending");
    expect(
      (
        await settle(
          () => grantOf(petition.name),
          (g) => g.provisioning === "applied",
        )
      ).status,
    ).toBe("active");
  });

  it("waits as long as a receiver's Retry-After asks", async () => {
    const { kind, resource } = await applyWebhook(receiver.url);
    receiver.answer = (r) => {
      if (!forKind(kind)(r)) return { status: 200, body: {} };
      return receiver.requests.filter(forKind(kind)).length === 1
        ? { status: 429, headers: { "retry-after": "2" }, body: { error: "slow down" } }
        : { status: 200, body: {} };
    };
    const petition = await createPetition(t, { resources: [resource] });
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    await t.idle();
    // The schedule says 200 ms; the receiver said 2 s.
    await t.clock.advance(1900);
    await t.idle();
    expect(receiver.requests.filter(forKind(kind))).toHaveLength(1);
    await t.clock.advance(100);
    await settle(
      () => grantOf(petition.name),
      (g) => g.provisioning === "applied",
    );
    expect(receiver.requests.filter(forKind(kind))).toHaveLength(2);
  });

  it("does not follow a redirect", async () => {
    const elsewhere = await startReceiver("/elsewhere");
    try {
      const { webhook, kind, resource } = await applyWebhook(receiver.url);
      receiver.answer = (r) => (forKind(kind)(r) ? { status: 307, headers: { location: elsewhere.url } } : { status: 200, body: {} });
      const petition = await createPetition(t, { resources: [resource] });
      await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
      await settle(
        async () => (await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries`)).body.deliveries[0],
        (d) => d.attempts >= 2,
      );
      const [delivery] = (await t.call("GET", `${SPACE}/webhooks/${webhook.name}/deliveries`)).body.deliveries;
      expect(delivery.lastError).toMatch(/redirect \(307\), which is not followed/);
      expect(elsewhere.requests).toEqual([]);
      expect((await grantOf(petition.name)).provisioning).toBe("applying");
    } finally {
      await elsewhere.close();
    }
  });

  it("keeps delivering to others while one receiver hangs", async () => {
    const slow = await startReceiver("/slow");
    try {
      slow.answer = () => "hang";
      const stuck = await applyWebhook(slow.url);
      const fast = await applyWebhook(receiver.url);
      const stuckPetitions = [];
      for (let i = 0; i < 8; i++) {
        const p = await createPetition(t, { resources: [stuck.resource] });
        await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"));
        stuckPetitions.push(p.name);
      }
      await slow.received(4);
      const started = Date.now();
      const fastPetitions = [];
      for (let i = 0; i < 20; i++) {
        const p = await createPetition(t, { resources: [fast.resource] });
        await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"));
        fastPetitions.push(p.name);
      }
      for (const name of fastPetitions)
        await until(
          () => grantOf(name),
          (g) => g.provisioning === "applied",
          5000,
        );
      // The stuck receiver holds only its own four slots: the others were delivered before its
      // attempts' timeout (15 s, in real time) could free one.
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(slow.requests.length).toBe(4);
      for (const name of stuckPetitions) expect((await grantOf(name)).provisioning).toBe("applying");
    } finally {
      await slow.close();
    }
  });
});
