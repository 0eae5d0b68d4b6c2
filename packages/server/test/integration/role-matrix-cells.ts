import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";
import { CATALOG, PRINCIPALS, requestFor, seedSpace, snapshotSpace, uniqueTag, type Fixture, type Principal } from "./route-catalog.js";

/**
 * Route × role: each cell runs in a fresh, freshly seeded space where one person holds that
 * role alone (or none), so no cell sees what another changed. What each role gets is in the
 * catalog. The routes are dealt into a few test files so that they run side by side.
 */

export interface Cell {
  space: string;
  email: string;
  auth: Record<string, string>;
  fixture: Fixture;
}

/** A fresh space, seeded, with a person holding `principal`'s role there (none for "none"). */
export async function cell(t: TestServer, principal: Principal): Promise<Cell> {
  const space = await createSpace(t);
  const email = `${principal}-${uniqueTag()}@example.com`;
  const token = await userToken(t, space, email, principal === "none" ? [] : [principal]);
  return { space, email, auth: bearer(token), fixture: await seedSpace(t, space) };
}

const CODES: Record<number, string> = { 400: "INVALID_ARGUMENT", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT" };

/**
 * Every `parts`-th route of the catalog from `part` on (1-based), on a server of its own: each
 * answers each role as the catalog says.
 */
export function describeRouteMatrix(part: number, parts: number): void {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(async () => {
    await t.close();
  });
  const routes = CATALOG.filter((_entry, index) => index % parts === part - 1);
  describe.each(routes.map((entry) => [entry.route, entry] as const))("%s", (_route, entry) => {
    it.each(PRINCIPALS.map((principal) => [principal, entry.expect[principal]] as const))("%s → %i", async (principal, status) => {
      const c = await cell(t, principal);
      const before = status >= 400 ? await snapshotSpace(t, c.space) : undefined;
      const { method, path, body } = requestFor(entry, c.fixture);
      const reply = await t.call(method, path, body, c.auth);
      if (status >= 400) {
        expectEnvelope(reply, status, CODES[status]!);
        expect(await snapshotSpace(t, c.space), "a refused request changed the space").toEqual(before);
      } else {
        expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(status);
      }
    });
  });
}
