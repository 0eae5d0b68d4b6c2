import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, createPetition, SPACE, startTestServer, type TestServer } from "./harness.js";
import { createSpace } from "./identity-fixtures.js";

/**
 * Names that Object.prototype carries, sent where the server looks a caller's key up in a
 * table or a map: they mean nothing there, as any unknown name does.
 */
const PROTOTYPE_NAMES = ["constructor", "toString", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"];

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

describe("keys named like Object.prototype's members", () => {
  it("select nothing in label selectors on petitions, claims and resources, and their absence selects everything", async () => {
    const petition = await createPetition(t, { resources: [{ kind: "aws.v1.Role", id: "proto-keys", labels: { env: "prod" } }] });
    expect((await t.call("POST", `${SPACE}/resources:bulkUpdate`, { resources: [{ kind: "aws.v1.Role", id: "proto-keys" }] })).status).toBe(
      200,
    );
    const lists = [`${SPACE}/petitions`, `${SPACE}/petitions/${petition.name}/claims`, `${SPACE}/resources`];
    for (const list of lists) {
      for (const name of PROTOTYPE_NAMES) {
        for (const [selector, selectsAll] of [
          [name, false],
          [`${name}=x`, false],
          [`${name} in (x,y)`, false],
          [`!${name}`, true],
          [`${name}!=x`, true],
        ] as const) {
          const reply = await t.fetch("GET", `${list}?labelSelector=${encodeURIComponent(selector)}`);
          expect(reply.status, `${list} ${selector}: ${JSON.stringify(reply.body).slice(0, 200)}`).toBe(200);
          const items = reply.body.petitions ?? reply.body.claims ?? reply.body.resources;
          const everything = (await t.fetch("GET", list)).body;
          const all = everything.petitions ?? everything.claims ?? everything.resources;
          expect(items.length, `${list} ${selector}`).toBe(selectsAll ? all.length : 0);
        }
      }
    }
  });

  it("are not claim events: a claim with one is refused, and a granted petition stays granted", async () => {
    const petition = await createPetition(t);
    const claims = `${SPACE}/petitions/${petition.name}/claims`;
    expect((await t.call("POST", claims, approveClaim())).status).toBe(200);
    for (const event of PROTOTYPE_NAMES) {
      const reply = await t.call("POST", claims, { claim: { event, reason: "done" } });
      expectEnvelope(reply, 400, "INVALID_ARGUMENT");
      expect(reply.body.error.field).toBe("claim.event");
    }
    const now = await t.call("GET", `${SPACE}/petitions/${petition.name}`);
    expect(now.body.state.status.phase).toBe("granted");
    expect(now.body.state.eventHistory.map((e: { event: string }) => e.event)).not.toContain("access/revoke");
  });

  it("are not operators of a webhook policy's selector", async () => {
    const webhook = await t.call("POST", `${SPACE}/webhooks`, {
      webhook: { name: "proto-decider", url: "https://decider.example.com/hook", handlers: [{ type: "decision", resourceKinds: [] }] },
    });
    expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);
    for (const operator of PROTOTYPE_NAMES) {
      const reply = await t.call("POST", `${SPACE}/webhookPolicies`, {
        webhookPolicy: {
          meta: { name: `proto-${operator.toLowerCase().replace(/_/g, "")}` },
          base: { selector: { matchExpressions: [{ key: "env", operator, values: ["prod"] }] } },
          webhooks: [{ name: "proto-decider" }],
        },
      });
      expectEnvelope(reply, 400, "INVALID_ARGUMENT");
      expect(reply.body.error.field).toBe("webhookPolicy.base.selector.matchExpressions[0].operator");
    }
  });

  it("name no manager when a policy's managerLabel is one", async () => {
    const space = await createSpace(t);
    for (const managerLabel of PROTOTYPE_NAMES) {
      const policy = { rules: [{ name: "manager", require: [{ name: "manager", reviewers: { managerLabel, roles: ["admin"] } }] }] };
      expect((await t.call("PUT", `/v1/spaces/${space}/policy`, { policy })).status).toBe(200);
      const made = await t.call("POST", `/v1/spaces/${space}/petitions`, {
        petition: {
          reason: "x",
          petitioners: [{ kind: "user", email: `someone-${managerLabel}@example.com` }],
          resources: [{ kind: "jira.v1.Project", id: managerLabel }],
        },
      });
      expect(made.status, `${managerLabel}: ${JSON.stringify(made.body).slice(0, 200)}`).toBe(201);
      expect(made.body.state.review.steps[0].reviewers.users).toEqual([]);
    }
  });
});
