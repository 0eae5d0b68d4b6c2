import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, denyClaim, revokeClaim, startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, serviceAccount } from "./identity-fixtures.js";
import { CATALOG, requestFor, ROLES, uniqueTag, type Principal, type Role } from "./route-catalog.js";
import { cell as newCell, describeRouteMatrix } from "./role-matrix-cells.js";

/**
 * Route × role (this file holds a third of the routes; role-matrix-routes-2 and -3 the rest),
 * and the filtering and self-review rules the statuses do not show.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

/** A fresh, seeded space where one person holds `principal`'s role (see role-matrix-cells.ts). */
const cell = (principal: Principal) => newCell(t, principal);

const READS_ALL: readonly Role[] = ["admin", "reviewer"];
const names = (items: Array<{ name: string }>) => items.map((item) => item.name);

describeRouteMatrix(1, 3);

describe.each(ROLES)("what %s sees", (role) => {
  const readsAll = READS_ALL.includes(role);

  it(`lists ${readsAll ? "every petition" : "only the petitions it asked for or is petitioner of"}`, async () => {
    const c = await cell(role);
    const base = `/v1/spaces/${c.space}`;
    const own = await t.call(
      "POST",
      `${base}/petitions`,
      { petition: { reason: "mine", resources: [{ kind: c.fixture.resourceKind, id: c.fixture.resourceId }] } },
      c.auth,
    );
    expect(own.status).toBe(201);
    const listed = await t.call("GET", `${base}/petitions?pageSize=100`, undefined, c.auth);
    expect(listed.status).toBe(200);
    const seen = names(listed.body.petitions);
    expect(seen).toContain(own.body.name);
    for (const seeded of [c.fixture.petition, c.fixture.openPetition]) {
      if (readsAll) expect(seen).toContain(seeded);
      else expect(seen).not.toContain(seeded);
    }
  });

  it("petitions for itself, naming itself or no one", async () => {
    const c = await cell(role);
    const base = `/v1/spaces/${c.space}/petitions`;
    const named = await t.call(
      "POST",
      base,
      { petition: { reason: "r", petitioners: [{ kind: "user", email: c.email }], resources: [{ kind: "okta.v1.Group", id: "one" }] } },
      c.auth,
    );
    expect(named.status, JSON.stringify(named.body)).toBe(201);
    const unnamed = await t.call("POST", base, { petition: { reason: "r", resources: [{ kind: "okta.v1.Group", id: "two" }] } }, c.auth);
    expect(unnamed.status, JSON.stringify(unnamed.body)).toBe(201);
    expect(unnamed.body.petitioners.map((p: { email: string }) => p.email)).toEqual([c.email]);
  });

  it(`lists ${readsAll ? "every grant" : "only the grants it holds"}, and reads its own`, async () => {
    const c = await cell(role);
    const base = `/v1/spaces/${c.space}`;
    const mine = await t.call("POST", `${base}/petitions`, {
      petition: {
        reason: "r",
        petitioners: [{ kind: "user", email: c.email }],
        resources: [{ kind: c.fixture.resourceKind, id: c.fixture.resourceId }],
      },
    });
    expect((await t.call("POST", `${base}/petitions/${mine.body.name}/claims`, approveClaim("1h"))).status).toBe(200);
    const listed = await t.call("GET", `${base}/grants?pageSize=100`, undefined, c.auth);
    expect(listed.status).toBe(200);
    const own = listed.body.grants.filter((g: { petitionName: string }) => g.petitionName === mine.body.name);
    expect(own).toHaveLength(1);
    expect(names(listed.body.grants).includes(c.fixture.grant)).toBe(readsAll);
    if (!readsAll) expect(listed.body.grants).toEqual(own);
    expect((await t.call("GET", `${base}/grants/${own[0].name}`, undefined, c.auth)).status).toBe(200);
  });

  it(`${readsAll ? "sees" : "does not see"} people among the resources`, async () => {
    const c = await cell(role);
    const base = `/v1/spaces/${c.space}/resources`;
    const person = await t.call("GET", `${base}/${c.fixture.person}`, undefined, c.auth);
    if (readsAll) expect(person.status).toBe(200);
    else expectEnvelope(person, 404, "NOT_FOUND");
    const listed = names((await t.call("GET", `${base}?pageSize=100`, undefined, c.auth)).body.resources.map(asNamed));
    expect(listed).toContain(c.fixture.resource);
    expect(listed.includes(c.fixture.person)).toBe(readsAll);
  });

  it("lists exactly its own space", async () => {
    const c = await cell(role);
    const listed = await t.call("GET", "/v1/spaces?pageSize=100", undefined, c.auth);
    expect(names(listed.body.spaces)).toEqual([c.space]);
  });
});

it("a person without a role in the space lists no space", async () => {
  const c = await cell("none");
  expect((await t.call("GET", "/v1/spaces?pageSize=100", undefined, c.auth)).body.spaces).toEqual([]);
});

it("a petitioner-admin sees the petitions it made for others", async () => {
  const c = await cell("petitioner-admin");
  const base = `/v1/spaces/${c.space}/petitions`;
  const made = await t.call("POST", base, requestFor(petitionCreate(), c.fixture).body, c.auth);
  expect(made.status).toBe(201);
  expect(names((await t.call("GET", `${base}?pageSize=100`, undefined, c.auth)).body.petitions)).toEqual([made.body.name]);
  expect((await t.call("GET", `${base}/${made.body.name}`, undefined, c.auth)).status).toBe(200);
});

describe("self-review", () => {
  /** An open petition for `petitioners`, made by the server's admin token. */
  async function openPetition(space: string, petitioners: string[], id = uniqueTag()) {
    const reply = await t.call("POST", `/v1/spaces/${space}/petitions`, {
      petition: {
        reason: "r",
        petitioners: petitioners.map((email) => ({ kind: "user", email })),
        resources: [{ kind: "okta.v1.Group", id }],
      },
    });
    expect(reply.status).toBe(201);
    return reply.body.name as string;
  }
  const phaseOf = async (space: string, name: string) =>
    (await t.call("GET", `/v1/spaces/${space}/petitions/${name}`)).body.state.status.phase;

  it.each(READS_ALL)("a %s cannot approve or deny a petition it is a petitioner of", async (role) => {
    const c = await cell(role);
    const name = await openPetition(c.space, [c.email, `colleague-${uniqueTag()}@example.com`]);
    for (const claim of [approveClaim("1h"), denyClaim]) {
      const reply = await t.call("POST", `/v1/spaces/${c.space}/petitions/${name}/claims`, claim, c.auth);
      expectEnvelope(reply, 403, "SELF_REVIEW");
    }
    expect(await phaseOf(c.space, name)).toBe("open");
  });

  it("recognises a petitioner named by an id that is its email, as Indent's user resources often are", async () => {
    const c = await cell("reviewer");
    const reply = await t.call("POST", `/v1/spaces/${c.space}/petitions`, {
      petition: {
        reason: "r",
        petitioners: [{ kind: "user", id: c.email.toUpperCase() }],
        resources: [{ kind: "okta.v1.Group", id: uniqueTag() }],
      },
    });
    expect(reply.status).toBe(201);
    const claims = `/v1/spaces/${c.space}/petitions/${reply.body.name}/claims`;
    expectEnvelope(await t.call("POST", claims, approveClaim("1h"), c.auth), 403, "SELF_REVIEW");
    // A member so named reads it and lists it among its own (a reviewer would read it anyway).
    const m = await cell("member");
    const own = await t.call("POST", `/v1/spaces/${m.space}/petitions`, {
      petition: {
        reason: "r",
        petitioners: [{ kind: "user", id: m.email.toUpperCase() }],
        resources: [{ kind: "okta.v1.Group", id: uniqueTag() }],
      },
    });
    expect((await t.call("GET", `/v1/spaces/${m.space}/petitions/${own.body.name}`, undefined, m.auth)).status).toBe(200);
    const listed = (await t.call("GET", `/v1/spaces/${m.space}/petitions?pageSize=100`, undefined, m.auth)).body.petitions;
    expect(listed.map((p: { name: string }) => p.name)).toContain(own.body.name);
  });

  it("an admin cannot approve a petition it made for someone else", async () => {
    const c = await cell("admin");
    const made = await t.call("POST", `/v1/spaces/${c.space}/petitions`, requestFor(petitionCreate(), c.fixture).body, c.auth);
    expect(made.status).toBe(201);
    const reply = await t.call("POST", `/v1/spaces/${c.space}/petitions/${made.body.name}/claims`, approveClaim("1h"), c.auth);
    expectEnvelope(reply, 403, "SELF_REVIEW");
  });

  it("a service account that petitions for others and reviews cannot approve or deny what it made", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, `pa-bot-${uniqueTag()}`, ["petitioner-admin", "reviewer"]);
    const auth = bearer(bot.accessToken);
    const made = await t.call(
      "POST",
      `/v1/spaces/${space}/petitions`,
      {
        petition: {
          reason: "r",
          petitioners: [{ kind: "user", email: `client-${uniqueTag()}@example.com` }],
          resources: [{ kind: "okta.v1.Group", id: "x" }],
        },
      },
      auth,
    );
    expect(made.status).toBe(201);
    for (const claim of [approveClaim("1h"), denyClaim]) {
      expectEnvelope(await t.call("POST", `/v1/spaces/${space}/petitions/${made.body.name}/claims`, claim, auth), 403, "SELF_REVIEW");
    }
    // It still reviews what others asked for.
    const other = await openPetition(space, [`stranger-${uniqueTag()}@example.com`]);
    expect((await t.call("POST", `/v1/spaces/${space}/petitions/${other}/claims`, approveClaim("1h"), auth)).status).toBe(200);
  });

  it("a member may revoke its own granted petition", async () => {
    const c = await cell("member");
    const base = `/v1/spaces/${c.space}/petitions`;
    const made = await t.call("POST", base, { petition: { reason: "r", resources: [{ kind: "okta.v1.Group", id: "mine" }] } }, c.auth);
    expect(made.status).toBe(201);
    expect((await t.call("POST", `${base}/${made.body.name}/claims`, approveClaim("1h"))).status).toBe(200);
    const revoked = await t.call("POST", `${base}/${made.body.name}/claims`, revokeClaim, c.auth);
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(await phaseOf(c.space, made.body.name)).toBe("closed");
    const grants = (await t.call("GET", `/v1/spaces/${c.space}/grants?petition=${made.body.name}`)).body.grants;
    expect(grants.map((g: { status: string }) => g.status)).toEqual(["revoked"]);
    // But not approve it, nor someone else's.
    const again = await t.call("POST", base, { petition: { reason: "r", resources: [{ kind: "okta.v1.Group", id: "again" }] } }, c.auth);
    expectEnvelope(await t.call("POST", `${base}/${again.body.name}/claims`, approveClaim("1h"), c.auth), 403, "FORBIDDEN");
    expectEnvelope(await t.call("POST", `${base}/${c.fixture.petition}/claims`, revokeClaim, c.auth), 404, "NOT_FOUND");
  });

  it("the server's admin token approves a petition it made for someone else: it is an operator, not a person", async () => {
    const space = await createSpace(t);
    const name = await openPetition(space, [`someone-${uniqueTag()}@example.com`]);
    expect((await t.call("POST", `/v1/spaces/${space}/petitions/${name}/claims`, approveClaim("1h"))).status).toBe(200);
    expect(await phaseOf(space, name)).toBe("granted");
  });
});

function petitionCreate() {
  return CATALOG.find((entry) => entry.route === "POST /v1/spaces/{space}/petitions")!;
}

function asNamed(resource: { labels: Record<string, string> }) {
  return { name: resource.labels["indent.com/block"]! };
}
