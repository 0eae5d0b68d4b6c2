import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type ReceivedRequest, type Receiver } from "./fakes/receiver.js";
import { ManualClock } from "../support/manual-clock.js";
import { approveClaim, createPetition, SPACE, startTestServer, type TestServer, advanceUntil } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * Access granted by more than one petition, and extending a granted petition. Integrations
 * know access by (petitioner, resource) alone, so a petition that ends while another still
 * grants the same pair must not send them a revoke; the last grant of the pair to end does.
 */

let t: TestServer<ManualClock>;
let receiver: Receiver;
let seq = 0;

beforeAll(async () => {
  t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_DELIVERY_SCHEDULE: "200ms,200ms,200ms" } });
  receiver = await startReceiver();
});
afterAll(async () => {
  await t.close();
  await receiver.close();
});

const HOUR = 3_600_000;
const ONE_RETRY = 250;
const EXTENDS = "greenlight.dev/extends";
const STILL_GRANTED_BY = "greenlight.dev/still-granted-by";

/** A kind of this test's own that an apply webhook handles, and two resources of it. */
async function appliedKind() {
  seq += 1;
  const kind = `extend${seq}.v1.Group`;
  const reply = await t.call("POST", `${SPACE}/webhooks`, {
    webhook: { name: `extend-apply-${seq}`, url: receiver.url, handlers: [{ type: "applyUpdate", resourceKinds: [kind] }] },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  const resource = (id: string) => ({ kind, id: `${id}-${seq}` });
  return { r1: resource("r1"), r2: resource("r2") };
}

const person = () => `holder-${++seq}-${Date.now()}@example.com`;

/** The apply webhook's requests of one event (`access/grant`, `access/revoke`) for a resource. */
function sent(event: string, resource: { id: string }) {
  return receiver.requests.filter(
    (r: ReceivedRequest) => r.body?.events?.[0]?.event === event && r.body.events[0].resources?.[1]?.id === resource.id,
  );
}

async function grantsOf(petition: string) {
  return (await t.call("GET", `${SPACE}/grants?petition=${petition}`)).body.grants as Array<Record<string, any>>;
}

async function approved(petitioner: string, resources: unknown[], duration: string) {
  const petition = await createPetition(t, { petitioners: [{ kind: "user", email: petitioner }], resources });
  const reply = await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim(duration));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return petition.name as string;
}

/** Lets the clock and the delivery job run until every grant of these petitions is settled with its integration. */
async function settled(...petitions: string[]) {
  await advanceUntil(
    t,
    async () => (await Promise.all(petitions.map(grantsOf))).flat(),
    (grants) => grants.every((g) => g.provisioning === "applied" || g.provisioning === "revoked" || g.provisioning === "none"),
    ONE_RETRY,
  );
}

async function get(petition: string) {
  return (await t.call("GET", `${SPACE}/petitions/${petition}`)).body;
}

/** The `access/revoke` event of each grant that ended (a revoke claim is one too, without the grant's term). */
const revokeEvents = (petition: Record<string, any>) =>
  petition.state.eventHistory.filter((e: any) => e.event === "access/revoke" && e.meta.labels["indent.com/time/expires"] !== undefined);

describe("access granted by two petitions", () => {
  it("is revoked at the integration only when the last grant of the pair ends", async () => {
    const { r1, r2 } = await appliedKind();
    const holder = person();
    const first = await approved(holder, [r1, r2], "1h");
    const second = await approved(holder, [r2], "2h");
    await settled(first, second);
    expect(sent("access/grant", r2)).toHaveLength(2);

    await t.clock.advance(HOUR);
    await settled(first);
    // The first's end: r1 is revoked; r2, still granted by the second, is not.
    expect(sent("access/revoke", r1)).toHaveLength(1);
    expect(sent("access/revoke", r2)).toHaveLength(0);
    const ended = await get(first);
    expect(ended.state.status).toEqual({ phase: "closed", outcome: "expired" });
    const [revokeR1, revokeR2] = ["r1", "r2"].map((id) =>
      revokeEvents(ended).find((e: any) => e.resources[1].id === (id === "r1" ? r1.id : r2.id)),
    );
    expect(revokeR1.meta.labels[STILL_GRANTED_BY]).toBeUndefined();
    expect(revokeR2.meta.labels[STILL_GRANTED_BY]).toBe(second);
    // The grant whose access is still given elsewhere ended at once: nothing to wait for.
    const grants = await grantsOf(first);
    expect(grants.find((g) => g.resource.id === r2.id)).toMatchObject({ status: "expired", provisioning: "none" });
    expect(grants.find((g) => g.resource.id === r1.id)).toMatchObject({ status: "expired", provisioning: "revoked" });
    expect((await grantsOf(second))[0]).toMatchObject({ status: "active" });

    await t.clock.advance(HOUR);
    await settled(second);
    expect(sent("access/revoke", r2)).toHaveLength(1);
    const last = await get(second);
    expect(revokeEvents(last)[0].meta.labels[STILL_GRANTED_BY]).toBeUndefined();
  });

  it("revokes the shared pair when the covering petition ended first, by a revoke", async () => {
    const { r1, r2 } = await appliedKind();
    const holder = person();
    const first = await approved(holder, [r1, r2], "1h");
    const second = await approved(holder, [r1], "1h");
    await settled(first, second);
    expect(
      (await t.call("POST", `${SPACE}/petitions/${second}/claims`, { claim: { event: "access/revoke", reason: "done" } })).status,
    ).toBe(200);
    await settled(second);
    expect(sent("access/revoke", r1)).toHaveLength(0);
    expect(revokeEvents(await get(second))[0].meta.labels[STILL_GRANTED_BY]).toBe(first);
    expect((await t.call("POST", `${SPACE}/petitions/${first}/claims`, { claim: { event: "access/revoke", reason: "done" } })).status).toBe(
      200,
    );
    await settled(first);
    expect(sent("access/revoke", r1)).toHaveLength(1);
    expect(sent("access/revoke", r2)).toHaveLength(1);
  });
});

describe("extending a petition", () => {
  it("asks for the same access again, and the extended petition's end revokes nothing the extension grants", async () => {
    const { r1, r2 } = await appliedKind();
    const holder = person();
    const first = await approved(holder, [r1, r2], "1h");
    await settled(first);

    const extension = await t.call("POST", `${SPACE}/petitions/${first}:extend`, { duration: "2h" });
    expect(extension.status, JSON.stringify(extension.body)).toBe(201);
    const second = extension.body;
    expect(second.name).not.toBe(first);
    expect(second.state.status.phase).toBe("open");
    expect(second.meta.labels[EXTENDS]).toBe(first);
    expect(second.defaultDuration).toBe("7200s");
    expect(second.reason).toBe(`to extend access granted by ${first}`);
    expect(second.petitioners).toEqual([expect.objectContaining({ email: holder })]);
    expect(second.resources.map((r: { id: string }) => r.id)).toEqual([r1.id, r2.id]);

    // Asking again while it is open is the same request.
    const again = await t.call("POST", `${SPACE}/petitions/${first}:extend`, { duration: "3h", reason: "more" });
    expect(again.status).toBe(200);
    expect(again.body.name).toBe(second.name);
    // A plain request for the same access still finds the granted petition, not the extension.
    const plain = await t.call("POST", `${SPACE}/petitions`, {
      petition: { petitioners: [{ kind: "user", email: holder }], resources: [r1, r2] },
    });
    expect(plain.status).toBe(200);
    expect(plain.body.name).toBe(first);

    // Approved with the duration it asked for: its grants start now.
    const approve = await t.call("POST", `${SPACE}/petitions/${second.name}/claims`, {
      claim: { event: "access/approve", reason: "fine" },
    });
    expect(approve.status, JSON.stringify(approve.body)).toBe(200);
    const granted = await get(second.name);
    expect(granted.state.status.phase).toBe("granted");
    // For the duration it asked: two hours from now, an hour past the first's end.
    expect(Date.parse(granted.meta.expireTime) - Date.parse(granted.meta.startTime)).toBe(2 * HOUR);
    await settled(first, second.name);

    await t.clock.advance(HOUR);
    await settled(first);
    expect((await get(first)).state.status.outcome).toBe("expired");
    expect(sent("access/revoke", r1)).toHaveLength(0);
    expect(sent("access/revoke", r2)).toHaveLength(0);
    expect(revokeEvents(await get(first)).map((e: any) => e.meta.labels[STILL_GRANTED_BY])).toEqual([second.name, second.name]);

    await t.clock.advance(HOUR);
    await settled(second.name);
    expect((await get(second.name)).state.status.outcome).toBe("expired");
    expect(sent("access/revoke", r1)).toHaveLength(1);
    expect(sent("access/revoke", r2)).toHaveLength(1);
  });

  it("works with an Idempotency-Key as create does", async () => {
    const first = await approved(person(), [{ kind: "aws.v1.Role", id: `idem-${++seq}` }], "1h");
    const headers = { "idempotency-key": `extend-${first}` };
    const one = await t.call("POST", `${SPACE}/petitions/${first}:extend`, { duration: "1h" }, headers);
    expect(one.status).toBe(201);
    const two = await t.call("POST", `${SPACE}/petitions/${first}:extend`, { duration: "1h" }, headers);
    expect(two.status).toBe(201);
    expect(two.headers["idempotent-replayed"]).toBe("true");
    expect(two.body.name).toBe(one.body.name);
    const reused = await t.call("POST", `${SPACE}/petitions/${first}:extend`, { duration: "2h" }, headers);
    expect(reused.status).toBe(422);
  });

  it("is closed the Indent way, read and written back whole", async () => {
    const first = await approved(person(), [{ kind: "aws.v1.Role", id: `put-${++seq}` }], "1h");
    const extension = (await t.call("POST", `${SPACE}/petitions/${first}:extend`, {})).body;
    const closed = await t.call("PUT", `${SPACE}/petitions/${extension.name}`, {
      petition: { ...extension, state: { status: { phase: "closed" } } },
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.state.status).toEqual({ phase: "closed", outcome: "cancelled" });
    expect((await get(first)).state.status.phase).toBe("granted");
  });

  it("is refused for a petition that is not granted", async () => {
    const open = await createPetition(t);
    const refused = await t.call("POST", `${SPACE}/petitions/${open.name}:extend`, {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("INVALID_TRANSITION");
    expect(refused.body.error.message).toMatch(/only a granted petition can be extended/);

    const closed = await approved(person(), [{ kind: "aws.v1.Role", id: `closed-${++seq}` }], "1h");
    await t.call("POST", `${SPACE}/petitions/${closed}/claims`, { claim: { event: "access/revoke", reason: "done" } });
    const after = await t.call("POST", `${SPACE}/petitions/${closed}:extend`, { duration: "1h" });
    expect(after.status).toBe(409);
    expect(after.body.error.message).toMatch(/is closed \(revoked\)/);
  });

  it("lets policies tell an extension apart", async () => {
    const kind = `extpolicy${++seq}.v1.Role`;
    const policy = await t.call("PUT", `${SPACE}/policy`, {
      policy: {
        rules: [{ name: "extensions-at-once", match: { kinds: [kind], condition: 'extends != ""' }, autoApprove: { reason: "more time" } }],
      },
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    try {
      const first = await createPetition(t, { resources: [{ kind, id: "db" }] });
      expect(first.state.status.phase).toBe("open");
      await t.call("POST", `${SPACE}/petitions/${first.name}/claims`, approveClaim("1h"));
      const extension = await t.call("POST", `${SPACE}/petitions/${first.name}:extend`, { duration: "30m" });
      expect(extension.status).toBe(201);
      expect(extension.body.state.status.phase).toBe("granted");
      expect(extension.body.meta.expireTime).toBeDefined();
    } finally {
      await t.call("PUT", `${SPACE}/policy`, { policy: { rules: [] } });
    }
  });

  it("cannot be claimed by a client: greenlight.dev/extends is the server's", async () => {
    const first = await approved(person(), [{ kind: "aws.v1.Role", id: `forged-${++seq}` }], "1h");
    const forged = await t.call("POST", `${SPACE}/petitions`, {
      petition: {
        petitioners: [{ kind: "user", email: person() }],
        resources: [{ kind: "aws.v1.Role", id: "other" }],
        meta: { labels: { [EXTENDS]: first } },
      },
    });
    expect(forged.status).toBe(400);
    expect(forged.body.error.message).toMatch(/greenlight\.dev\/extends.*set by the server/);
  });

  it("is authorized as creating the extension would be, for the identity of the token", async () => {
    const space = await createSpace(t);
    const base = `/v1/spaces/${space}`;
    const alice = `alice-${++seq}@example.com`;
    const bob = `bob-${seq}@example.com`;
    const aliceAuth = bearer(await userToken(t, space, alice, ["member"]));
    const bobAuth = bearer(await userToken(t, space, bob, ["member"]));
    const resources = [{ kind: "aws.v1.Role", id: "prod" }];
    const mine = await t.call("POST", `${base}/petitions`, { petition: { resources } }, aliceAuth);
    expect(mine.status).toBe(201);
    expect((await t.call("POST", `${base}/petitions/${mine.body.name}/claims`, approveClaim("1h"))).status).toBe(200);

    // Bob may not see Alice's petition, so to him it does not exist; nothing is made.
    const bobs = await t.call("POST", `${base}/petitions/${mine.body.name}:extend`, { duration: "1h" }, bobAuth);
    expect(bobs.status).toBe(404);
    expect(bobs.body.error.code).toBe("NOT_FOUND");
    // Nor does it in another space, whatever the token's role there.
    const elsewhere = await t.call("POST", `${SPACE}/petitions/${mine.body.name}:extend`, { duration: "1h" });
    expect(elsewhere.status).toBe(404);
    expect(
      (await t.call("GET", `${base}/petitions?labelSelector=${encodeURIComponent(`${EXTENDS}=${mine.body.name}`)}`)).body.petitions,
    ).toEqual([]);

    // Alice extends her own: for herself, made by her.
    const hers = await t.call("POST", `${base}/petitions/${mine.body.name}:extend`, { duration: "1h" }, aliceAuth);
    expect(hers.status, JSON.stringify(hers.body)).toBe(201);
    expect(hers.body.petitioners).toEqual([expect.objectContaining({ email: alice })]);
    expect(hers.body.state.eventHistory[0].actor.email).toBe(alice);
  });
});
