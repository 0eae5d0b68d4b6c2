import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approveClaim, createPetition, denyClaim, petitionBody, SPACE, startTestServer, type TestServer } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("creating petitions", () => {
  it("creates an open petition with its request event, in Indent's shape", async () => {
    const body = petitionBody({ meta: { labels: { "indent.com/app/config/id": "space:default" } }, defaultDuration: "2h" });
    const reply = await t.call("POST", `${SPACE}/petitions`, body);
    expect(reply.status).toBe(201);
    const p = reply.body;
    expect(p.name).toMatch(/^pet_[0-9a-z]{26}$/);
    expect(p.spaceName).toBe("default");
    expect(p.meta.labels).toEqual({ "indent.com/app/config/id": "space:default" });
    expect(Date.parse(p.meta.createTime)).not.toBeNaN();
    expect(p.state.status).toEqual({ phase: "open" });
    expect(p.defaultDuration).toBe("7200s");
    expect(p.reason).toBe("to debug production");
    expect(p.petitioners).toEqual([{ kind: "user", email: (body.petition.petitioners as Array<{ email: string }>)[0]!.email, labels: {} }]);
    expect(p.state.eventHistory).toHaveLength(1);
    const [request] = p.state.eventHistory;
    expect(request.event).toBe("access/request");
    expect(request.actor.kind).toBe("greenlight.v1.Admin");
    expect(request.meta.labels.petition).toBe(p.name);
    expect(request.meta.labels["indent.com/petition"]).toBe(p.name);
  });

  it("accepts a {seconds, nanos} duration and snake_case fields", async () => {
    const body = petitionBody();
    const petition = { ...body.petition, default_duration: { seconds: "5400", nanos: 0 } };
    const reply = await t.call("POST", `${SPACE}/petitions`, { petition });
    expect(reply.status).toBe(201);
    expect(reply.body.defaultDuration).toBe("5400s");
  });

  it("returns the identical open petition instead of creating a second", async () => {
    const body = petitionBody({
      resources: [
        { kind: "okta.v1.Group", id: "g1" },
        { kind: "okta.v1.Group", id: "g2" },
      ],
    });
    const first = await t.call("POST", `${SPACE}/petitions`, body);
    // Same petitioners and resources, in another order, with another reason: the same request.
    const again = {
      petition: { ...body.petition, reason: "asking again", resources: [...(body.petition.resources as unknown[])].reverse() },
    };
    const second = await t.call("POST", `${SPACE}/petitions`, again);
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.name).toBe(first.body.name);
    const list = await t.call("GET", `${SPACE}/petitions?phase=open&pageSize=100`);
    expect(list.body.petitions.filter((p: { name: string }) => p.name === first.body.name)).toHaveLength(1);
  });

  it("returns the granted petition for a repeated request while its grant is active", async () => {
    const body = petitionBody();
    const first = await t.call("POST", `${SPACE}/petitions`, body);
    await t.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, approveClaim("1h"));
    const second = await t.call("POST", `${SPACE}/petitions`, body);
    expect(second.status).toBe(200);
    expect(second.body.name).toBe(first.body.name);
    expect(second.body.state.status.phase).toBe("granted");
  });

  it("creates a new petition once the earlier identical one is closed", async () => {
    const body = petitionBody();
    const first = await t.call("POST", `${SPACE}/petitions`, body);
    await t.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, denyClaim);
    const second = await t.call("POST", `${SPACE}/petitions`, body);
    expect(second.status).toBe(201);
    expect(second.body.name).not.toBe(first.body.name);
  });

  it("enriches nothing and invents nothing for resources outside the catalog", async () => {
    const p = await createPetition(t, {
      resources: [{ kind: "action", id: "approval+123", displayName: "Approval", labels: { "indent.com/block": "abc" } }],
    });
    expect(p.resources).toEqual([{ kind: "action", id: "approval+123", displayName: "Approval", labels: { "indent.com/block": "abc" } }]);
  });

  it.each([
    ["no petitioners", { petitioners: [] }, "petition.petitioners"],
    ["no resources", { resources: [] }, "petition.resources"],
    ["a resource without kind", { resources: [{ id: "x" }] }, "petition.resources[0].kind"],
    ["a resource without id or email", { resources: [{ kind: "x" }] }, "petition.resources[0]"],
    ["a phase other than open", { state: { status: { phase: "granted" } } }, "petition.state.status.phase"],
    ["a duration over the maximum", { defaultDuration: "100000h" }, "petition.defaultDuration"],
    [
      "a suggested duration label over the maximum",
      { meta: { labels: { "indent.com/petition/duration": "99999999999h" } } },
      'petition.meta.labels["indent.com/petition/duration"]',
    ],
    [
      "a suggested duration label that is not a duration",
      { meta: { labels: { "indent.com/petition/duration": "soon" } } },
      'petition.meta.labels["indent.com/petition/duration"]',
    ],
  ])("refuses %s", async (_name, overrides, field) => {
    const reply = await t.call("POST", `${SPACE}/petitions`, petitionBody(overrides));
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe(field);
    expect(reply.body.error.requestId).toMatch(/^req_/);
  });

  it("refuses a body without the petition wrapper", async () => {
    const reply = await t.call("POST", `${SPACE}/petitions`, petitionBody().petition);
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/petition/);
  });

  it("refuses more than 1000 (petitioner, resource) pairs", async () => {
    const many = (kind: string, n: number) => Array.from({ length: n }, (_, i) => ({ kind, id: `${kind}-${i}` }));
    const reply = await t.call("POST", `${SPACE}/petitions`, petitionBody({ petitioners: many("user", 40), resources: many("group", 30) }));
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toMatch(/1000/);
  });
});

describe("Idempotency-Key", () => {
  it("replays the first response for the same key and body, and does nothing twice", async () => {
    const body = petitionBody();
    const headers = { "idempotency-key": `key-${Date.now()}` };
    const first = await t.call("POST", `${SPACE}/petitions`, body, headers);
    await t.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, denyClaim);
    const replay = await t.call("POST", `${SPACE}/petitions`, body, headers);
    expect(first.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers["idempotent-replayed"]).toBe("true");
    // The stored first response, not the petition as it is now (denied).
    expect(replay.body).toEqual(first.body);
    expect(first.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("refuses the same key with a different body (422)", async () => {
    const headers = { "idempotency-key": `key-mismatch-${Date.now()}` };
    const first = await t.call("POST", `${SPACE}/petitions`, petitionBody(), headers);
    const second = await t.call("POST", `${SPACE}/petitions`, petitionBody(), headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(422);
    expect(second.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("treats key order in the body as the same request", async () => {
    const headers = { "idempotency-key": `key-order-${Date.now()}` };
    const body = petitionBody();
    const reordered = { petition: Object.fromEntries(Object.entries(body.petition).reverse()) };
    const first = await t.call("POST", `${SPACE}/petitions`, body, headers);
    const second = await t.call("POST", `${SPACE}/petitions`, reordered, headers);
    expect(second.status).toBe(201);
    expect(second.body.name).toBe(first.body.name);
  });

  it("replays claims too: a retried approval is not a second approval", async () => {
    const p = await createPetition(t);
    const headers = { "idempotency-key": `approve-${p.name}` };
    const first = await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"), headers);
    const retry = await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"), headers);
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const after = await t.call("GET", `${SPACE}/petitions/${p.name}`);
    expect(after.body.state.eventHistory.filter((e: { event: string }) => e.event === "access/approve")).toHaveLength(1);
  });

  it("stores nothing for a request that failed, so it can be retried", async () => {
    const headers = { "idempotency-key": `failing-${Date.now()}` };
    const bad = await t.call("POST", `${SPACE}/petitions`, petitionBody({ resources: [] }), headers);
    expect(bad.status).toBe(400);
    const good = await t.call("POST", `${SPACE}/petitions`, petitionBody(), headers);
    expect(good.status).toBe(201);
  });
});

describe("reading petitions", () => {
  it("gets a petition by name and 404s an unknown one", async () => {
    const p = await createPetition(t);
    const got = await t.call("GET", `${SPACE}/petitions/${p.name}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(p);
    const missing = await t.call("GET", `${SPACE}/petitions/pet_doesnotexist`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
    expect(missing.body.error.message).toContain("pet_doesnotexist");
  });

  it("pages through a label-selected list without gaps or repeats, newest first", async () => {
    const tag = `run-${Date.now()}`;
    const names: string[] = [];
    for (let i = 0; i < 7; i++)
      names.push((await createPetition(t, { meta: { labels: { batch: tag, parity: i % 2 ? "odd" : "even" } } })).name);
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const reply = await t.call(
        "GET",
        `${SPACE}/petitions?labelSelector=${encodeURIComponent(`batch=${tag}`)}&pageSize=3${token ? `&pageToken=${token}` : ""}`,
      );
      expect(reply.status).toBe(200);
      seen.push(...reply.body.petitions.map((p: { name: string }) => p.name));
      token = reply.body.nextPageToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].reverse());

    const odd = await t.call(
      "GET",
      `${SPACE}/petitions?labelSelector=${encodeURIComponent(`batch=${tag},parity in (odd)`)}&ascending=true`,
    );
    expect(odd.body.petitions.map((p: { name: string }) => p.name)).toEqual(names.filter((_, i) => i % 2));
    const notEven = await t.call(
      "GET",
      `${SPACE}/petitions?label_selector=${encodeURIComponent(`batch=${tag},parity!=even`)}&ascending=true`,
    );
    expect(notEven.body.petitions.map((p: { name: string }) => p.name)).toEqual(names.filter((_, i) => i % 2));
  });

  it("refuses a page token from another query", async () => {
    const tag = `tok-${Date.now()}`;
    for (let i = 0; i < 3; i++) await createPetition(t, { meta: { labels: { batch: tag } } });
    const first = await t.call("GET", `${SPACE}/petitions?labelSelector=batch%3D${tag}&pageSize=1`);
    expect(first.body.nextPageToken).not.toBe("");
    const other = await t.call(
      "GET",
      `${SPACE}/petitions?labelSelector=batch%21%3D${tag}&pageSize=1&pageToken=${first.body.nextPageToken}`,
    );
    expect(other.status).toBe(400);
    expect(other.body.error.field).toBe("pageToken");
    const garbage = await t.call("GET", `${SPACE}/petitions?pageToken=not-a-token`);
    expect(garbage.status).toBe(400);
  });

  it("filters by phase", async () => {
    const p = await createPetition(t);
    await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, denyClaim);
    const closed = await t.call("GET", `${SPACE}/petitions?phase=closed&pageSize=100`);
    expect(closed.body.petitions.every((x: { state: { status: { phase: string } } }) => x.state.status.phase === "closed")).toBe(true);
    expect(closed.body.petitions.some((x: { name: string }) => x.name === p.name)).toBe(true);
    const bad = await t.call("GET", `${SPACE}/petitions?phase=pending`);
    expect(bad.status).toBe(400);
  });
});

describe("updating and deleting", () => {
  it("closes an open petition with a PUT of the petition as read (Indent's close)", async () => {
    const p = await createPetition(t);
    const read = (await t.call("GET", `${SPACE}/petitions/${p.name}`)).body;
    read.state.status.phase = "closed";
    const reply = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: read });
    expect(reply.status).toBe(200);
    expect(reply.body.state.status).toEqual({ phase: "closed", outcome: "cancelled" });
    expect(reply.body.meta.endTime).toBeDefined();
    expect(reply.body.state.eventHistory.map((e: { event: string }) => e.event)).toEqual(["access/request", "access/close"]);
    // Closing again is a no-op, not an error.
    const again = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: read });
    expect(again.status).toBe(200);
    expect(again.body.state.eventHistory).toHaveLength(2);
  });

  it("closing a granted petition revokes its grants", async () => {
    const p = await createPetition(t);
    await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim("1h"));
    const reply = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { state: { status: { phase: "closed" } } } });
    expect(reply.body.state.status).toEqual({ phase: "closed", outcome: "revoked" });
    const grants = await t.call("GET", `${SPACE}/grants?petition=${p.name}`);
    expect(grants.body.grants.map((g: { status: string }) => g.status)).toEqual(["revoked"]);
  });

  it("updates labels and refuses changes to who or what", async () => {
    const p = await createPetition(t);
    const labelled = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { meta: { labels: { ticket: "OPS-1" } } } });
    expect(labelled.status).toBe(200);
    expect(labelled.body.meta.labels).toEqual({ ticket: "OPS-1" });
    expect(labelled.body.state.status.phase).toBe("open");

    const other = await t.call("PUT", `${SPACE}/petitions/${p.name}`, {
      petition: { petitioners: p.petitioners, resources: [{ kind: "aws.v1.Role", id: "something-else" }] },
    });
    expect(other.status).toBe(400);
    const renamed = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { name: "pet_other" } });
    expect(renamed.status).toBe(400);
    const granted = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { state: { status: { phase: "granted" } } } });
    expect(granted.status).toBe(409);
    const bogus = await t.call("PUT", `${SPACE}/petitions/${p.name}`, { petition: { state: { status: { phase: "paused" } } } });
    expect(bogus.status).toBe(400);
    const badDuration = await t.call("PUT", `${SPACE}/petitions/${p.name}`, {
      petition: { meta: { labels: { "indent.com/petition/duration": "-1h" } } },
    });
    expect(badDuration.status).toBe(400);
    expect(badDuration.body.error.field).toBe('petition.meta.labels["indent.com/petition/duration"]');
    const unchanged = await t.call("GET", `${SPACE}/petitions/${p.name}`);
    expect(unchanged.body.state.status.phase).toBe("open");
    expect(unchanged.body.meta.labels).toEqual({ ticket: "OPS-1" });
  });

  it("deletes: cancels, hides from lists, keeps it readable; deleting twice is harmless", async () => {
    const p = await createPetition(t);
    const deleted = await t.call("DELETE", `${SPACE}/petitions/${p.name}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.state.status).toEqual({ phase: "closed", outcome: "cancelled" });
    expect(deleted.body.meta.deleteTime).toBeDefined();
    const list = await t.call("GET", `${SPACE}/petitions?pageSize=100`);
    expect(list.body.petitions.some((x: { name: string }) => x.name === p.name)).toBe(false);
    const withDeleted = await t.call("GET", `${SPACE}/petitions?pageSize=100&showDeleted=true`);
    expect(withDeleted.body.petitions.some((x: { name: string }) => x.name === p.name)).toBe(true);
    expect((await t.call("GET", `${SPACE}/petitions/${p.name}`)).status).toBe(200);
    const again = await t.call("DELETE", `${SPACE}/petitions/${p.name}`);
    expect(again.status).toBe(200);
    expect(again.body.meta.deleteTime).toBe(deleted.body.meta.deleteTime);
    expect((await t.call("DELETE", `${SPACE}/petitions/pet_nope`)).status).toBe(404);
  });
});
