import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { approveClaim, createPetition, petitionBody, revokeClaim, SPACE, startTestServer, type TestServer } from "./harness.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const GRANTS = `${SPACE}/grants`;
const HOUR = 3_600_000;

interface Grant {
  name: string;
  spaceName: string;
  petitionName: string;
  petitioner: { kind: string; email?: string; id?: string };
  resource: { kind: string; id?: string };
  status: string;
  startTime: string;
  expireTime?: string;
  endTime?: string;
}

let counter = 0;
const uniq = (prefix: string) => `${prefix}-${Date.now()}-${++counter}`;
const users = (n: number) => Array.from({ length: n }, () => ({ kind: "user", email: `${uniq("u")}@example.com` }));
const groups = (n: number) => Array.from({ length: n }, () => ({ kind: "okta.v1.Group", id: uniq("g") }));

/** Every grant a query lists, page by page, checking that no page repeats an earlier one. */
async function allGrants(server: TestServer, query: string, pageSize = 100): Promise<Grant[]> {
  const out: Grant[] = [];
  let token = "";
  do {
    const reply = await server.call("GET", `${GRANTS}?${query}&pageSize=${pageSize}${token ? `&pageToken=${token}` : ""}`);
    expect(reply.status).toBe(200);
    expect(reply.body.grants.length).toBeLessThanOrEqual(pageSize);
    out.push(...reply.body.grants);
    token = reply.body.nextPageToken;
  } while (token);
  expect(new Set(out.map((g) => g.name)).size).toBe(out.length);
  return out;
}

async function grantedPetition(server: TestServer, petitioners = users(1), resources = groups(1), duration = "1h") {
  const p = await createPetition(server, { petitioners, resources });
  const approved = await server.call("POST", `${SPACE}/petitions/${p.name}/claims`, approveClaim(duration));
  if (approved.status !== 200) throw new Error(`approve failed: ${approved.status} ${JSON.stringify(approved.body)}`);
  return { name: p.name as string, claim: approved.body };
}

describe("grants of an approved petition", () => {
  it("one grant per (petitioner, resource) pair: 2 × 2 → 4 active grants, each readable by name", async () => {
    const petitioners = users(2);
    const resources = groups(2);
    const { name, claim } = await grantedPetition(t, petitioners, resources, "2h");
    const petition = (await t.call("GET", `${SPACE}/petitions/${name}`)).body;
    const grants = await allGrants(t, `petition=${name}`);
    expect(grants).toHaveLength(4);
    const pairs = grants.map((g) => `${g.petitioner.email}|${g.resource.id}`).sort();
    expect(pairs).toEqual(petitioners.flatMap((u) => resources.map((r) => `${u.email}|${r.id}`)).sort());
    for (const g of grants) {
      expect(g.name).toMatch(/^grt_[0-9a-z]{26}$/);
      expect(g.spaceName).toBe("default");
      expect(g.petitionName).toBe(name);
      expect(g.status).toBe("active");
      expect(g.petitioner.kind).toBe("user");
      expect(g.resource.kind).toBe("okta.v1.Group");
      expect(g.startTime).toBe(petition.meta.startTime);
      expect(g.expireTime).toBe(claim.meta.labels["indent.com/time/expires"]);
      expect(Date.parse(g.expireTime!) - Date.parse(g.startTime)).toBe(2 * HOUR);
      expect(g.endTime).toBeUndefined();
      const one = await t.call("GET", `${GRANTS}/${g.name}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual(g);
    }
  });

  it("an indefinite grant has no expireTime", async () => {
    const p = await createPetition(t, { petitioners: users(1), resources: groups(1) });
    await t.call("POST", `${SPACE}/petitions/${p.name}/claims`, {
      claim: { event: "access/approve", meta: { labels: { "indent.com/time/indefinite": "true" } } },
    });
    const [grant] = await allGrants(t, `petition=${p.name}`);
    expect(grant!.status).toBe("active");
    expect(grant!.expireTime).toBeUndefined();
  });

  it("404s an unknown grant, naming it", async () => {
    const reply = await t.call("GET", `${GRANTS}/grt_doesnotexist`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("NOT_FOUND");
    expect(reply.body.error.message).toContain("grt_doesnotexist");
  });

  it("lists nothing for a petition that has no grants or does not exist", async () => {
    const open = await createPetition(t);
    expect((await t.call("GET", `${GRANTS}?petition=${open.name}`)).body).toEqual({ grants: [], nextPageToken: "" });
    expect((await t.call("GET", `${GRANTS}?petition=pet_nope`)).body).toEqual({ grants: [], nextPageToken: "" });
  });
});

describe("filtering by status", () => {
  it("active and revoked", async () => {
    const kept = await grantedPetition(t, users(1), groups(2));
    const revoked = await grantedPetition(t, users(2), groups(1));
    const reply = await t.call("POST", `${SPACE}/petitions/${revoked.name}/claims`, revokeClaim);
    expect(reply.status).toBe(200);

    const active = await allGrants(t, "status=active");
    expect(active.every((g) => g.status === "active")).toBe(true);
    expect(active.filter((g) => g.petitionName === kept.name)).toHaveLength(2);
    expect(active.some((g) => g.petitionName === revoked.name)).toBe(false);

    const ended = await allGrants(t, "status=revoked");
    expect(ended.every((g) => g.status === "revoked")).toBe(true);
    const mine = ended.filter((g) => g.petitionName === revoked.name);
    expect(mine).toHaveLength(2);
    for (const g of mine) expect(Date.parse(g.endTime!)).toBeGreaterThanOrEqual(Date.parse(g.startTime));
    expect(ended.some((g) => g.petitionName === kept.name)).toBe(false);

    expect(await allGrants(t, `status=revoked&petition=${kept.name}`)).toEqual([]);
    expect((await allGrants(t, `status=active&petition=${kept.name}`)).map((g) => g.petitionName)).toEqual([kept.name, kept.name]);
    expect(await allGrants(t, "status=expired")).toEqual([]);
  });

  it("expired, once the clock passes the grant's end", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const s = await startTestServer({ clock });
    try {
      const body = petitionBody({ petitioners: users(1), resources: groups(3) });
      const first = await s.call("POST", `${SPACE}/petitions`, body);
      await s.call("POST", `${SPACE}/petitions/${first.body.name}/claims`, approveClaim("1h"));
      expect((await allGrants(s, "status=active")).map((g) => g.petitionName)).toEqual(Array(3).fill(first.body.name));
      offset = 2 * HOUR;
      // Asking again for the same access finds the grant over and ends it, if the expiry job has not yet.
      const again = await s.call("POST", `${SPACE}/petitions`, body);
      expect(again.status).toBe(201);
      const expired = await allGrants(s, "status=expired");
      expect(expired).toHaveLength(3);
      expect(expired.every((g) => g.petitionName === first.body.name && g.status === "expired" && g.endTime !== undefined)).toBe(true);
      expect(await allGrants(s, "status=active")).toEqual([]);
    } finally {
      await s.close();
    }
  });

  it.each(["pending", "ACTIVE", "active,revoked"])("refuses status=%s (400)", async (status) => {
    const reply = await t.call("GET", `${GRANTS}?status=${encodeURIComponent(status)}`);
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe("status");
  });
});

describe("paging", () => {
  it("pages without gaps or repeats, oldest first, in the same order as one page", async () => {
    const { name } = await grantedPetition(t, users(1), groups(7));
    const whole = await allGrants(t, `petition=${name}`);
    expect(whole).toHaveLength(7);
    const pages: string[][] = [];
    let token = "";
    do {
      const reply = await t.call("GET", `${GRANTS}?petition=${name}&pageSize=3${token ? `&pageToken=${token}` : ""}`);
      expect(reply.status).toBe(200);
      pages.push(reply.body.grants.map((g: Grant) => g.name));
      token = reply.body.nextPageToken;
    } while (token);
    expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
    expect(pages.flat()).toEqual(whole.map((g) => g.name));
    expect(pages.flat()).toEqual([...pages.flat()].sort());
  });

  it("refuses a page token from another query, a garbage token and an out-of-range pageSize (400)", async () => {
    const { name } = await grantedPetition(t, users(1), groups(2));
    const first = await t.call("GET", `${GRANTS}?petition=${name}&pageSize=1`);
    expect(first.body.nextPageToken).not.toBe("");
    for (const query of [`status=active`, `petition=${name}&status=revoked`, ""]) {
      const reply = await t.call("GET", `${GRANTS}?${query}&pageSize=1&pageToken=${first.body.nextPageToken}`);
      expect(reply.status, query).toBe(400);
      expect(reply.body.error.field).toBe("pageToken");
    }
    const same = await t.call("GET", `${GRANTS}?petition=${name}&pageSize=1&pageToken=${first.body.nextPageToken}`);
    expect(same.status).toBe(200);
    expect(same.body.grants[0].name).not.toBe(first.body.grants[0].name);
    expect((await t.call("GET", `${GRANTS}?pageToken=garbage`)).status).toBe(400);
    for (const size of ["101", "-1", "abc"]) {
      const reply = await t.call("GET", `${GRANTS}?pageSize=${size}`);
      expect(reply.status, size).toBe(400);
      expect(reply.body.error.field).toBe("pageSize");
    }
  });
});

describe("grants by provisioning", () => {
  it("lists only the grants in the state asked for, failed meaning either failure, and refuses a state that does not exist", async () => {
    const petitioners = users(2);
    const petition = await createPetition(t, { petitioners, resources: groups(1) });
    expect((await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"))).status).toBe(200);
    // No webhook applies these: there is nothing to provision.
    const none = await allGrants(t, `petition=${petition.name}&provisioning=none`);
    expect(none).toHaveLength(2);
    expect(await allGrants(t, `petition=${petition.name}&provisioning=applied`)).toEqual([]);
    expect(await allGrants(t, `petition=${petition.name}&provisioning=failed`)).toEqual([]);
    const bogus = await t.call("GET", `${GRANTS}?provisioning=broken`);
    expect(bogus.status).toBe(400);
    expect(bogus.body.error.field).toBe("provisioning");
    // A page token is bound to the state it was listed with.
    const first = await t.call("GET", `${GRANTS}?provisioning=none&pageSize=1`);
    expect(first.body.nextPageToken).not.toBe("");
    const other = await t.call("GET", `${GRANTS}?provisioning=failed&pageSize=1&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
    expect(other.status).toBe(400);
  });
});
