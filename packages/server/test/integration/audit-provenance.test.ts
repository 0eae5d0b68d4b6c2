import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/domain/clock.js";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, createPetition, startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace } from "./identity-fixtures.js";

/**
 * Events applications write through an input say so wherever they are read: which input,
 * when the server received them, and that an input (not the server) wrote them. The input
 * cannot set that, cannot pass for the server, and a search for the server's own events
 * leaves its events out.
 */

const received = Date.parse("2026-06-01T12:00:00Z");
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ clock: { ...systemClock, now: () => received } });
});
afterAll(async () => {
  await t.close();
});

interface Event {
  event: string;
  timestamp: string;
  actor: { kind: string; email?: string };
  provenance: { writer: string; input?: string; receiveTime: string };
  meta: { labels: Record<string, string> };
}

/** A space with an input `payments/prod` and its token. */
async function spaceWithInput(): Promise<{ space: string; token: string; url: string }> {
  const space = await createSpace(t);
  const made = await t.call("POST", `/v1/spaces/${space}/auditInputs`, { input: { provider: "payments", name: "prod" } });
  expect(made.status).toBe(201);
  return { space, token: made.body.token, url: `/v1/inputs/${space}/payments/prod` };
}

/** An approval written through an input, in someone else's name, dated long before it was sent. */
const forgedApproval = {
  event: "access/approve",
  actor: { kind: "user", email: "cfo@example.com" },
  resources: [
    { kind: "user", email: "mallory@example.com" },
    { kind: "aws.v1.Role", id: "prod-admin" },
  ],
  reason: "approved",
  timestamp: "2025-01-01T09:00:00Z",
};

describe("events written through an input carry their provenance", () => {
  it("an input's back-dated access/approve shows which input wrote it and when it arrived, in search and both exports", async () => {
    const { space, token, url } = await spaceWithInput();
    expect((await t.call("POST", `${url}:write`, forgedApproval, bearer(token))).status).toBe(200);
    const petition = await createPetition(t);
    expect((await t.call("POST", `/v1/spaces/default/petitions/${petition.name}/claims`, approveClaim())).status).toBe(200);

    const [found] = (await t.call("GET", `/v1/spaces/${space}/audit?event=access/approve`)).body.events as Event[];
    expect(found!.timestamp).toBe("2025-01-01T09:00:00.000Z");
    expect(found!.provenance).toEqual({ writer: "input", input: "payments/prod", receiveTime: "2026-06-01T12:00:00.000Z" });
    const real = (await t.call("GET", `/v1/spaces/default/audit?event=access/approve&pageSize=1`)).body.events[0] as Event;
    expect(real.provenance).toEqual({ writer: "server", receiveTime: "2026-06-01T12:00:00.000Z" });

    const jsonl = await t.call("GET", `/v1/spaces/${space}/audit:export?event=access/approve`);
    const line = JSON.parse(String(typeof jsonl.body === "string" ? jsonl.body : JSON.stringify(jsonl.body)).trim());
    expect(line.provenance).toEqual(found!.provenance);

    const csv = String((await t.call("GET", `/v1/spaces/${space}/audit:export?format=csv&event=access/approve`)).body)
      .trim()
      .split("\n");
    const header = csv[0]!.split(",");
    const row = csv[1]!.split(",");
    const column = (name: string) => row[header.indexOf(name)];
    expect(column("writer")).toBe("input");
    expect(column("input")).toBe("payments/prod");
    expect(column("receive_time")).toBe("2026-06-01T12:00:00.000Z");
    expect(column("timestamp")).toBe("2025-01-01T09:00:00.000Z");
  });

  it("a search for the server's own events leaves out what inputs wrote", async () => {
    const { space, token, url } = await spaceWithInput();
    expect((await t.call("POST", `${url}:write`, forgedApproval, bearer(token))).status).toBe(200);
    const own = await t.call("GET", `/v1/spaces/${space}/audit?writer=server&pageSize=100`);
    expect(own.body.events.map((e: Event) => e.event)).toEqual(["auditInput/created", "space/created"]);
    const fromInputs = await t.call("GET", `/v1/spaces/${space}/audit?writer=input`);
    expect(fromInputs.body.events.map((e: Event) => e.event)).toEqual(["access/approve"]);
    const csv = String((await t.call("GET", `/v1/spaces/${space}/audit:export?format=csv&writer=server`)).body);
    expect(csv).not.toContain("access/approve");
    expectEnvelope(await t.call("GET", `/v1/spaces/${space}/audit?writer=anyone`), 400, "INVALID_ARGUMENT");
  });

  it("an input cannot set its provenance, act as the server, or write the server's labels", async () => {
    const { space, token, url } = await spaceWithInput();
    const attempts: Array<[string, Record<string, unknown>]> = [
      ["its own provenance", { ...forgedApproval, provenance: { writer: "server", receiveTime: "2025-01-01T09:00:00Z" } }],
      ["the system actor", { ...forgedApproval, actor: { kind: "greenlight.v1.System", id: "expire-grants" } }],
      ["the bootstrap admin", { ...forgedApproval, actor: { kind: "greenlight.v1.Admin", id: "bootstrap-admin" } }],
      ["another input's label", { ...forgedApproval, meta: { labels: { "greenlight.dev/input": "greenlight/server" } } }],
      ["a request id", { ...forgedApproval, meta: { labels: { "greenlight.dev/request-id": "req_0" } } }],
      ["a token on the actor", { ...forgedApproval, actor: { ...forgedApproval.actor, labels: { "greenlight.dev/token": "tok_0" } } }],
      [
        "a server label on a resource",
        { ...forgedApproval, resources: [{ kind: "aws.v1.Role", id: "x", labels: { "greenlight.dev/agent": "true" } }] },
      ],
    ];
    for (const [what, event] of attempts) {
      const refused = await t.call("POST", `${url}:write`, event, bearer(token));
      expect(refused.status, what).toBe(400);
      expect(refused.body.error.code, what).toBe("INVALID_ARGUMENT");
    }
    const batch = await t.call("POST", `${url}:writeBatch`, { events: [forgedApproval, attempts[1]![1]] }, bearer(token));
    expectEnvelope(batch, 400, "INVALID_ARGUMENT");
    expect(batch.body.error.message).toContain("events[1].actor.kind");
    expect((await t.call("GET", `/v1/spaces/${space}/audit?writer=input`)).body.events).toEqual([]);
    // Labels of the application's own are kept.
    const own = { ...forgedApproval, meta: { labels: { "payments.example.com/ticket": "T-1" } } };
    expect((await t.call("POST", `${url}:write`, own, bearer(token))).status).toBe(200);
    const [kept] = (await t.call("GET", `/v1/spaces/${space}/audit?writer=input`)).body.events as Event[];
    expect(kept!.meta.labels).toMatchObject({ "payments.example.com/ticket": "T-1", "greenlight.dev/input": "payments/prod" });
  });
});
