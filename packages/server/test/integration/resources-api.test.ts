import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPetition, SPACE, startTestServer, type TestServer } from "./harness.js";
import { BLOCK, nameOf, names, RES, resourceCalls, select, uniq, type Res } from "./resource-helpers.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const DEACTIVATED = "indent.com/resource/is_deactivated";
const { create, list } = resourceCalls(() => t);

describe("creating resources", () => {
  it("mints a name, exposes it as the indent.com/block label, and reads back the same", async () => {
    const id = uniq("role");
    const input = {
      kind: "aws.v1.Role",
      id,
      displayName: "Prod admin",
      email: "owners@example.com",
      altIds: ["arn:aws:iam::1:role/x"],
      labels: { team: "sre" },
    };
    const reply = await t.call("POST", RES, { resource: input });
    expect(reply.status).toBe(201);
    const name = reply.body.labels[BLOCK];
    expect(name).toMatch(/^res_[0-9a-z]{26}$/);
    expect(reply.body).toEqual({ ...input, labels: { team: "sre", [BLOCK]: name } });
    const got = await t.call("GET", `${RES}/${name}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(reply.body);
  });

  it("takes the name from an explicit indent.com/block label", async () => {
    const name = uniq("prod-db");
    const created = await create({ kind: "db.v1.Database", id: uniq("db"), labels: { [BLOCK]: name } });
    expect(nameOf(created)).toBe(name);
    expect((await t.call("GET", `${RES}/${name}`)).body).toEqual(created);
  });

  it("refuses a second resource of the same kind and id (409), whatever the kind's case", async () => {
    const id = uniq("group");
    const first = await create({ kind: "okta.v1.Group", id });
    for (const kind of ["okta.v1.Group", "OKTA.v1.group"]) {
      const again = await t.call("POST", RES, { resource: { kind, id, displayName: "copy" } });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe("CONFLICT");
      expect(again.body.error.message).toContain(nameOf(first));
    }
    expect((await t.call("GET", `${RES}/${nameOf(first)}`)).body.displayName).toBeUndefined();
  });

  it("refuses a name another resource already has (409)", async () => {
    const name = uniq("taken");
    await create({ kind: "okta.v1.Group", id: uniq("a"), labels: { [BLOCK]: name } });
    const other = await t.call("POST", RES, { resource: { kind: "okta.v1.Group", id: uniq("b"), labels: { [BLOCK]: name } } });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe("CONFLICT");
    expect(other.body.error.message).toContain(name);
  });

  it.each([
    ["without an id (email only)", { kind: "okta.v1.Group", email: "g@example.com" }, "resource.id"],
    ["without an id or email", { kind: "okta.v1.Group" }, "resource"],
    ["without a kind", { id: "x" }, "resource.kind"],
    [
      "with a name that is not a name",
      { kind: "okta.v1.Group", id: "x", labels: { [BLOCK]: "has spaces/slash" } },
      `resource.labels["${BLOCK}"]`,
    ],
  ])("refuses a resource %s (400 with the field)", async (_name, resource, field) => {
    const reply = await t.call("POST", RES, { resource });
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe(field);
  });
});

describe("reading, replacing and deleting", () => {
  it("404s an unknown name, naming it", async () => {
    const reply = await t.call("GET", `${RES}/res_nothere`);
    expect(reply.status).toBe(404);
    expect(reply.body.error.code).toBe("NOT_FOUND");
    expect(reply.body.error.message).toContain("res_nothere");
  });

  it("replaces every field on PUT, keeping the name", async () => {
    const kind = uniq("kind");
    const created = await create({ kind, id: "one", displayName: "Old", altIds: ["x"], labels: { old: "1" } });
    const name = nameOf(created);
    const reply = await t.call("PUT", `${RES}/${name}`, { resource: { kind, id: "one", displayName: "New", labels: { fresh: "2" } } });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({ kind, id: "one", displayName: "New", labels: { fresh: "2", [BLOCK]: name } });
    expect((await t.call("GET", `${RES}/${name}`)).body).toEqual(reply.body);
    // Naming itself in the label is fine.
    const same = await t.call("PUT", `${RES}/${name}`, { resource: { kind, id: "one", labels: { [BLOCK]: name } } });
    expect(same.status).toBe(200);
  });

  it("moves a resource to a free kind and id, freeing the old one", async () => {
    const kind = uniq("kind");
    const created = await create({ kind, id: "before" });
    const moved = await t.call("PUT", `${RES}/${nameOf(created)}`, { resource: { kind, id: "after" } });
    expect(moved.status).toBe(200);
    expect(moved.body.id).toBe("after");
    expect((await t.call("POST", RES, { resource: { kind, id: "before" } })).status).toBe(201);
    expect((await t.call("POST", RES, { resource: { kind, id: "after" } })).status).toBe(409);
  });

  it("refuses a rename (400), a clash with another resource (409) and an unknown name (404), changing nothing", async () => {
    const kind = uniq("kind");
    const a = await create({ kind, id: "a", displayName: "A" });
    const b = await create({ kind, id: "b" });
    const renamed = await t.call("PUT", `${RES}/${nameOf(a)}`, { resource: { kind, id: "a", labels: { [BLOCK]: uniq("new-name") } } });
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.field).toBe(`resource.labels["${BLOCK}"]`);
    const clash = await t.call("PUT", `${RES}/${nameOf(a)}`, { resource: { kind, id: "b" } });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe("CONFLICT");
    expect(clash.body.error.message).toContain(nameOf(b));
    expect((await t.call("GET", `${RES}/${nameOf(a)}`)).body).toEqual(a);
    const missing = await t.call("PUT", `${RES}/res_nothere`, { resource: { kind, id: "z" } });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("NOT_FOUND");
    expect((await t.call("GET", `${RES}/res_nothere`)).status).toBe(404);
  });

  it("deletes: 200 {}, then 404 to read or delete again; unknown names 404", async () => {
    const created = await create({ kind: uniq("kind"), id: "x" });
    const deleted = await t.call("DELETE", `${RES}/${nameOf(created)}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({});
    expect((await t.call("GET", `${RES}/${nameOf(created)}`)).status).toBe(404);
    const again = await t.call("DELETE", `${RES}/${nameOf(created)}`);
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe("NOT_FOUND");
    expect((await t.call("DELETE", `${RES}/res_nothere`)).status).toBe(404);
  });
});

describe("listing", () => {
  it("pages through a label-selected list without gaps or repeats", async () => {
    const batch = uniq("page");
    const made: string[] = [];
    for (let i = 0; i < 7; i++) made.push(nameOf(await create({ kind: "okta.v1.Group", id: uniq("g"), labels: { batch } })));
    const seen: string[] = [];
    let token = "";
    let pages = 0;
    do {
      const reply = await list(`labelSelector=${encodeURIComponent(`batch=${batch}`)}&pageSize=3${token ? `&pageToken=${token}` : ""}`);
      expect(reply.status).toBe(200);
      expect(reply.body.resources.length).toBeLessThanOrEqual(3);
      seen.push(...names(reply));
      token = reply.body.nextPageToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...made].sort());
  });

  it("filters by label selector: =, !=, in, notin, exists, !key", async () => {
    const batch = uniq("sel");
    const labelled = async (labels: Record<string, string>) =>
      nameOf(await create({ kind: "okta.v1.Group", id: uniq("g"), labels: { batch, ...labels } }));
    const a = await labelled({ tier: "gold", region: "eu" });
    const b = await labelled({ tier: "silver" });
    const c = await labelled({ tier: "bronze", region: "us" });
    const d = await labelled({});
    const cases: Array<[string, string[]]> = [
      ["tier=gold", [a]],
      ["tier!=gold", [b, c, d]],
      ["tier in (gold,silver)", [a, b]],
      ["tier notin (gold,silver)", [c, d]],
      ["region", [a, c]],
      ["!region", [b, d]],
      ["region=eu,tier=gold", [a]],
      // The name travels as the indent.com/block label, so it can be selected like one.
      [`indent.com/block=${b}`, [b]],
      [`indent.com/block in (${a},${c})`, [a, c]],
      [`indent.com/block!=${a}`, [b, c, d]],
      ["indent.com/block", [a, b, c, d]],
      ["!indent.com/block", []],
    ];
    for (const [selector, expected] of cases) {
      const reply = await list(select(`batch=${batch},${selector}`));
      expect(reply.status, selector).toBe(200);
      expect([...names(reply)].sort(), selector).toEqual([...expected].sort());
    }
  });

  it("view=requestable leaves out people, bots and deactivated resources; view=people keeps only people", async () => {
    const batch = uniq("view");
    const make = async (kind: string, labels: Record<string, string> = {}) =>
      nameOf(await create({ kind, id: uniq("r"), labels: { batch, ...labels } }));
    const group = await make("okta.v1.Group");
    const active = await make("okta.v1.Group", { [DEACTIVATED]: "false" });
    const deactivated = await make("okta.v1.Group", { [DEACTIVATED]: "true" });
    const user = await make("user");
    const oktaUser = await make("okta.v1.User");
    const bot = await make("indent.v1.Bot");
    const goneUser = await make("user", { [DEACTIVATED]: "true" });

    const requestable = await list(`view=requestable&${select(`batch=${batch}`)}`);
    expect(requestable.status).toBe(200);
    expect([...names(requestable)].sort()).toEqual([group, active].sort());
    const people = await list(`view=people&${select(`batch=${batch}`)}`);
    expect([...names(people)].sort()).toEqual([user, oktaUser, bot, goneUser].sort());
    const all = await list(select(`batch=${batch}`));
    expect(all.body.resources).toHaveLength(7);
    expect(names(all)).toContain(deactivated);
  });

  it("refuses an unknown view and a page token from another query (400)", async () => {
    const bad = await list("view=everything");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("view");
    const batch = uniq("tok");
    for (let i = 0; i < 3; i++) await create({ kind: "okta.v1.Group", id: uniq("g"), labels: { batch } });
    const first = await list(`labelSelector=${encodeURIComponent(`batch=${batch}`)}&pageSize=1`);
    expect(first.body.nextPageToken).not.toBe("");
    const token = first.body.nextPageToken;
    for (const other of [
      `labelSelector=${encodeURIComponent(`batch!=${batch}`)}`,
      `labelSelector=${encodeURIComponent(`batch=${batch}`)}&view=people`,
    ]) {
      const reply = await list(`${other}&pageSize=1&pageToken=${token}`);
      expect(reply.status, other).toBe(400);
      expect(reply.body.error.field).toBe("pageToken");
    }
    expect((await list("pageToken=garbage")).status).toBe(400);
  });
});

describe("snake_case input", () => {
  it("accepts snake_case fields and answers in camelCase, leaving label keys alone", async () => {
    const id = uniq("snake");
    const reply = await t.call("POST", RES, {
      resource: { kind: "okta.v1.Group", id, display_name: "Snake", alt_ids: ["s1"], labels: { snake_key: "v" } },
    });
    expect(reply.status).toBe(201);
    expect(reply.body.displayName).toBe("Snake");
    expect(reply.body.altIds).toEqual(["s1"]);
    expect(reply.body.labels.snake_key).toBe("v");
    expect(reply.body).not.toHaveProperty("display_name");
    expect(reply.body).not.toHaveProperty("alt_ids");
    const listed = await list(`label_selector=${encodeURIComponent("snake_key=v")}&page_size=100`);
    expect(listed.status).toBe(200);
    expect(listed.body.resources.some((r: Res) => r.id === id)).toBe(true);
    const bulk = await t.call("PUT", `${RES}:bulkUpdate`, { resources: [{ kind: "okta.v1.Group", id, display_name: "Renamed" }] });
    expect(bulk.status).toBe(200);
    expect(bulk.body.resources[0].displayName).toBe("Renamed");
  });
});

describe("petitions and the catalog", () => {
  it("a petition naming a catalog resource shows the catalog's name and labels, not the requester's", async () => {
    const id = uniq("role");
    const decoy = await create({ kind: "aws.v1.Role", id: uniq("decoy") });
    const entry = await create({ kind: "aws.v1.Role", id, displayName: "Production admin", labels: { owner: "sre", sensitivity: "high" } });
    const p = await createPetition(t, {
      resources: [
        // The requester's labels, including a block label pointing at another resource, are not kept beside the
        // catalog's: integrations read labels such as a role's ARN, so a requester must not add any.
        {
          kind: "aws.v1.Role",
          id,
          displayName: "harmless thing",
          labels: { sensitivity: "low", "aws/arn": "arn:aws:iam::1:role/admin", [BLOCK]: nameOf(decoy) },
        },
        { kind: "aws.v1.Role", id: uniq("not-in-catalog"), displayName: "As written" },
      ],
    });
    const [catalogued, other] = p.resources;
    expect(catalogued.displayName).toBe("Production admin");
    expect(catalogued.labels).toEqual(entry.labels);
    expect(catalogued.labels[BLOCK]).toBe(nameOf(entry));
    expect(other.displayName).toBe("As written");
    expect(other.labels).toEqual({});
    const read = await t.call("GET", `${SPACE}/petitions/${p.name}`);
    expect(read.body.resources[0].displayName).toBe("Production admin");
    expect(read.body.state.eventHistory[0].resources[0].labels.sensitivity).toBe("high");
  });
});
