import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { startTestServer, type Reply, type TestServer } from "./harness.js";
import { bearer, createSpace, serviceAccount, userToken } from "./identity-fixtures.js";
import {
  CATALOG,
  OBJECT_FIELDS,
  requestFor,
  seedSpace,
  snapshotSpace,
  uniqueTag,
  type CatalogRoute,
  type Fixture,
} from "./route-catalog.js";

/**
 * Tenants are spaces. A principal of space A, whatever its roles there, must learn nothing
 * about space B: every route on B answers as it does for a space that does not exist, every
 * name of B's objects used in A answers as a name that does not exist, and B is untouched.
 */

let t: TestServer;
let a: Fixture;
let b: Fixture;
let bBefore: Record<string, unknown>;
const tokens: Record<string, string> = {};
const PRINCIPALS = ["an admin user", "an admin service account", "a member user"] as const;

/** A space name that was never created. */
const NO_SUCH_SPACE = "no-such-space-xyz";
/** Routes only the server's admin token may call: refused before the space is looked up, wherever it is. */
const SERVER_ADMIN_ONLY = new Set(["DELETE /v1/spaces/{space}"]);

beforeAll(async () => {
  t = await startTestServer();
  a = await seedSpace(t, await createSpace(t));
  b = await seedSpace(t, await createSpace(t));
  bBefore = await snapshotSpace(t, b.space);
  tokens["an admin user"] = await userToken(t, a.space, `admin-${uniqueTag()}@example.com`, ["admin"]);
  tokens["an admin service account"] = (await serviceAccount(t, a.space, `admin-bot-${uniqueTag()}`, ["admin"])).accessToken;
  tokens["a member user"] = await userToken(t, a.space, `member-${uniqueTag()}@example.com`, ["member"]);
});
afterAll(async () => {
  await t.close();
});

async function callAs(principal: string, entry: CatalogRoute, fixture: Fixture): Promise<Reply> {
  const { method, path, body } = requestFor(entry, fixture);
  return t.call(method, path, body, bearer(tokens[principal]!));
}

/** An error's code and message with `from`'s values written as `to`'s; a success's body the same way. */
function normalized(reply: Reply, from: Record<string, string>, to: Record<string, string>): unknown {
  let text = JSON.stringify(reply.status >= 400 ? { code: reply.body.error.code, message: reply.body.error.message } : reply.body);
  for (const [key, value] of Object.entries(from)) text = text.split(value).join(to[key]!);
  return { status: reply.status, answer: JSON.parse(text) };
}

const inSpace = CATALOG.filter((entry) => entry.inSpace);

describe.each(PRINCIPALS)("%s of space A", (principal) => {
  it.each(inSpace.map((entry) => [entry.route, entry] as const))(
    "%s on space B answers as on a space that does not exist",
    async (_route, entry) => {
      const foreign = await callAs(principal, entry, b);
      const missing = await callAs(principal, entry, { ...b, space: NO_SUCH_SPACE });
      if (SERVER_ADMIN_ONLY.has(entry.route)) {
        expectEnvelope(foreign, 403, "FORBIDDEN");
      } else {
        expectEnvelope(foreign, 404, "NOT_FOUND");
        expect(foreign.body.error.message).toContain(b.space);
      }
      expect(normalized(foreign, { space: b.space }, { space: NO_SUCH_SPACE })).toEqual(normalized(missing, {}, {}));
    },
  );

  // Routes that name objects of the space, in the path or the body, called in A with B's names.
  // (A policy version is a number each space counts for itself, not the name of an object.)
  const naming = inSpace.filter((entry) => entry.bodyNamesObjects || /\{(?!space\}|version\})/.test(entry.template));

  it.each(naming.map((entry) => [entry.route, entry] as const))(
    "%s in space A naming B's objects answers as for names that do not exist",
    async (_route, entry) => {
      const bNames: Fixture = { ...b, space: a.space };
      const made: Fixture = {
        ...bNames,
        petition: "pet_00000000000000000000000000",
        openPetition: "pet_00000000000000000000000001",
        claim: "evt_00000000000000000000000000",
        grant: "grt_00000000000000000000000000",
        resource: "res_00000000000000000000000000",
        person: "res_00000000000000000000000001",
        group: "group-that-never-was",
        serviceAccountId: "9999999999999999999",
        tokenName: "tok_00000000000000000000000000",
        webhook: "webhook-that-never-was",
        webhookPolicy: "webhook-policy-that-never-was",
        onCallProvider: "provider-that-never-was",
      };
      const from = Object.fromEntries(OBJECT_FIELDS.map((key) => [key, b[key]]));
      const to = Object.fromEntries(OBJECT_FIELDS.map((key) => [key, made[key]]));
      const foreign = await callAs(principal, entry, bNames);
      const missing = await callAs(principal, entry, made);
      expect(normalized(foreign, from, to)).toEqual(normalized(missing, {}, {}));
      if (principal !== "a member user" && !entry.bodyNamesObjects) expectEnvelope(foreign, 404, "NOT_FOUND");
    },
  );

  it("GET /v1/spaces lists space A alone; creating spaces and rotating keys is refused", async () => {
    const auth = bearer(tokens[principal]!);
    const listed = await t.call("GET", "/v1/spaces?pageSize=100", undefined, auth);
    expect(listed.status).toBe(200);
    expect(listed.body.spaces.map((s: { name: string }) => s.name)).toEqual([a.space]);
    expect(listed.body.nextPageToken).toBe("");
    expectEnvelope(await t.call("POST", "/v1/spaces", { space: { name: `intruder-${uniqueTag()}` } }, auth), 403, "FORBIDDEN");
    expectEnvelope(await t.call("POST", "/v1/auth/keys:rotate", undefined, auth), 403, "FORBIDDEN");
  });
});

it("space B is exactly as it was, and space A still stands", async () => {
  expect(await snapshotSpace(t, b.space)).toEqual(bBefore);
  const spaces = (await t.call("GET", "/v1/spaces?pageSize=100")).body.spaces.map((s: { name: string }) => s.name);
  expect(spaces).toContain(a.space);
  expect(spaces).not.toContain(NO_SUCH_SPACE);
  expect(spaces.filter((name: string) => name.startsWith("intruder-"))).toEqual([]);
});
