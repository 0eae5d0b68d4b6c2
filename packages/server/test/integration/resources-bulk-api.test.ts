import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { BLOCK, nameOf, names, RES, resourceCalls, select, uniq, type Res } from "./resource-helpers.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const { create, list } = resourceCalls(() => t);

describe("resources:bulkUpdate", () => {
  it.each(["PUT", "POST"])("%s creates new resources and updates existing ones by kind and id, in order", async (method) => {
    const kind = uniq("bulk");
    const existing = await create({ kind, id: "old", displayName: "Before", labels: { batch: kind, v: "1" } });
    const reply = await t.call(method, `${RES}:bulkUpdate`, {
      resources: [
        { kind, id: "new-1", displayName: "First", labels: { batch: kind } },
        { kind, id: "old", displayName: "After", labels: { batch: kind, v: "2" } },
        { kind, id: "new-2", labels: { batch: kind, [BLOCK]: uniq("chosen") } },
      ],
    });
    expect(reply.status).toBe(200);
    const out: Res[] = reply.body.resources;
    expect(out.map((r) => [r.id, r.displayName])).toEqual([
      ["new-1", "First"],
      ["old", "After"],
      ["new-2", undefined],
    ]);
    expect(nameOf(out[1]!)).toBe(nameOf(existing));
    expect(out[1]!.labels).toEqual({ batch: kind, v: "2", [BLOCK]: nameOf(existing) });
    expect(nameOf(out[0]!)).toMatch(/^res_/);
    for (const r of out) expect((await t.call("GET", `${RES}/${nameOf(r)}`)).body).toEqual(r);
    const all = await list(select(`batch=${kind}`));
    expect([...names(all)].sort()).toEqual(out.map(nameOf).sort());
  });

  it("refuses more than 1000 resources (400)", async () => {
    const kind = uniq("many");
    const resources = Array.from({ length: 1001 }, (_, i) => ({ kind, id: `r${i}` }));
    const reply = await t.call("PUT", `${RES}:bulkUpdate`, { resources });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe("resources");
    expect(reply.body.error.message).toMatch(/1000/);
    const saved = await t.call("POST", RES, { resource: { kind, id: "r0" } });
    expect(saved.status).toBe(201);
  });

  it("saves nothing when one entry is invalid (400)", async () => {
    const kind = uniq("atomic");
    const name = uniq("atomic-name");
    const reply = await t.call("POST", `${RES}:bulkUpdate`, {
      resources: [
        { kind, id: "fine", labels: { [BLOCK]: name } },
        { kind, displayName: "no id" },
      ],
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error.field).toBe("resources[1]");
    expect((await t.call("GET", `${RES}/${name}`)).status).toBe(404);
  });

  it("saves nothing when an entry fails part-way through (409), not even the earlier entries", async () => {
    const kind = uniq("atomic");
    const taken = await create({ kind, id: "taken", displayName: "Unchanged" });
    const first = uniq("first");
    const reply = await t.call("PUT", `${RES}:bulkUpdate`, {
      resources: [
        { kind, id: "fresh", labels: { [BLOCK]: first } },
        { kind, id: "taken", displayName: "Changed" },
        { kind, id: "other", labels: { [BLOCK]: nameOf(taken) } },
      ],
    });
    expect(reply.status).toBe(409);
    expect(reply.body.error.code).toBe("CONFLICT");
    expect((await t.call("GET", `${RES}/${first}`)).status).toBe(404);
    expect((await t.call("GET", `${RES}/${nameOf(taken)}`)).body).toEqual(taken);
  });
});

describe("resources:bulkDelete", () => {
  it("deletes the named resources and skips unknown names", async () => {
    const kind = uniq("del");
    const a = await create({ kind, id: "a" });
    const b = await create({ kind, id: "b" });
    const keep = await create({ kind, id: "keep" });
    const reply = await t.call("POST", `${RES}:bulkDelete`, { resourceNames: [nameOf(a), "res_nothere", nameOf(b), nameOf(a)] });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({});
    expect((await t.call("GET", `${RES}/${nameOf(a)}`)).status).toBe(404);
    expect((await t.call("GET", `${RES}/${nameOf(b)}`)).status).toBe(404);
    expect((await t.call("GET", `${RES}/${nameOf(keep)}`)).status).toBe(200);
    const none = await t.call("POST", `${RES}:bulkDelete`, { resource_names: ["res_nothere"] });
    expect(none.status).toBe(200);
    expect(none.body).toEqual({});
  });
});
