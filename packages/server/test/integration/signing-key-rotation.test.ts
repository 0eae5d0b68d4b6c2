import { randomBytes } from "node:crypto";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { onPostgres, startTestServer, testDatabaseUrl, type TestServer, until } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * The keys that sign access tokens and receipts are replaced on a schedule
 * (GREENLIGHT_SIGNING_KEY_ROTATION, 90 days by default) by a background job: the successor is
 * published an hour before it signs, tokens signed before keep verifying until their key is
 * removed, and the key is removed once nothing it signed can still be valid. Time is the
 * servers' injected clock.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The default rotation period. */
const PERIOD = 90 * DAY;
/** How long before it signs a scheduled successor is published. */
const PUBLISHED_AHEAD = HOUR;
/** The longest token (a user token of 24h) and the clock tolerance and poll interval after it. */
const KEPT_AFTER_RETIREMENT = DAY + 5_000 + 50;
/** The job runs every 50 ms here, so a change of the clock is acted on at once. */
const FAST_POLL = { GREENLIGHT_SIGNING_KEY_POLL_INTERVAL: "50ms" };

const servers: TestServer[] = [];
afterAll(async () => {
  for (const server of servers.reverse()) await server.close();
});

async function start(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(options);
  servers.push(server);
  return server;
}

async function published(t: TestServer): Promise<string[]> {
  const reply = await t.call("GET", "/v1/auth/keys", undefined, {});
  return (reply.body.keys as Array<{ kid: string }>).map((key) => key.kid).sort();
}

const kidOf = (token: string) => decodeProtectedHeader(token).kid!;

async function accepted(t: TestServer, space: string, token: string): Promise<boolean> {
  return (await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(token))).status === 200;
}

describe("scheduled rotation", () => {
  it("publishes a successor, which then signs; a token signed before keeps verifying until its key is removed", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const t = await start({ clock, env: FAST_POLL });
    const space = await createSpace(t);
    const mint = () => userToken(t, space, "rotating@example.com", [], "24h");
    await userToken(t, space, "rotating@example.com", ["member"]);
    const [first] = await published(t);

    // Just before the rotation is due, a token that lives the longest a token may.
    offset += PERIOD - HOUR;
    const signedBefore = await mint();
    expect(kidOf(signedBefore)).toBe(first);

    // Due: the successor is published, and the old key still signs until it takes over.
    offset += HOUR + 1000;
    const both = await until(
      () => published(t),
      (kids) => kids.length === 2,
    );
    const next = both.find((kid) => kid !== first)!;
    expect(kidOf(await mint())).toBe(first);
    const [rotated] = (await t.call("GET", "/v1/audit?event=signingKey/rotated")).body.events;
    expect(rotated.meta.labels).toMatchObject({ "greenlight.dev/reason": "scheduled", "greenlight.dev/retires": first });
    expect(rotated.actor).toMatchObject({ kind: "greenlight.v1.System", id: "signing-keys" });

    offset += PUBLISHED_AHEAD;
    const signedAfter = await mint();
    expect(kidOf(signedAfter)).toBe(next);
    expect(await accepted(t, space, signedBefore)).toBe(true);
    expect(await accepted(t, space, signedAfter)).toBe(true);

    // The token signed before lives out its lifetime on the retired key.
    offset = Number(decodeJwt(signedBefore).exp) * 1000 - Date.now() - 60_000;
    expect(await accepted(t, space, signedBefore)).toBe(true);
    expect(await published(t)).toEqual(both);

    // Then the retired key is removed: nothing it signed can still be valid.
    const retiredAt = Number(new Date(rotated.meta.labels["greenlight.dev/signs-from"]));
    offset = retiredAt + KEPT_AFTER_RETIREMENT + 1000 - Date.now();
    await until(
      () => published(t),
      (kids) => !kids.includes(first!),
    );
    expect(await published(t)).toEqual([next]);
    expect(await accepted(t, space, signedBefore)).toBe(false);
    expect(await accepted(t, space, await mint())).toBe(true);
  });

  it("does not rotate at all when the period is 0", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const scheduled = await start({ clock, env: FAST_POLL });
    const manual = await start({ clock, env: { ...FAST_POLL, GREENLIGHT_SIGNING_KEY_ROTATION: "0" } });
    const manualKeys = await published(manual);
    offset += PERIOD + 1000;
    // By the time the scheduled server has rotated, the other's job has had as many turns.
    await until(
      () => published(scheduled),
      (kids) => kids.length === 2,
    );
    expect(await published(manual)).toEqual(manualKeys);
  });
});

describe("rotation by hand", () => {
  it("keeps tokens signed before valid, unless it revokes the other keys, when they stop verifying at once", async () => {
    const t = await start({ env: FAST_POLL });
    const space = await createSpace(t);
    const before = await userToken(t, space, "by-hand@example.com", ["member"]);

    const rotated = await t.call("POST", "/v1/auth/keys:rotate");
    expect(rotated.body.keys).toHaveLength(2);
    const between = await userToken(t, space, "by-hand@example.com", []);
    expect(kidOf(between)).not.toBe(kidOf(before));
    expect(await accepted(t, space, before)).toBe(true);

    const revoked = await t.call("POST", "/v1/auth/keys:rotate", { revokeOtherKeys: true });
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    const after = await userToken(t, space, "by-hand@example.com", []);
    expect(revoked.body.keys.map((key: { kid: string }) => key.kid)).toEqual([kidOf(after)]);
    expect(await accepted(t, space, before)).toBe(false);
    expect(await accepted(t, space, between)).toBe(false);
    expect(await accepted(t, space, after)).toBe(true);
    const [event] = (await t.call("GET", "/v1/audit?event=signingKey/revoked")).body.events;
    expect(event.resources.map((r: { id: string }) => r.id).sort()).toEqual([kidOf(before), kidOf(between)].sort());
  });
});

describe.skipIf(!onPostgres)("scheduled rotation across replicas", () => {
  it("is made once, and each replica verifies what the others sign, at once after a rotation by hand too", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const secretKey = { GREENLIGHT_SECRET_KEY: randomBytes(32).toString("base64") };
    const a = await start({ clock, env: { ...FAST_POLL, ...secretKey } });
    const b = await start({ clock, env: { ...FAST_POLL, ...secretKey, DATABASE_URL: testDatabaseUrl(a.dataDir) } });
    const space = await createSpace(a);
    await userToken(a, space, "replica@example.com", ["member"]);

    offset += PERIOD + 1000;
    const onA = await until(
      () => published(a),
      (kids) => kids.length === 2,
    );
    await until(
      () => published(b),
      (kids) => kids.length === 2,
    );
    expect(await published(b)).toEqual(onA);
    expect((await a.call("GET", "/v1/audit?event=signingKey/rotated")).body.events).toHaveLength(1);

    // A replica that reads the keys only every ten minutes still verifies, at once, a token
    // signed with a key another replica made by hand a moment ago.
    const c = await start({
      clock,
      env: { GREENLIGHT_SIGNING_KEY_POLL_INTERVAL: "10m", ...secretKey, DATABASE_URL: testDatabaseUrl(a.dataDir) },
    });
    const rotated = await a.call("POST", "/v1/auth/keys:rotate");
    expect(rotated.status).toBe(200);
    const signedOnA = await userToken(a, space, "replica@example.com", []);
    expect(onA).not.toContain(kidOf(signedOnA));
    expect(await accepted(c, space, signedOnA)).toBe(true);
    expect(await published(c)).toContain(kidOf(signedOnA));
  });
});
