import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveClaim, createPetition, denyClaim, revokeClaim, SPACE, startTestServer, type TestServer } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const claimsOf = (name: string) => `${SPACE}/petitions/${name}/claims`;
const HOUR = 3_600_000;

/** Brings a fresh petition into a phase by the API alone. */
async function petitionIn(phase: "open" | "granted" | "denied" | "revoked" | "cancelled") {
  const p = await createPetition(t);
  if (phase === "granted" || phase === "revoked") await t.call("POST", claimsOf(p.name), approveClaim("1h"));
  if (phase === "revoked") await t.call("POST", claimsOf(p.name), revokeClaim);
  if (phase === "denied") await t.call("POST", claimsOf(p.name), denyClaim);
  if (phase === "cancelled") await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { state: { status: { phase: "closed" } } } });
  return p.name as string;
}

describe("the state machine over HTTP: every phase × every claim", () => {
  const claims = { approve: approveClaim("1h"), deny: denyClaim, revoke: revokeClaim } as const;
  const cases: Array<[Parameters<typeof petitionIn>[0], keyof typeof claims, number, { phase: string; outcome?: string } | null]> = [
    ["open", "approve", 200, { phase: "granted" }],
    ["open", "deny", 200, { phase: "closed", outcome: "denied" }],
    ["open", "revoke", 409, null],
    ["granted", "approve", 409, null],
    ["granted", "deny", 409, null],
    ["granted", "revoke", 200, { phase: "closed", outcome: "revoked" }],
    ["denied", "approve", 409, null],
    ["denied", "deny", 409, null],
    ["denied", "revoke", 409, null],
    ["revoked", "approve", 409, null],
    ["revoked", "deny", 409, null],
    ["revoked", "revoke", 409, null],
    ["cancelled", "approve", 409, null],
    ["cancelled", "deny", 409, null],
    ["cancelled", "revoke", 409, null],
  ];

  it.each(cases)("%s + %s → %i", async (phase, claim, status, after) => {
    const name = await petitionIn(phase);
    const before = (await t.call("GET", `${SPACE}/petitions/${name}`)).body;
    const reply = await t.call("POST", claimsOf(name), claims[claim]);
    expect(reply.status).toBe(status);
    const now = (await t.call("GET", `${SPACE}/petitions/${name}`)).body;
    if (after) {
      expect(now.state.status).toEqual(after);
      expect(reply.body.event).toBe(`access/${claim}`);
    } else {
      expect(reply.body.error.code).toBe("INVALID_TRANSITION");
      expect(reply.body.error.message).toContain(name);
      // A refused claim changes nothing, not even the history.
      expect(now).toEqual(before);
    }
  });
});

describe("approving", () => {
  it("grants for the duration asked, records approve and one grant event per pair", async () => {
    const p = await createPetition(t, {
      petitioners: [
        { kind: "user", email: `a-${Date.now()}@example.com` },
        { kind: "user", email: `b-${Date.now()}@example.com` },
      ],
      resources: [
        { kind: "okta.v1.Group", id: "g1" },
        { kind: "okta.v1.Group", id: "g2" },
      ],
    });
    const before = Date.now();
    const reply = await t.call("POST", claimsOf(p.name), approveClaim("3h0m0s"));
    expect(reply.status).toBe(200);
    const claim = reply.body;
    expect(claim.id).toMatch(/^evt_/);
    expect(claim.actor.kind).toBe("greenlight.v1.Admin");
    expect(claim.meta.labels["indent.com/time/duration"]).toBe("3h0m0s");
    const expires = Date.parse(claim.meta.labels["indent.com/time/expires"]);
    expect(expires - before).toBeGreaterThanOrEqual(3 * HOUR);
    expect(expires - Date.now()).toBeLessThanOrEqual(3 * HOUR);

    const petition = (await t.call("GET", `${SPACE}/petitions/${p.name}`)).body;
    expect(petition.state.status).toEqual({ phase: "granted" });
    expect(petition.meta.expireTime).toBe(new Date(expires).toISOString());
    const events = petition.state.eventHistory;
    expect(events.map((e: { event: string }) => e.event)).toEqual([
      "access/request",
      "access/approve",
      "access/grant",
      "access/grant",
      "access/grant",
      "access/grant",
    ]);
    for (const grant of events.slice(2)) {
      // Integrations expect exactly [petitioner, target].
      expect(grant.resources).toHaveLength(2);
      expect(grant.resources[0].kind).toBe("user");
      expect(grant.resources[1].kind).toBe("okta.v1.Group");
      expect(grant.meta.labels["indent.com/time/expires"]).toBe(claim.meta.labels["indent.com/time/expires"]);
    }
    const pairs = events
      .slice(2)
      .map((e: { resources: Array<{ email?: string; id?: string }> }) => `${e.resources[0]!.email}|${e.resources[1]!.id}`);
    expect(new Set(pairs).size).toBe(4);
  });

  it("grants until revoked with indent.com/time/indefinite", async () => {
    const p = await createPetition(t);
    const reply = await t.call("POST", claimsOf(p.name), {
      claim: { event: "access/approve", meta: { labels: { "indent.com/time/indefinite": "true" } } },
    });
    expect(reply.status).toBe(200);
    expect(reply.body.meta.labels["indent.com/time/indefinite"]).toBe("true");
    const petition = (await t.call("GET", `${SPACE}/petitions/${p.name}`)).body;
    expect(petition.state.status.phase).toBe("granted");
    expect(petition.meta.expireTime).toBeUndefined();
  });

  it("falls back to the petition's suggested duration, then the server default", async () => {
    const suggested = await createPetition(t, { defaultDuration: "2h" });
    const a = await t.call("POST", claimsOf(suggested.name), { claim: { event: "access/approve" } });
    expect(a.body.meta.labels["indent.com/time/duration"]).toBe("2h0m0s");
    const plain = await createPetition(t);
    const b = await t.call("POST", claimsOf(plain.name), { claim: { event: "access/approve" } });
    expect(b.body.meta.labels["indent.com/time/duration"]).toBe("1h0m0s");
  });

  it.each([
    ["over the maximum", { "indent.com/time/duration": "9999h" }],
    ["in days", { "indent.com/time/duration": "1d" }],
    ["negative", { "indent.com/time/duration": "-5s" }],
    ["nonsense", { "indent.com/time/duration": "abc" }],
    ["expiry in the past", { "indent.com/time/expires": "2000-01-01T00:00:00Z" }],
  ])("refuses a duration %s and leaves the petition open", async (_name, labels) => {
    const p = await createPetition(t);
    const reply = await t.call("POST", claimsOf(p.name), { claim: { event: "access/approve", meta: { labels } } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toMatch(/^claim\.meta\.labels/);
    const petition = (await t.call("GET", `${SPACE}/petitions/${p.name}`)).body;
    expect(petition.state.status.phase).toBe("open");
    expect(petition.state.eventHistory).toHaveLength(1);
    expect((await t.call("GET", `${SPACE}/grants?petition=${p.name}`)).body.grants).toEqual([]);
  });

  it("takes the actor from the token, not from the body", async () => {
    const p = await createPetition(t);
    const reply = await t.call(
      "POST",
      claimsOf(p.name),
      approveClaim("1h", { actor: { kind: "user", email: "mallory@example.com" }, timestamp: "2000-01-01T00:00:00Z" }),
    );
    expect(reply.body.actor.kind).toBe("greenlight.v1.Admin");
    expect(Date.parse(reply.body.timestamp)).toBeGreaterThan(Date.parse("2020-01-01T00:00:00Z"));
  });
});

describe("revoking and denying", () => {
  it("revoke ends every grant and records one revoke per grant", async () => {
    const name = await petitionIn("granted");
    const reply = await t.call("POST", claimsOf(name), revokeClaim);
    expect(reply.status).toBe(200);
    const petition = (await t.call("GET", `${SPACE}/petitions/${name}`)).body;
    expect(petition.state.status).toEqual({ phase: "closed", outcome: "revoked" });
    const events = petition.state.eventHistory.map((e: { event: string }) => e.event);
    expect(events).toEqual(["access/request", "access/approve", "access/grant", "access/revoke", "access/revoke"]);
    const grants = (await t.call("GET", `${SPACE}/grants?petition=${name}`)).body.grants;
    expect(grants.map((g: { status: string }) => g.status)).toEqual(["revoked"]);
    expect(grants[0].endTime).toBeDefined();
  });

  it("refuses an unknown claim event", async () => {
    const p = await createPetition(t);
    const reply = await t.call("POST", claimsOf(p.name), { claim: { event: "access/frobnicate" } });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe("claim.event");
  });

  it("404s a claim on a petition that does not exist", async () => {
    const reply = await t.call("POST", claimsOf("pet_missing"), denyClaim);
    expect(reply.status).toBe(404);
  });
});

describe("listing claims", () => {
  it("lists a petition's events in order, pages them, filters by label, and gets one", async () => {
    const name = await petitionIn("revoked");
    const all = await t.call("GET", claimsOf(name));
    expect(all.status).toBe(200);
    expect(all.body.claims.map((c: { event: string }) => c.event)).toEqual([
      "access/request",
      "access/approve",
      "access/grant",
      "access/revoke",
      "access/revoke",
    ]);
    expect(all.body.nextPageToken).toBe("");

    const pageOne = await t.call("GET", `${claimsOf(name)}?pageSize=2`);
    const pageTwo = await t.call("GET", `${claimsOf(name)}?pageSize=2&pageToken=${pageOne.body.nextPageToken}`);
    const pageThree = await t.call("GET", `${claimsOf(name)}?pageSize=2&pageToken=${pageTwo.body.nextPageToken}`);
    expect([...pageOne.body.claims, ...pageTwo.body.claims, ...pageThree.body.claims]).toEqual(all.body.claims);
    expect(pageThree.body.nextPageToken).toBe("");

    const withDuration = await t.call("GET", `${claimsOf(name)}?labelSelector=${encodeURIComponent("indent.com/time/duration")}`);
    // The approval, and the grant's start and end events, which carry its term; not the revoke claim.
    expect(withDuration.body.claims.map((c: { event: string }) => c.event)).toEqual(["access/approve", "access/grant", "access/revoke"]);

    const one = await t.call("GET", `${claimsOf(name)}/${all.body.claims[1].id}`);
    expect(one.body).toEqual(all.body.claims[1]);
    expect((await t.call("GET", `${claimsOf(name)}/evt_nope`)).status).toBe(404);
    expect((await t.call("GET", `${claimsOf("pet_nope")}`)).status).toBe(404);
  });
});
