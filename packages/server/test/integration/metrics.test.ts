import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, createPetition, SPACE, startTestServer, type TestServer } from "./harness.js";
import { bearer, userToken } from "./identity-fixtures.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

function value(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}

describe("GET /metrics", () => {
  it("counts open petitions, grants by provisioning, audit lag and requests, for the server admin only", async () => {
    const before = await t.call("GET", "/metrics");
    expect(before.status).toBe(200);
    expect(String(before.headers["content-type"])).toContain("text/plain");
    const open = value(String(before.body), "greenlight_petitions_open");
    const petition = await createPetition(t);
    const after = String((await t.call("GET", "/metrics")).body);
    expect(value(after, "greenlight_petitions_open")).toBe(open + 1);
    expect(value(after, 'greenlight_grants{provisioning="revoke_failed"}')).toBe(0);
    expect(after).toMatch(/greenlight_audit_events_since_checkpoint\{space="default"\} \d+/);
    expect(after).toMatch(
      /greenlight_http_request_duration_seconds_count\{method="POST",route="\/v1\/spaces\/:space\/petitions",status="201"\} \d+/,
    );
    await t.call("POST", `${SPACE}/petitions/${petition.name}/claims`, approveClaim("1h"));
    expect(value(String((await t.call("GET", "/metrics")).body), "greenlight_petitions_open")).toBe(open);

    expectEnvelope(await t.call("GET", "/metrics", undefined, { authorization: "" }), 401, "UNAUTHENTICATED");
    const member = await userToken(t, "default", "metrics-reader@example.com", ["admin"]);
    expectEnvelope(await t.call("GET", "/metrics", undefined, bearer(member)), 403, "FORBIDDEN");
  });
});
