import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { BLOCK, RES, nameOf, resourceCalls, uniq, type Res } from "./resource-helpers.js";

/**
 * `search` on the catalog: text found in a resource's id, display name, email or name, in any
 * case, narrowing the view and the label selector, a page at a time; the wildcards of LIKE in
 * what a person types are matched as themselves.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const { create } = resourceCalls(() => t);

/** Every resource a search finds, page by page (`pageSize` each), and how many pages it took. */
async function searchAll(query: Record<string, string>, pageSize = 25): Promise<{ found: Res[]; pages: number }> {
  const found: Res[] = [];
  let token = "";
  let pages = 0;
  do {
    const params = new URLSearchParams({ ...query, pageSize: String(pageSize), ...(token ? { pageToken: token } : {}) });
    const reply = await t.call("GET", `${RES}?${params}`);
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    found.push(...(reply.body.resources as Res[]));
    token = reply.body.nextPageToken as string;
    pages++;
  } while (token);
  return { found, pages };
}

async function bulk(resources: Record<string, unknown>[]): Promise<Res[]> {
  const reply = await t.call("POST", `${RES}:bulkUpdate`, { resources });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.resources as Res[];
}

describe("searching the catalog", () => {
  it("finds every match past the first page, in any case, narrowed by a label selector", async () => {
    const tag = uniq("warehouse");
    const team = uniq("team");
    await bulk(
      Array.from({ length: 60 }, (_, i) => ({
        kind: "snowflake.v1.Warehouse",
        id: `${tag}-${String(i).padStart(2, "0")}`,
        displayName: `Warehouse ${i}`,
        labels: { team: i % 2 === 0 ? team : "other" },
      })),
    );
    // 150 others the search must step over, named so they sort among the matches.
    await bulk(Array.from({ length: 150 }, (_, i) => ({ kind: "snowflake.v1.Warehouse", id: `${tag.slice(0, 4)}x-${i}` })));

    const all = await searchAll({ search: tag.toUpperCase() });
    expect(all.found).toHaveLength(60);
    expect(all.pages).toBe(3);
    expect(new Set(all.found.map((r) => r.id)).size).toBe(60);

    const even = await searchAll({ search: tag, labelSelector: `team=${team}` });
    expect(even.found).toHaveLength(30);
    expect(even.found.every((r) => r.labels["team"] === team)).toBe(true);
  });

  it("looks in the id, the display name, the email and the name, and leaves people out of the requestable view", async () => {
    const word = uniq("Needle").toLowerCase();
    const byId = await create({ kind: "aws.v1.Role", id: `role-${word}` });
    const byDisplayName = await create({ kind: "aws.v1.Role", id: uniq("role"), displayName: `The ${word.toUpperCase()} role` });
    const byEmail = await create({ kind: "okta.v1.Group", id: uniq("group"), email: `${word}@example.com` });
    const byName = await create({ kind: "aws.v1.Role", id: uniq("role"), labels: { [BLOCK]: `res-${word}` } });
    const person = await create({ kind: "okta.v1.User", id: uniq("user"), email: `${word}.person@example.com` });
    await create({ kind: "aws.v1.Role", id: uniq("role"), displayName: "nothing to see", labels: { note: word } });

    const found = (await searchAll({ search: word })).found.map(nameOf).sort();
    expect(found).toEqual([byId, byDisplayName, byEmail, byName, person].map(nameOf).sort());
    const requestable = (await searchAll({ search: word, view: "requestable" })).found.map(nameOf);
    expect(requestable).not.toContain(nameOf(person));
    expect(requestable).toHaveLength(4);
    expect((await searchAll({ search: word, view: "people" })).found.map(nameOf)).toEqual([nameOf(person)]);
  });

  it("narrows to one kind, exactly, alone or with a search, and binds the page token to it", async () => {
    const tag = uniq("kinded");
    await bulk([
      ...Array.from({ length: 30 }, (_, i) => ({ kind: "snowflake.v1.Table", id: `${tag}-t${i}` })),
      ...Array.from({ length: 30 }, (_, i) => ({ kind: "snowflake.v1.TableX", id: `${tag}-x${i}` })),
    ]);
    const tables = await searchAll({ kind: "snowflake.v1.Table", search: tag }, 20);
    expect(tables.found).toHaveLength(30);
    expect(tables.found.every((r) => r.kind === "snowflake.v1.Table")).toBe(true);
    // A prefix is not a kind.
    expect((await searchAll({ kind: "snowflake.v1.Tab", search: tag })).found).toEqual([]);

    const first = await t.call("GET", `${RES}?${new URLSearchParams({ kind: "snowflake.v1.Table", search: tag, pageSize: "10" })}`);
    const other = await t.call(
      "GET",
      `${RES}?${new URLSearchParams({ kind: "snowflake.v1.TableX", search: tag, pageSize: "10", pageToken: first.body.nextPageToken })}`,
    );
    expect(other.status).toBe(400);
  });

  it("matches %, _ and \\ as themselves, not as LIKE's wildcards", async () => {
    const tag = uniq("wild");
    const percent = await create({ kind: "aws.v1.Role", id: `${tag}-100%` });
    const underscore = await create({ kind: "aws.v1.Role", id: `${tag}-a_b` });
    const backslash = await create({ kind: "aws.v1.Role", id: `${tag}-c\\d` });
    // What the wildcards would have matched.
    await create({ kind: "aws.v1.Role", id: `${tag}-100x` });
    await create({ kind: "aws.v1.Role", id: `${tag}-axb` });
    await create({ kind: "aws.v1.Role", id: `${tag}-cd` });

    const ids = async (search: string) => (await searchAll({ search })).found.map(nameOf);
    expect(await ids(`${tag}-100%`)).toEqual([nameOf(percent)]);
    expect(await ids(`${tag}-a_b`)).toEqual([nameOf(underscore)]);
    expect(await ids(`${tag}-c\\d`)).toEqual([nameOf(backslash)]);
    expect(await ids(`${tag}-c\\`)).toEqual([nameOf(backslash)]);
    expect(await ids("%%%%")).toEqual([]);
  });

  it("binds a page token to its search: another search cannot continue it", async () => {
    const tag = uniq("bound");
    await bulk(Array.from({ length: 3 }, (_, i) => ({ kind: "aws.v1.Role", id: `${tag}-${i}` })));
    const first = await t.call("GET", `${RES}?search=${tag}&pageSize=1`);
    expect(first.body.nextPageToken).not.toBe("");
    const other = await t.call("GET", `${RES}?search=${tag}-2&pageSize=1&pageToken=${encodeURIComponent(first.body.nextPageToken)}`);
    expect(other.status).toBe(400);
  });
});
