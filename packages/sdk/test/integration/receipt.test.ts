import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GreenlightAPI,
  GreenlightError,
  operationHash,
  operationRequest,
  ReceiptError,
  requestApproval,
  verifyReceipt,
  type PublicJwk,
} from "../../src/index.js";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { createSpace, userToken } from "../../../server/test/integration/identity-fixtures.js";

/**
 * Approval receipts: a granted petition made for one operation yields a signed JWT that
 * `verifyReceipt` checks offline against the server's JWKS, refusing other arguments, expired
 * receipts, other spaces and other keys with a reason a program can branch on.
 */

let t: TestServer;
let space: string;
let agent: GreenlightAPI;
let reviewer: GreenlightAPI;
let keys: { keys: PublicJwk[] };

const operation = { tool: "delete_project", arguments: { projectId: "proj_123", force: true, tags: ["a", "b"] } };

async function granted(args: Record<string, unknown>, duration = "1h") {
  const request = await operationRequest({ tool: operation.tool, arguments: args });
  const petition = await agent.petition.create({ reason: "cleanup", resources: request.resources, meta: { labels: request.labels } });
  await reviewer.petition.approve(petition.name, { duration, reason: "fine" });
  return petition.name;
}

beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  agent = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, "agent@example.com", ["member"]), spaceName: space });
  reviewer = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, "rita@example.com", ["reviewer"]), spaceName: space });
  keys = await agent.signingKeys();
});
afterAll(async () => {
  await t.close();
});

async function failure(promise: Promise<unknown>): Promise<ReceiptError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReceiptError);
  return error as ReceiptError;
}

describe("approval receipts", () => {
  it("binds the operation's hash (computed by the server), the approvers, the policy version and an expiry within the grant", async () => {
    const name = await granted(operation.arguments, "1h");
    const petition = await agent.petition.get(name);
    expect(petition.meta.labels["greenlight.dev/operation-sha256"]).toBe(await operationHash(operation));

    const { receipt, operationHash: hash, expireTime } = await agent.petition.receipt(name);
    expect(hash).toBe(await operationHash(operation));
    const claims = await verifyReceipt(receipt, { keys, space, ...operation });
    expect(claims).toMatchObject({
      sub: name,
      space,
      op: hash,
      tool: "delete_project",
      approvers: ["user:rita@example.com"],
      policyVersion: null,
    });
    // Five minutes by default, and never past the grant.
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(300);
    expect(claims.exp).toBeLessThanOrEqual(claims.grantExp!);
    expect(Date.parse(expireTime)).toBe(claims.exp * 1000);
    // Argument order does not matter: the hash is of canonical JSON.
    await verifyReceipt(receipt, {
      keys,
      space,
      tool: operation.tool,
      arguments: { tags: ["a", "b"], force: true, projectId: "proj_123" },
    });
  });

  it("is refused for other arguments or another tool", async () => {
    const args = { projectId: "proj_7", force: false };
    const { receipt } = await agent.petition.receipt(await granted(args));
    await verifyReceipt(receipt, { keys, space, tool: operation.tool, arguments: args });
    const tampered = await failure(
      verifyReceipt(receipt, { keys, space, tool: operation.tool, arguments: { ...args, projectId: "proj_999" } }),
    );
    expect(tampered.reason).toBe("wrong-operation");
    expect((await failure(verifyReceipt(receipt, { keys, space, tool: "drop_database", arguments: args }))).reason).toBe("wrong-operation");
  });

  it("is refused once expired, and never outlives a short grant", async () => {
    const name = await granted({ projectId: "short" }, "2s");
    const { receipt } = await agent.petition.receipt(name, { ttl: "1h" });
    const claims = await verifyReceipt(receipt, { keys, space, tool: operation.tool, arguments: { projectId: "short" } });
    expect(claims.exp).toBe(claims.grantExp);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(2);
    const expired = await failure(
      verifyReceipt(receipt, { keys, space, tool: operation.tool, arguments: { projectId: "short" }, now: (claims.exp + 6) * 1000 }),
    );
    expect(expired.reason).toBe("expired");
  });

  it("checked online, is refused as soon as the petition is revoked, though it still verifies offline until it expires", async () => {
    const args = { projectId: "revoked-later" };
    const name = await granted(args);
    const { receipt } = await agent.petition.receipt(name);
    const expected = { keys, space, tool: operation.tool, arguments: args };
    await verifyReceipt(receipt, { ...expected, online: agent });
    expect(await agent.petition.checkReceipt(receipt)).toMatchObject({ active: true, petitionName: name });

    await reviewer.petition.revoke(name, "no longer needed");
    // Offline, the receipt holds until its short expiry: that is what online checking is for.
    await verifyReceipt(receipt, expected);
    const revoked = await failure(verifyReceipt(receipt, { ...expected, online: agent }));
    expect(revoked.reason).toBe("revoked");
    expect(await agent.petition.checkReceipt(receipt)).toEqual({ active: false, reason: "revoked", petitionName: name });
  });

  it("checked online in another space, or forged, is not active", async () => {
    const { receipt } = await agent.petition.receipt(await granted({ projectId: "elsewhere" }));
    const otherSpace = await createSpace(t);
    const outsider = new GreenlightAPI({
      baseURL: t.url,
      apiToken: await userToken(t, otherSpace, "o@example.com", ["member"]),
      spaceName: otherSpace,
    });
    expect(await outsider.petition.checkReceipt(receipt)).toEqual({ active: false, reason: "invalid" });
    const [header, payload, signature] = receipt.split(".") as [string, string, string];
    const altered = `${header}.${payload}.${signature.slice(0, -4)}AAAA`;
    expect(await agent.petition.checkReceipt(altered)).toEqual({ active: false, reason: "invalid" });
  });

  it("is refused for another space", async () => {
    const { receipt } = await agent.petition.receipt(await granted({ projectId: "spaced" }));
    const error = await failure(
      verifyReceipt(receipt, { keys, space: "other-space", tool: operation.tool, arguments: { projectId: "spaced" } }),
    );
    expect(error.reason).toBe("wrong-space");
  });

  it("is refused when signed by another key, or with the server's key id but another key's signature", async () => {
    const { receipt } = await agent.petition.receipt(await granted({ projectId: "keys" }));
    const expected = { space, tool: operation.tool, arguments: { projectId: "keys" } };
    const other = await generateKeyPair("ES256", { extractable: true });
    const otherJwk = { ...(await exportJWK(other.publicKey)), kid: "other-key", alg: "ES256" } as PublicJwk;
    expect((await failure(verifyReceipt(receipt, { ...expected, keys: { keys: [otherJwk] } }))).reason).toBe("unknown-key");

    const [header, payload] = receipt.split(".") as [string, string];
    const decode = (part: string) => JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
    const forged = await new SignJWT(decode(payload))
      .setProtectedHeader(decode(header) as { alg: string; kid: string; typ: string })
      .sign(other.privateKey);
    expect((await failure(verifyReceipt(forged, { ...expected, keys }))).reason).toBe("bad-signature");
    // The payload changed under the server's own signature.
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...decode(payload), space: "other" })).toString("base64url")}.${receipt.split(".")[2]}`;
    expect((await failure(verifyReceipt(altered, { ...expected, keys }))).reason).toBe("bad-signature");
  });

  it("is not an access token, and an access token is not a receipt", async () => {
    const { receipt } = await agent.petition.receipt(await granted({ projectId: "typ" }));
    const asToken = await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, { authorization: `Bearer ${receipt}` });
    expect(asToken.status).toBe(401);
    const token = await userToken(t, space, "x@example.com", ["member"]);
    expect((await failure(verifyReceipt(token, { keys, space, ...operation }))).reason).toBe("wrong-type");
  });

  it("is given only for a granted petition made for an operation", async () => {
    const request = await operationRequest({ tool: "restart", arguments: { service: "api" } });
    const open = await agent.petition.create({ reason: "restart", resources: request.resources, meta: { labels: request.labels } });
    const notGranted = await agent.petition.receipt(open.name).catch((e: unknown) => e);
    expect(notGranted).toBeInstanceOf(GreenlightError);
    expect((notGranted as GreenlightError).code).toBe("INVALID_TRANSITION");

    const plain = await agent.petition.create({ reason: "plain", resources: [{ kind: "action", id: "plain-thing" }] });
    await reviewer.petition.approve(plain.name, { duration: "1h" });
    const noOperation = (await agent.petition.receipt(plain.name).catch((e: unknown) => e)) as GreenlightError;
    expect(noOperation.status).toBe(400);
    expect(noOperation.message).toContain("not made for one operation");
  });

  it("requestApproval makes other arguments another petition, even when the same resources are named", async () => {
    const resources = [{ kind: "action", id: "shared-resource" }];
    const first = await requestApproval(
      { what: "scale", resources, operation: { tool: "scale", arguments: { replicas: 2 } } },
      { client: agent, waitMs: 0 },
    );
    const second = await requestApproval(
      { what: "scale", resources, operation: { tool: "scale", arguments: { replicas: 20 } } },
      { client: agent, waitMs: 0 },
    );
    const again = await requestApproval(
      { what: "scale", resources, operation: { tool: "scale", arguments: { replicas: 2 } } },
      { client: agent, waitMs: 0 },
    );
    expect(second.petition).not.toBe(first.petition);
    expect(again.petition).toBe(first.petition);
  });

  it("comes with requestApproval's granted outcome", async () => {
    const args = { projectId: "outcome" };
    const pending = await requestApproval(
      { what: "delete a project", operation: { tool: operation.tool, arguments: args } },
      { client: agent, waitMs: 0 },
    );
    expect(pending.status).toBe("pending");
    await reviewer.petition.approve(pending.petition, { duration: "1h", reason: "go" });
    const done = await requestApproval(
      { what: "delete a project", operation: { tool: operation.tool, arguments: args } },
      { client: agent, waitMs: 0 },
    );
    expect(done).toMatchObject({ status: "granted", petition: pending.petition, reason: "go", decidedBy: ["rita@example.com"] });
    await verifyReceipt(done.receipt!, { keys, space, tool: operation.tool, arguments: args });
  });
});
