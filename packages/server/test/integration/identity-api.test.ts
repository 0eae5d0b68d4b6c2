import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, serviceAccount, uniqueSpaceName, userToken } from "./identity-fixtures.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const anonymous = { authorization: "" };

describe("spaces", () => {
  it("creates, lists, gets, renames and deletes a space", async () => {
    const name = uniqueSpaceName("crud");
    const created = await t.call("POST", "/v1/spaces", { space: { name, displayName: "Acme" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name, displayName: "Acme" });
    expect((await t.call("POST", "/v1/spaces", { space: { name } })).status).toBe(409);

    const listed = await t.call("GET", "/v1/spaces?pageSize=100");
    expect(listed.body.spaces.map((s: { name: string }) => s.name)).toContain(name);
    expect((await t.call("GET", `/v1/spaces/${name}`)).body.displayName).toBe("Acme");
    const renamed = await t.call("PATCH", `/v1/spaces/${name}`, { space: { displayName: "Acme Corp" } });
    expect(renamed.body.displayName).toBe("Acme Corp");

    expect((await t.call("DELETE", `/v1/spaces/${name}`)).status).toBe(200);
    expectEnvelope(await t.call("GET", `/v1/spaces/${name}`), 404, "NOT_FOUND");
  });

  it.each([["Upper"], ["-dash"], ["has space"], [""], ["x".repeat(64)]])("refuses the space name %j", async (name) => {
    const reply = await t.call("POST", "/v1/spaces", { space: { name } });
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe("space.name");
  });

  it("deletes a space that holds anything only when asked to be recursive, and then everything in it", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, "bot", ["admin"]);
    await t.call("POST", `/v1/spaces/${space}/petitions`, {
      petition: { petitioners: [{ kind: "user", email: "a@example.com" }], resources: [{ kind: "action", id: "x" }] },
    });
    expectEnvelope(await t.call("DELETE", `/v1/spaces/${space}`), 409, "CONFLICT");
    expect((await t.call("GET", `/v1/spaces/${space}/petitions`)).body.petitions).toHaveLength(1);

    expect((await t.call("DELETE", `/v1/spaces/${space}?recursive=true`)).status).toBe(200);
    expectEnvelope(await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(bot.accessToken)), 401, "UNAUTHENTICATED");
    // A space made again under the same name starts empty.
    await createSpace(t, space);
    expect((await t.call("GET", `/v1/spaces/${space}/petitions`)).body.petitions).toEqual([]);
  });
});

describe("role bindings", () => {
  it("adds, reads, replaces and removes bindings, in Indent's policy shape", async () => {
    const space = await createSpace(t);
    const added = await t.call("POST", `/v1/spaces/${space}:addToRole`, {
      role: "reviewer",
      user: { kind: "user", email: "Bob@Example.com" },
    });
    expect(added.status).toBe(200);
    expect(added.body).toEqual({ bindings: [{ role: "reviewer", members: ["user:bob@example.com"] }] });
    await t.call("POST", `/v1/spaces/${space}:addToRole`, { role: "reviewer", member: "user:bob@example.com" });
    expect((await t.call("POST", `/v1/spaces/${space}:getPolicy`, {})).body.bindings).toEqual([
      { role: "reviewer", members: ["user:bob@example.com"] },
    ]);

    const set = await t.call("POST", `/v1/spaces/${space}:setPolicy`, {
      policy: {
        bindings: [
          { role: "admin", members: ["user:ann@example.com"] },
          { role: "member", members: ["user:bob@example.com", "user:cy@example.com"] },
        ],
      },
    });
    expect(set.body.bindings).toEqual([
      { role: "admin", members: ["user:ann@example.com"] },
      { role: "member", members: ["user:bob@example.com", "user:cy@example.com"] },
    ]);
    const removed = await t.call("POST", `/v1/spaces/${space}:removeFromRole`, { role: "member", member: "user:cy@example.com" });
    expect(removed.body.bindings).toEqual([
      { role: "admin", members: ["user:ann@example.com"] },
      { role: "member", members: ["user:bob@example.com"] },
    ]);
  });

  it.each([
    ["an unknown role", { role: "owner", member: "user:a@example.com" }, "role"],
    ["a member without a type", { role: "admin", member: "a@example.com" }, "member"],
    ["a service account that does not exist", { role: "admin", member: "serviceAccount:123" }, "member"],
    ["a group that does not exist", { role: "admin", member: "group:nobody" }, "member"],
    ["no member at all", { role: "admin" }, "member"],
  ])("refuses %s", async (_name, body, field) => {
    const space = await createSpace(t);
    const reply = await t.call("POST", `/v1/spaces/${space}:addToRole`, body);
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe(field);
  });

  it("grants a group's role to its members, and takes it away when they leave", async () => {
    const space = await createSpace(t);
    expect((await t.call("POST", `/v1/spaces/${space}/groups`, { group: { name: "sre", members: ["Dee@Example.com"] } })).status).toBe(201);
    await t.call("POST", `/v1/spaces/${space}:addToRole`, { role: "reviewer", member: "group:sre" });
    const dee = await userToken(t, space, "dee@example.com", []);
    expect((await t.call("GET", `/v1/spaces/${space}/resources?view=people`, undefined, bearer(dee))).status).toBe(200);

    const group = await t.call("PUT", `/v1/spaces/${space}/groups/sre`, { group: { members: [] } });
    expect(group.body.members).toEqual([]);
    // Roles are read on every request: the change applies to the very next one.
    expectEnvelope(await t.call("GET", `/v1/spaces/${space}/resources`, undefined, bearer(dee)), 403, "FORBIDDEN");
    expect((await t.call("DELETE", `/v1/spaces/${space}/groups/sre`)).status).toBe(200);
    expect((await t.call("POST", `/v1/spaces/${space}:getPolicy`, {})).body.bindings).toEqual([]);
  });
});

describe("service accounts and refresh tokens", () => {
  it("creates an account with roles, a refresh token shown once, and exchanges it in every accepted form", async () => {
    const space = await createSpace(t);
    const account = await t.call("POST", `/v1/spaces/${space}/serviceAccounts`, {
      serviceAccount: { name: "deploy-bot", roles: ["member"] },
    });
    expect(account.status).toBe(201);
    expect(account.body).toMatchObject({ name: "deploy-bot", email: `deploy-bot@${space}.serviceaccounts.greenlight`, roles: ["member"] });
    expect(account.body.serviceAccountId).toMatch(/^\d{15}$/);

    const created = await t.call("POST", `/v1/spaces/${space}/tokens`, {
      serviceAccountId: Number(account.body.serviceAccountId),
      expiryDays: 30,
    });
    expect(created.status).toBe(201);
    const refresh: string = created.body.refreshToken;
    expect(refresh).toMatch(/^glr_[0-9a-z]{26}_[A-Za-z0-9_-]{43}$/);
    expect(created.body.meta.expireTime).toBeDefined();

    const listed = await t.call("GET", `/v1/spaces/${space}/tokens`);
    expect(listed.body.tokens).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(refresh.slice(-43));

    const forms = [
      t.call("POST", "/v1/auth/token", { grant_type: "refresh_token", refresh_token: refresh }, anonymous),
      t.call("POST", "/v1/auth/token", { grantType: "refresh_token", refreshToken: refresh }, anonymous),
      t.call("GET", "/v1/auth/token", undefined, bearer(refresh)),
      t.call("POST", "/v1/auth/token", undefined, bearer(refresh)),
    ];
    for (const reply of await Promise.all(forms)) {
      expect(reply.status).toBe(200);
      expect(reply.body.access_token).toBe(reply.body.accessToken);
      expect(reply.body).toMatchObject({ token_type: "Bearer", space });
      expect(reply.body.expires_in).toBeGreaterThan(3500);
      expect(reply.body.expires_in).toBeLessThanOrEqual(3600);
      const claims = decodeJwt(reply.body.access_token);
      expect(claims).toMatchObject({ sub: account.body.email, space, iss: "greenlight", aud: "greenlight", kind: "serviceAccount" });
      expect(decodeProtectedHeader(reply.body.access_token)).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    }
    expect((await t.call("GET", `/v1/spaces/${space}/tokens`)).body.tokens[0].lastUseTime).toBeDefined();
  });

  it("petitions as the account: the petitioner defaults to the token's sub, and the account is the creator", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, "ci", ["member"]);
    const reply = await t.call(
      "POST",
      `/v1/spaces/${space}/petitions`,
      { petition: { reason: "deploy", resources: [{ kind: "action", id: "deploy" }] } },
      bearer(bot.accessToken),
    );
    expect(reply.status).toBe(201);
    expect(reply.body.petitioners).toEqual([
      { kind: "greenlight.v1.ServiceAccount", id: bot.id, displayName: "ci", email: bot.email, labels: {} },
    ]);
    expect(reply.body.state.eventHistory[0].actor).toMatchObject({ kind: "greenlight.v1.ServiceAccount", id: bot.id });
  });

  it("revoking a refresh token stops its exchange and the access tokens made from it, at once", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, "ops", ["admin"]);
    expect((await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(bot.accessToken))).status).toBe(200);
    expect((await t.call("DELETE", `/v1/spaces/${space}/tokens/${bot.tokenName}`)).status).toBe(200);
    expect((await t.call("DELETE", `/v1/spaces/${space}/tokens/${bot.tokenName}`)).status).toBe(200);
    expectEnvelope(await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(bot.accessToken)), 401, "UNAUTHENTICATED");
    expectEnvelope(await t.call("POST", "/v1/auth/token", { refresh_token: bot.refreshToken }, anonymous), 401, "UNAUTHENTICATED");
    const listed = await t.call("GET", `/v1/spaces/${space}/tokens?showDeleted=true`);
    expect(listed.body.tokens[0].meta.deleteTime).toBeDefined();
    expect((await t.call("GET", `/v1/spaces/${space}/tokens`)).body.tokens).toEqual([]);
  });

  it("deleting an account revokes its tokens and unbinds its roles", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, "temp", ["reviewer"]);
    expect((await t.call("DELETE", `/v1/spaces/${space}/serviceAccounts/${bot.id}`)).status).toBe(200);
    expectEnvelope(await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(bot.accessToken)), 401, "UNAUTHENTICATED");
    expectEnvelope(await t.call("POST", "/v1/auth/token", { refresh_token: bot.refreshToken }, anonymous), 401, "UNAUTHENTICATED");
    expect((await t.call("POST", `/v1/spaces/${space}:getPolicy`, {})).body.bindings).toEqual([]);
    expect((await t.call("GET", `/v1/spaces/${space}/serviceAccounts/${bot.id}`)).body.meta.deleteTime).toBeDefined();
    expect((await t.call("GET", `/v1/spaces/${space}/serviceAccounts`)).body.serviceAccounts).toEqual([]);
    expectEnvelope(await t.call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: bot.id }), 404, "NOT_FOUND");
    // The name is free again.
    expect((await t.call("POST", `/v1/spaces/${space}/serviceAccounts`, { serviceAccount: { name: "temp" } })).status).toBe(201);
  });

  it("changes an account's roles and labels, but not its name or email", async () => {
    const space = await createSpace(t);
    const bot = await serviceAccount(t, space, "relabel", ["member"]);
    const patched = await t.call("PATCH", `/v1/spaces/${space}/serviceAccounts/${bot.id}`, {
      serviceAccount: { displayName: "Relabelled", labels: { team: "sre" }, roles: ["reviewer", "member"] },
    });
    expect(patched.body).toMatchObject({ displayName: "Relabelled", labels: { team: "sre" } });
    expect([...patched.body.roles].sort()).toEqual(["member", "reviewer"]);
    expectEnvelope(
      await t.call("PATCH", `/v1/spaces/${space}/serviceAccounts/${bot.id}`, { serviceAccount: { email: "x@example.com" } }),
      400,
      "INVALID_ARGUMENT",
    );
    expectEnvelope(
      await t.call("PATCH", `/v1/spaces/${space}/serviceAccounts/${bot.id}`, { serviceAccount: { name: "other" } }),
      400,
      "INVALID_ARGUMENT",
    );
  });
});

describe("user tokens", () => {
  it("mints a short-lived token whose sub is the person's email, and a petition defaults to them", async () => {
    const space = await createSpace(t);
    const token = await userToken(t, space, "Eve@Example.com", ["member"], "2h");
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ sub: "eve@example.com", space, kind: "user" });
    expect(claims.exp! - claims.iat!).toBe(7200);
    const created = await t.call(
      "POST",
      `/v1/spaces/${space}/petitions`,
      { petition: { resources: [{ kind: "action", id: "x" }] } },
      bearer(token),
    );
    expect(created.body.petitioners).toEqual([{ kind: "user", email: "eve@example.com", labels: {} }]);
  });

  it.each([["25h"], ["0s"], ["-1h"], ["soon"]])("refuses the lifetime %j", async (ttl) => {
    const space = await createSpace(t);
    const reply = await t.call("POST", `/v1/spaces/${space}/userTokens`, { email: "a@example.com", ttl });
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe("ttl");
  });
});

describe("signing keys", () => {
  it("publishes EC public keys, and a rotation keeps tokens signed before it valid", async () => {
    const space = await createSpace(t);
    const before = await userToken(t, space, "keys@example.com", ["member"]);
    const jwks = await t.call("GET", "/v1/auth/keys", undefined, anonymous);
    expect(jwks.status).toBe(200);
    for (const key of jwks.body.keys) {
      expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(Object.keys(key)).not.toContain("d");
    }
    const rotated = await t.call("POST", "/v1/auth/keys:rotate");
    expect(rotated.body.keys.length).toBe(jwks.body.keys.length + 1);
    const after = (await t.call("POST", `/v1/spaces/${space}/userTokens`, { email: "keys@example.com" })).body.accessToken;
    expect(decodeProtectedHeader(after).kid).not.toBe(decodeProtectedHeader(before).kid);
    expect((await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(before))).status).toBe(200);
    expect((await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(after))).status).toBe(200);
  });
});
