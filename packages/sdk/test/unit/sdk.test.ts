import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ApprovalError, getErrorKind, GreenlightAPI, signIndentWebhook, verifyWebhook, WebhookVerificationError } from "../../src/index.js";
import { kindOfClosed } from "../../src/errors.js";
import type { Petition } from "../../src/types.js";

// Indent's published test vector (reference §4.1).
const VECTOR = {
  secret: "secret_123",
  timestamp: "2020-05-01T07:00:00Z",
  body: '{"events":[{"event":"access/grant","timestamp":"2020-05-01T07:00:00Z"}]}',
  signature: "c27f187960625ebccc33336030b071dac1d54b1e98d9e27fe5452ee00c935fb0",
};
const AT_VECTOR_TIME = new Date("2020-05-01T07:01:00Z");

async function rejection(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "accepted";
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as Error).message;
  }
}

describe("verifyWebhook, Indent's scheme", () => {
  const headers = { "X-Indent-Timestamp": VECTOR.timestamp, "X-Indent-Signature": VECTOR.signature };

  it("accepts the published test vector, with headers in any case and as Headers", async () => {
    await verifyWebhook({ secret: VECTOR.secret, headers, body: VECTOR.body, now: AT_VECTOR_TIME });
    await verifyWebhook({
      secret: VECTOR.secret,
      headers: new Headers(headers),
      body: new TextEncoder().encode(VECTOR.body),
      now: AT_VECTOR_TIME,
    });
  });

  it("signs as Indent does", async () => {
    expect(await signIndentWebhook({ secret: VECTOR.secret, body: VECTOR.body, timestamp: VECTOR.timestamp })).toEqual({
      "x-indent-timestamp": VECTOR.timestamp,
      "x-indent-signature": VECTOR.signature,
    });
  });

  it.each<[string, Partial<{ secret: string; body: string; headers: Record<string, string>; now: Date }>, RegExp]>([
    ["a changed body", { body: VECTOR.body.replace("grant", "revoke") }, /does not match/],
    ["the body re-serialised", { body: JSON.stringify(JSON.parse(VECTOR.body), null, 1) }, /does not match/],
    ["another secret", { secret: "secret_124" }, /does not match/],
    ["a truncated signature", { headers: { ...headers, "X-Indent-Signature": VECTOR.signature.slice(0, 62) } }, /does not match/],
    ["a signature that is not hex", { headers: { ...headers, "X-Indent-Signature": "zz".repeat(32) } }, /does not match/],
    ["an old timestamp (a replay)", { now: new Date("2020-05-01T07:06:00Z") }, /more than 300s/],
    ["a timestamp from the future", { now: new Date("2020-05-01T06:54:00Z") }, /more than 300s/],
    ["no timestamp", { headers: { "X-Indent-Signature": VECTOR.signature } }, /Timestamp is missing/],
    ["no signature at all", { headers: {} }, /not signed/],
  ])("rejects %s", async (_name, change, reason) => {
    const message = await rejection(() =>
      verifyWebhook({ secret: VECTOR.secret, headers, body: VECTOR.body, now: AT_VECTOR_TIME, ...change }),
    );
    expect(message).toMatch(reason);
  });
});

describe("verifyWebhook, Standard Webhooks' scheme", () => {
  const key = Buffer.from("a-shared-secret-of-some-length!!");
  const secret = `whsec_${key.toString("base64")}`;
  const id = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
  const timestamp = String(Math.floor(Date.now() / 1000));
  const body = '{"type":"petition.granted"}';
  const sign = (k: Buffer) => createHmac("sha256", k).update(`${id}.${timestamp}.${body}`).digest("base64");

  it("accepts a signature among several (key rotation)", async () => {
    const headers = {
      "webhook-id": id,
      "webhook-timestamp": timestamp,
      "webhook-signature": `v1,${sign(Buffer.from("old key"))} v1,${sign(key)}`,
    };
    await verifyWebhook({ secret, headers, body });
  });

  it("rejects a wrong signature, a stale timestamp and missing headers", async () => {
    const good = { "webhook-id": id, "webhook-timestamp": timestamp, "webhook-signature": `v1,${sign(key)}` };
    expect(
      await rejection(() => verifyWebhook({ secret, headers: { ...good, "webhook-signature": `v1,${sign(Buffer.from("x"))}` }, body })),
    ).toMatch(/no webhook-signature matches/);
    expect(
      await rejection(() => verifyWebhook({ secret, headers: { ...good, "webhook-timestamp": String(Number(timestamp) - 3600) }, body })),
    ).toMatch(/more than 300s/);
    expect(await rejection(() => verifyWebhook({ secret, headers: { "webhook-signature": good["webhook-signature"] }, body }))).toMatch(
      /missing/,
    );
    expect(await rejection(() => verifyWebhook({ secret, headers: good, body: body + " " }))).toMatch(/no webhook-signature matches/);
  });
});

describe("errors", () => {
  const closed = (outcome: string) => ({ name: "pet_x", state: { status: { phase: "closed", outcome } } }) as unknown as Petition;

  it.each([
    ["denied", "denied"],
    ["revoked", "denied"],
    ["cancelled", "cancelled"],
    ["expired", "expired"],
    ["timed_out", "expired"],
  ])("a petition closed as %s is a %s", (outcome, kind) => {
    expect(kindOfClosed(closed(outcome))).toBe(kind);
  });

  it("getErrorKind is 'unknown' for anything that is not an ApprovalError", () => {
    expect(getErrorKind(new ApprovalError("waiting", "w"))).toBe("waiting");
    expect(getErrorKind(new Error("boom"))).toBe("unknown");
    expect(getErrorKind(undefined)).toBe("unknown");
  });
});

describe("client settings", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reads Greenlight's variables, then Indent's, and the space from an access token", () => {
    vi.stubEnv("GREENLIGHT_API_TOKEN", "");
    vi.stubEnv("INDENT_API_TOKEN", `x.${Buffer.from(JSON.stringify({ sub: "a@b.c", space: "acme" })).toString("base64url")}.y`);
    vi.stubEnv("GREENLIGHT_API_URL", "https://greenlight.example.com/v1/");
    vi.stubEnv("GREENLIGHT_SPACE", "");
    vi.stubEnv("INDENT_SPACE", "");
    const client = new GreenlightAPI();
    expect(client.spaceName).toBe("acme");
    expect(client.baseURL).toBe("https://greenlight.example.com");
    vi.stubEnv("INDENT_SPACE", "indent-space");
    expect(new GreenlightAPI().spaceName).toBe("indent-space");
    vi.stubEnv("GREENLIGHT_SPACE", "greenlight-space");
    expect(new GreenlightAPI().spaceName).toBe("greenlight-space");
  });

  it("says what to set when there is no token", () => {
    vi.stubEnv("GREENLIGHT_API_TOKEN", "");
    vi.stubEnv("INDENT_API_TOKEN", "");
    expect(() => new GreenlightAPI()).toThrow(/GREENLIGHT_API_TOKEN/);
  });
});
