import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { operationHash, operationRequest, ReceiptError, verifyReceipt, type PublicJwk } from "../../../sdk/src/index.js";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, serviceAccount, userToken } from "./identity-fixtures.js";

/**
 * Access is granted only for what was approved, to whom it was approved for: what a reviewer
 * or a policy decided on never changes afterwards, a petitioner is the person the catalog says
 * they are, and nobody approves their own access, however they are named.
 */

let t: TestServer;
afterAll(async () => {
  await t.close();
});
beforeAll(async () => {
  t = await startTestServer();
});

type Headers = Record<string, string>;

async function space(policyRules: unknown[] = []): Promise<{ base: string; name: string }> {
  const name = await createSpace(t);
  const base = `/v1/spaces/${name}`;
  if (policyRules.length > 0) {
    const saved = await t.call("PUT", `${base}/policy`, { policy: { rules: policyRules } });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  }
  return { base, name };
}

async function person(spaceName: string, email: string, role: string): Promise<Headers> {
  return bearer(await userToken(t, spaceName, email, [role]));
}

async function agent(spaceName: string, name: string, actsFor: string): Promise<Headers> {
  const created = await serviceAccount(t, spaceName, name, ["member"]);
  const labelled = await t.call("PATCH", `/v1/spaces/${spaceName}/serviceAccounts/${created.id}`, {
    serviceAccount: { labels: { "greenlight.dev/agent": "true", "greenlight.dev/acts-for": actsFor } },
  });
  expect(labelled.status, JSON.stringify(labelled.body)).toBe(200);
  return bearer(created.accessToken);
}

async function catalog(base: string, resources: unknown[]): Promise<void> {
  const reply = await t.call("POST", `${base}/resources:bulkUpdate`, { resources });
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
}

async function create(base: string, petition: Record<string, unknown>, headers: Headers) {
  return t.call("POST", `${base}/petitions`, { petition: { reason: "to fix the incident", ...petition } }, headers);
}

async function created(base: string, petition: Record<string, unknown>, headers: Headers) {
  const reply = await create(base, petition, headers);
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body;
}

const deploy = [{ kind: "action", id: "deploy" }];

describe("what was decided on is fixed once the petition exists", () => {
  it("an agent cannot rewrite the operation of a petition a policy granted, and its receipt binds the operation approved", async () => {
    const { base, name } = await space([
      { name: "safe-tools", match: { kinds: ["action"] }, autoApprove: { reason: "read only", duration: "1h" } },
    ]);
    const bot = await agent(name, "log-reader", "");
    const approved = { tool: "read_logs", arguments: { service: "api" } };
    const request = await operationRequest(approved);
    const petition = await created(base, { resources: request.resources, meta: { labels: request.labels } }, bot);
    expect(petition.state.status.phase).toBe("granted");

    const forged = { tool: "drop_database", arguments: { database: "prod" } };
    const forgedLabels = {
      ...petition.meta.labels,
      ...(await operationRequest(forged)).labels,
      "greenlight.dev/operation-sha256": await operationHash(forged),
    };
    const rewrite = await t.call("PUT", `${base}/petitions/${petition.name}`, { petition: { meta: { labels: forgedLabels } } }, bot);
    expectEnvelope(rewrite, 400, "INVALID_ARGUMENT");
    expect(rewrite.body.error.message).toContain("fixed when the petition is created");

    const read = await t.call("GET", `${base}/petitions/${petition.name}`, undefined, bot);
    expect(read.body.meta.labels).toMatchObject({
      "greenlight.dev/tool": "read_logs",
      "greenlight.dev/operation-sha256": await operationHash(approved),
    });
    const issued = await t.call("POST", `${base}/petitions/${petition.name}:receipt`, {}, bot);
    expect(issued.status, JSON.stringify(issued.body)).toBe(200);
    const keys = (await t.call("GET", "/v1/auth/keys")).body as { keys: PublicJwk[] };
    await verifyReceipt(issued.body.receipt, { keys, space: name, ...approved });
    const refused = await verifyReceipt(issued.body.receipt, { keys, space: name, ...forged }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReceiptError);
    expect((refused as ReceiptError).reason).toBe("wrong-operation");
  });

  it("a receipt checked online stops holding once its petition is revoked", async () => {
    const { base, name } = await space([
      { name: "safe-tools", match: { kinds: ["action"] }, autoApprove: { reason: "read only", duration: "1h" } },
    ]);
    const bot = await agent(name, "log-reader", "");
    const request = await operationRequest({ tool: "read_logs", arguments: { service: "db" } });
    const petition = await created(base, { resources: request.resources, meta: { labels: request.labels } }, bot);
    const { receipt } = (await t.call("POST", `${base}/petitions/${petition.name}:receipt`, {}, bot)).body;
    const before = await t.call("POST", `${base}/receipts:check`, { receipt }, bot);
    expect(before.body).toMatchObject({ active: true, petitionName: petition.name });

    expect(
      (await t.call("POST", `${base}/petitions/${petition.name}/claims`, { claim: { event: "access/revoke", reason: "done" } })).status,
    ).toBe(200);
    const after = await t.call("POST", `${base}/receipts:check`, { receipt }, bot);
    expect(after.body).toEqual({ active: false, reason: "revoked", petitionName: petition.name });
  });

  it("an agent cannot strip the labels that tell reviewers an agent asked, and for whom", async () => {
    const { base, name } = await space();
    const bot = await agent(name, "helper", "alice@example.com");
    const petition = await created(base, { petitioners: [{ kind: "user", email: "alice@example.com" }], resources: deploy }, bot);
    const { "greenlight.dev/agent": _agent, "greenlight.dev/on-behalf-of": _for, ...stripped } = petition.meta.labels;
    const strip = await t.call("PUT", `${base}/petitions/${petition.name}`, { petition: { meta: { labels: stripped } } }, bot);
    expectEnvelope(strip, 400, "INVALID_ARGUMENT");
    const read = await t.call("GET", `${base}/petitions/${petition.name}`);
    expect(read.body.meta.labels["greenlight.dev/on-behalf-of"]).toBe("alice@example.com");
    expect(read.body.meta.labels["greenlight.dev/agent"]).toMatch(/^helper@/);
  });

  it("a petitioner cannot lengthen the duration after reviewers saw it; an approval naming none grants what was asked", async () => {
    const { base, name } = await space();
    const alice = await person(name, "alice@example.com", "member");
    const reviewer = await person(name, "rita@example.com", "reviewer");
    const asked = { "indent.com/petition/duration": "15m" };
    const petition = await created(base, { resources: deploy, meta: { labels: asked } }, alice);
    const longer = await t.call(
      "PUT",
      `${base}/petitions/${petition.name}`,
      { petition: { meta: { labels: { "indent.com/petition/duration": "720h" } } } },
      alice,
    );
    expectEnvelope(longer, 400, "INVALID_ARGUMENT");
    expect(longer.body.error.field).toBe('petition.meta.labels["indent.com/petition/duration"]');

    const approval = await t.call(
      "POST",
      `${base}/petitions/${petition.name}/claims`,
      { claim: { event: "access/approve", reason: "ok" } },
      reviewer,
    );
    expect(approval.status, JSON.stringify(approval.body)).toBe(200);
    const granted = (await t.call("GET", `${base}/petitions/${petition.name}`)).body;
    expect(Date.parse(granted.meta.expireTime) - Date.parse(granted.meta.startTime)).toBe(15 * 60_000);
  });

  it("the reason and the suggested duration are fixed; the petition written back as read still closes it", async () => {
    const { base, name } = await space();
    const alice = await person(name, "alice@example.com", "member");
    const petition = await created(base, { resources: deploy, defaultDuration: "1h" }, alice);
    const path = `${base}/petitions/${petition.name}`;
    expectEnvelope(
      await t.call("PUT", path, { petition: { ...petition, reason: "something else entirely" } }, alice),
      400,
      "INVALID_ARGUMENT",
    );
    expectEnvelope(await t.call("PUT", path, { petition: { ...petition, defaultDuration: "720h" } }, alice), 400, "INVALID_ARGUMENT");
    const closed = await t.call("PUT", path, { petition: { ...petition, state: { status: { phase: "closed" } } } }, alice);
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body.state.status).toEqual({ phase: "closed", outcome: "cancelled" });
  });

  it("other labels change only with an event in the petition's history, and never once it is closed", async () => {
    const { base, name } = await space();
    const alice = await person(name, "alice@example.com", "member");
    const reviewer = await person(name, "rita@example.com", "reviewer");
    const petition = await created(base, { resources: deploy, meta: { labels: { ticket: "INC-1" } } }, alice);
    const path = `${base}/petitions/${petition.name}`;
    const changed = await t.call("PUT", path, { petition: { meta: { labels: { ...petition.meta.labels, ticket: "INC-2" } } } }, alice);
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);

    const seen = (await t.call("GET", path, undefined, reviewer)).body;
    expect(seen.meta.labels.ticket).toBe("INC-2");
    const relabel = seen.state.eventHistory.find((e: { event: string }) => e.event === "petition/relabel");
    expect(relabel).toMatchObject({
      actor: { kind: "user", email: "alice@example.com" },
      reason: 'changed ticket from "INC-1" to "INC-2"',
    });
    expect(relabel.meta.labels.ticket).toBe("INC-2");
    const audited = await t.call("GET", `${base}/audit?event=petition%2Frelabel`);
    expect(audited.status).toBe(200);
    expect(audited.body.events.map((e: { event: string }) => e.event)).toContain("petition/relabel");

    expect((await t.call("PUT", path, { petition: { state: { status: { phase: "closed" } } } }, alice)).status).toBe(200);
    const late = await t.call("PUT", path, { petition: { meta: { labels: { ...seen.meta.labels, ticket: "INC-3" } } } }, alice);
    expectEnvelope(late, 409, "INVALID_TRANSITION");
  });

  it("labels only the server writes cannot be sent on a new petition or on a claim", async () => {
    const { base, name } = await space();
    const alice = await person(name, "alice@example.com", "member");
    const reviewer = await person(name, "rita@example.com", "reviewer");
    for (const label of ["greenlight.dev/operation-sha256", "greenlight.dev/policy/rule", "greenlight.dev/on-behalf-of"]) {
      const reply = await create(base, { resources: deploy, meta: { labels: { [label]: "x" } } }, alice);
      expectEnvelope(reply, 400, "INVALID_ARGUMENT");
      expect(reply.body.error.field).toBe(`petition.meta.labels["${label}"]`);
    }
    const petition = await created(base, { resources: deploy }, alice);
    const claim = approveClaim("1h");
    claim.claim.meta.labels = {
      ...claim.claim.meta.labels,
      "greenlight.dev/policy/rule": "auto-approve-everything",
    } as typeof claim.claim.meta.labels;
    expectEnvelope(await t.call("POST", `${base}/petitions/${petition.name}/claims`, claim, reviewer), 400, "INVALID_ARGUMENT");
  });
});

describe("a petitioner is the person the catalog says", () => {
  let base: string;
  let spaceName: string;
  let alice: Headers;
  let petitionerAdmin: Headers;
  const sreRule = {
    name: "sre-deploys",
    match: { kinds: ["action"], condition: '"team" in petitioner.labels && petitioner.labels["team"] == "sre"' },
    autoApprove: { reason: "SREs deploy", duration: "1h" },
  };

  beforeAll(async () => {
    ({ base, name: spaceName } = await space([sreRule]));
    await catalog(base, [
      { kind: "user", id: "u-alice", email: "alice@example.com", labels: { team: "web" } },
      { kind: "user", id: "u-bob", email: "bob@example.com", labels: { team: "web" } },
      { kind: "user", id: "u-carol", email: "carol@example.com", labels: { team: "sre" } },
      { kind: "user", id: "u-ghost", labels: { team: "sre" } },
    ]);
    alice = await person(spaceName, "alice@example.com", "member");
    petitionerAdmin = await person(spaceName, "pam@example.com", "petitioner-admin");
  });

  it("a member cannot petition as another person by naming their catalog id beside their own email", async () => {
    const reply = await create(
      base,
      { petitioners: [{ kind: "user", id: "u-bob", email: "alice@example.com" }], resources: deploy },
      alice,
    );
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.message).toContain("must name the same person");
  });

  it("a member cannot borrow another entry's labels to be approved by a rule", async () => {
    const borrowed = await create(
      base,
      { petitioners: [{ kind: "user", id: "u-carol", email: "alice@example.com" }], resources: deploy },
      alice,
    );
    expectEnvelope(borrowed, 400, "INVALID_ARGUMENT");
    const own = await created(
      base,
      { petitioners: [{ kind: "user", email: "alice@example.com" }], resources: [{ kind: "action", id: "deploy-web" }] },
      alice,
    );
    expect(own.state.status.phase).toBe("open");
    expect(own.petitioners).toEqual([expect.objectContaining({ kind: "user", id: "u-alice", email: "alice@example.com" })]);
  });

  it("the caller's email is never attached to a catalog entry that has none", async () => {
    const reply = await create(
      base,
      { petitioners: [{ kind: "user", id: "u-ghost", email: "alice@example.com" }], resources: deploy },
      alice,
    );
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.message).toContain("has no email");
  });

  it("an id and an email-shaped id naming two people are refused", async () => {
    const reply = await create(
      base,
      { petitioners: [{ kind: "user", id: "bob@example.com", email: "alice@example.com" }], resources: deploy },
      alice,
    );
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.message).toContain("names two people");
  });

  it("an agent cannot act for someone outside its acts-for list by pairing their id with an allowed email", async () => {
    const bot = await agent(spaceName, "alice-helper", "alice@example.com");
    const reply = await create(base, { petitioners: [{ kind: "user", id: "u-bob", email: "alice@example.com" }], resources: deploy }, bot);
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    const forBob = await create(base, { petitioners: [{ kind: "user", id: "u-bob" }], resources: deploy }, bot);
    expectEnvelope(forBob, 403, "FORBIDDEN");
  });

  it("an address that only looks like someone's is nobody's", async () => {
    const lookAlike = "alice@ex\u212Aample.com"; // the Kelvin sign lower-cases to "k"
    const byEmail = await create(base, { petitioners: [{ kind: "user", email: lookAlike }], resources: deploy }, petitionerAdmin);
    expectEnvelope(byEmail, 400, "INVALID_ARGUMENT");
    expect(byEmail.body.error.field).toBe("petition.petitioners[0].email");
    const bot = await agent(spaceName, "look-alike-helper", "alice@example.com");
    const byId = await create(base, { petitioners: [{ kind: "user", id: lookAlike }], resources: deploy }, bot);
    expectEnvelope(byId, 403, "FORBIDDEN");
  });

  it("de-duplicates after resolving, and never hands back a petition the caller may not read", async () => {
    const bob = await person(spaceName, "bob@example.com", "member");
    const resources = [{ kind: "action", id: "deploy-bob" }];
    const own = await created(base, { petitioners: [{ kind: "user", email: "bob@example.com" }], resources }, bob);
    // The same access for Bob, asked by someone who may not see Bob's petition.
    const again = await create(base, { petitioners: [{ kind: "user", id: "u-bob" }], resources }, petitionerAdmin);
    expectEnvelope(again, 409, "CONFLICT");
    expect(JSON.stringify(again.body)).not.toContain(own.name);
    expect((await t.call("GET", `${base}/petitions/${own.name}`, undefined, petitionerAdmin)).status).toBe(404);

    // Named by email or by catalog id, Carol is one petitioner: asking twice is one petition.
    const first = await created(
      base,
      { petitioners: [{ kind: "user", email: "CAROL@example.com" }], resources: [{ kind: "ticket", id: "t-1" }] },
      petitionerAdmin,
    );
    const second = await create(
      base,
      { petitioners: [{ kind: "user", id: "u-carol" }], resources: [{ kind: "ticket", id: "t-1" }] },
      petitionerAdmin,
    );
    expect(second.status).toBe(200);
    expect(second.body.name).toBe(first.name);
  });
});

describe("nobody approves their own access, however the petition names them", () => {
  it("a reviewer cannot approve a petition that names them by a directory id or an alternative id", async () => {
    const { base, name } = await space();
    await catalog(base, [{ kind: "okta.v1.User", id: "00u-rita", email: "rita@example.com", altIds: ["U0RITA"], labels: {} }]);
    const rita = await person(name, "rita@example.com", "reviewer");
    const pam = await person(name, "pam@example.com", "petitioner-admin");
    for (const petitioner of [
      { kind: "user", id: "00u-rita" },
      { kind: "slack/user", id: "U0RITA" },
    ]) {
      const petition = await created(base, { petitioners: [petitioner], resources: deploy }, pam);
      const approval = await t.call("POST", `${base}/petitions/${petition.name}/claims`, approveClaim("1h"), rita);
      expectEnvelope(approval, 403, "SELF_REVIEW");
      expect((await t.call("GET", `${base}/petitions/${petition.name}`)).body.state.status.phase).toBe("open");
    }
  });
});
