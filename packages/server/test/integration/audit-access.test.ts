import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import { listAuditCheckpoints } from "../../src/services/audit/audit-checkpoints.js";
import { exportAudit, type AuditScope } from "../../src/services/audit/audit-log.js";
import { verifyAudit } from "../../src/services/audit/audit-verify.js";
import { authenticate } from "../../src/services/identity/authenticate.js";
import { enterSpace } from "../../src/services/identity/enter-space.js";
import { startTestServer, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * Exporting, verifying and listing the checkpoints of an audit chain are for who may read it:
 * a space's admins, and for the server's chain the server admin token. The services check
 * that themselves, so a caller that forgets to (a new route, a job, a Slack action) cannot
 * hand a chain to anyone.
 */

let t: TestServer;
let space: string;
let reviewerToken: string;
beforeAll(async () => {
  t = await startTestServer();
  space = await createSpace(t);
  reviewerToken = await userToken(t, space, "rita@example.com", ["reviewer"]);
});
afterAll(async () => {
  await t.close();
});

/** The scopes a reviewer of the space acts in, built as a request's are: their token, then the space. */
async function reviewerScopes(): Promise<AuditScope[]> {
  const services = t.server.services;
  const actor = await authenticate({ services, authorization: `Bearer ${reviewerToken}` });
  const ctx = { ...services, actor, requestId: "req_audit_access" };
  return [
    { kind: "space", ctx: await enterSpace({ ctx, spaceName: space }) },
    { kind: "server", ctx },
  ];
}

async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe("the audit chain's services refuse whoever may not read the chain", () => {
  it("refuses a reviewer the space's and the server's chain: export, verify, checkpoints", async () => {
    for (const scope of await reviewerScopes()) {
      for (const [verb, run] of [
        ["exportAudit", () => exportAudit({ scope, query: {}, format: "jsonl" })],
        ["verifyAudit", () => verifyAudit({ scope })],
        ["listAuditCheckpoints", () => listAuditCheckpoints({ scope, page: {} })],
      ] as const) {
        const error = await refusal(run);
        expect(error, `${verb} on the ${scope.kind} chain`).toBeInstanceOf(DomainError);
        expect((error as DomainError).code, `${verb} on the ${scope.kind} chain`).toBe("FORBIDDEN");
      }
    }
  });

  it("refuses a reviewer over HTTP, and serves the admin", async () => {
    for (const prefix of [`/v1/spaces/${space}/audit`, "/v1/audit"]) {
      expect((await t.call("GET", `${prefix}:export`, undefined, bearer(reviewerToken))).status).toBe(403);
      expect((await t.call("POST", `${prefix}:verify`, undefined, bearer(reviewerToken))).status).toBe(403);
      expect((await t.call("GET", `${prefix}/checkpoints`, undefined, bearer(reviewerToken))).status).toBe(403);
      expect((await t.call("GET", `${prefix}:export`)).status).toBe(200);
      expect((await t.call("POST", `${prefix}:verify`)).body.valid).toBe(true);
    }
  });
});
