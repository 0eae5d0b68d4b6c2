import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { checkpointAuditChains, pruneAuditLogs } from "../../src/services/audit/audit-checkpoints.js";
import { jobContext } from "../../src/services/runtime/context.js";
import { expectEnvelope } from "./envelope.js";
import { createPetition, dropTestDatabase, SPACE, startTestServer, tempDataDir, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";
import { rmSync } from "node:fs";

/**
 * The audit log's retention: a space's admins choose how long events are kept, never less
 * than the floor the server's operator sets; every change and every removal is written to the
 * server's own chain, which space admins can neither read nor prune; and nothing else a space
 * admin can do removes an event.
 */

const DAY = 24 * 3_600_000;
let now = Date.parse("2026-03-01T00:00:00Z");
const clock: Clock = { ...systemClock, now: () => now };

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock });
});
afterAll(async () => {
  await t.close();
});

interface Event {
  seq: number;
  event: string;
  actor: { kind: string; email?: string };
  resources: Array<{ kind: string; id?: string; labels?: Record<string, string> }>;
  meta: { labels: Record<string, string> };
}

async function serverEvents(server: TestServer, query: string): Promise<Event[]> {
  const reply = await server.call("GET", `/v1/audit?${query}&pageSize=100`);
  expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
  return reply.body.events as Event[];
}

/** An input of `space` and a way to write events through it, each dated as the application says. */
async function inputOf(server: TestServer, space: string, name = "app") {
  const made = await server.call("POST", `/v1/spaces/${space}/auditInputs`, { input: { provider: name, name: "prod" } });
  expect(made.status).toBe(201);
  return async (events: Array<{ event: string; timestamp?: string }>) => {
    const reply = await server.call("POST", `/v1/inputs/${space}/${name}/prod:writeBatch`, { events }, bearer(made.body.token));
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
  };
}

/** Verifies the chain, once the checkpoints the job would have signed while the test's clock moved on are signed. */
async function verified(server: TestServer, space: string) {
  await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
  return (await server.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
}

const many = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ event: "app/action", timestamp: new Date(now).toISOString(), reason: `action ${i}` }));

describe("a space admin sets the retention within the operator's floor", () => {
  it("a space admin cannot shorten retention below the floor (90 days unless the operator says otherwise)", async () => {
    const space = await createSpace(t);
    const admin = bearer(await userToken(t, space, `admin-${space}@example.com`, ["admin"]));
    for (const retention of ["24h", "1h", "2159h"]) {
      const refused = await t.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention } }, admin);
      expectEnvelope(refused, 400, "INVALID_ARGUMENT");
      expect(refused.body.error.message).toContain("at least 2160h");
      expect(refused.body.error.message).toContain("GREENLIGHT_AUDIT_MIN_RETENTION");
    }
    expect((await t.call("GET", `/v1/spaces/${space}/audit/settings`, undefined, admin)).body).toEqual({ retention: null });
    const refusedEvents = await t.call("GET", `/v1/spaces/${space}/audit?event=audit/settings-updated`);
    expect(refusedEvents.body.events).toEqual([]);
    const atFloor = await t.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "2160h" } }, admin);
    expect(atFloor.body).toEqual({ retention: "2160h" });
  });

  it("writes every retention change to the server's chain, with who made it and the old and new values", async () => {
    const space = await createSpace(t);
    const email = `owner-${space}@example.com`;
    const admin = bearer(await userToken(t, space, email, ["admin"]));
    expect((await t.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "2400h" } }, admin)).status).toBe(200);
    expect((await t.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "8760h" } }, admin)).status).toBe(200);
    const recorded = await serverEvents(t, `event=audit/settings-updated&resource=${space}`);
    expect(
      recorded.map((e) => [e.meta.labels["greenlight.dev/audit/previous-retention"], e.meta.labels["greenlight.dev/audit/retention"]]),
    ).toEqual([
      ["2400h", "8760h"],
      ["forever", "2400h"],
    ]);
    for (const event of recorded) {
      expect(event.actor).toMatchObject({ kind: "user", email });
      expect(event.resources[0]).toMatchObject({ kind: "greenlight.v1.Space", id: space });
      expect(event.resources[0]!.labels?.["greenlight.dev/space-id"]).toMatch(/^spc_/);
    }
    // The space's own chain says so too, and its admins cannot reach the server's.
    const own = await t.call("GET", `/v1/spaces/${space}/audit?event=audit/settings-updated`, undefined, admin);
    expect(own.body.events.map((e: Event) => e.meta.labels["greenlight.dev/audit/previous-retention"])).toEqual(["2400h", "forever"]);
    expectEnvelope(await t.call("GET", "/v1/audit", undefined, admin), 403, "FORBIDDEN");
  });
});

describe("pruning keeps to the floor and leaves a record", () => {
  it("events are pruned by when the server received them, so a back-dated event cannot take the history before it", async () => {
    const space = await createSpace(t);
    expect((await t.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "2160h" } })).status).toBe(200);
    const write = await inputOf(t, space);
    await write(many(10));
    await write([{ event: "app/old-news", timestamp: "1971-01-01T00:00:00Z" }]);
    await write(many(2));
    const before = await verified(t, space);
    now += DAY;
    await pruneAuditLogs({ ctx: jobContext(t.server.services, "audit") });
    const after = await verified(t, space);
    expect(after).toMatchObject({ valid: true, fromSeq: 1 });
    expect(after.checkedEvents).toBe(before.checkedEvents);
  });

  it("a retention set under a lower floor prunes nothing younger than the floor in force, and each removal is recorded in the server's chain", async () => {
    const dataDir = tempDataDir();
    const first = await startTestServer({ dataDir, clock, env: { GREENLIGHT_AUDIT_MIN_RETENTION: "24h" } });
    let space: string;
    try {
      space = await createSpace(first);
      expect((await first.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "24h" } })).status).toBe(200);
      await (
        await inputOf(first, space)
      )(many(10));
    } finally {
      await first.close();
    }
    // The operator raises the floor to its default.
    const second = await startTestServer({ dataDir, clock });
    try {
      now += 2 * DAY;
      expect(await pruneAuditLogs({ ctx: jobContext(second.server.services, "audit") })).toBe(0);
      expect(await verified(second, space)).toMatchObject({ valid: true, fromSeq: 1 });
      now += 90 * DAY;
      // The server's own job may prune first; either way there is one removal, and its record.
      await pruneAuditLogs({ ctx: jobContext(second.server.services, "audit") });
      const records = await serverEvents(second, `event=audit/pruned&resource=${space}`);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ actor: { kind: "greenlight.v1.System" } });
      expect(records[0]!.meta.labels).toMatchObject({ "greenlight.dev/audit/retention": "2160h" });
      expect(Number(records[0]!.meta.labels["greenlight.dev/audit/removed"])).toBeGreaterThanOrEqual(10);
      expect(await verified(second, space)).toMatchObject({ valid: true });
    } finally {
      await second.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropTestDatabase(dataDir);
    }
  });
});

describe("nothing else a space admin does removes an event", () => {
  it("deleting petitions, resources and inputs leaves every event in the chain", async () => {
    const admin = bearer(await userToken(t, "default", `cleaner-${Date.now()}@example.com`, ["admin"]));
    const petition = await createPetition(t);
    const resource = await t.call("POST", `${SPACE}/resources`, { resource: { kind: "app.v1.Thing", id: `to-go-${Date.now()}` } }, admin);
    expect(resource.status).toBe(201);
    await (
      await inputOf(t, "default", `gone${Date.now()}`)
    )(many(3));
    const before = await verified(t, "default");
    expect((await t.call("DELETE", `${SPACE}/petitions/${petition.name}`, undefined, admin)).status).toBe(200);
    expect((await t.call("DELETE", `${SPACE}/resources/${resource.body.labels["indent.com/block"]}`, undefined, admin)).status).toBe(200);
    const inputs = (await t.call("GET", `${SPACE}/auditInputs`, undefined, admin)).body.inputs;
    for (const input of inputs)
      expect((await t.call("DELETE", `${SPACE}/auditInputs/${input.provider}/${input.name}`, undefined, admin)).status).toBe(200);
    const after = await verified(t, "default");
    expect(after).toMatchObject({ valid: true, fromSeq: before.fromSeq });
    expect(after.head.seq).toBeGreaterThan(before.head.seq);
    expect(after.checkedEvents).toBe(after.head.seq - after.fromSeq + 1);
  });
});
