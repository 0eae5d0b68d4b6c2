import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { calculateJwkThumbprint, decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { copyDatabase, dumpDatabase, hasTable, queryDatabase } from "./database-files.js";
import { dropTestDatabase, onPostgres, startTestServer, tempDataDir, testDatabaseUrl, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * The keys that sign access tokens and approval receipts are sealed at rest with the server's
 * secret key: a copy of the database without that key holds no private key, and a server
 * started on such a copy with another key cannot sign anything the original accepts. Keys an
 * earlier version stored in the clear are sealed when the server starts.
 */

/** A private JWK's `d` (an EC or OKP private key), as JSON text or escaped inside JSON. */
const PRIVATE_JWK = /\\?"d\\?"\s*:\s*\\?"[A-Za-z0-9_-]{43}\\?"/;
const HOUR = 3_600_000;
/** How long before it signs a scheduled key is published. */
const PUBLISHED_AHEAD_MS = HOUR;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A data directory kept across restarts, removed (with its database) when the file is done. */
function keptDataDir(): string {
  const dir = tempDataDir();
  cleanups.push(async () => {
    rmSync(dir, { recursive: true, force: true });
    await dropTestDatabase(dir);
  });
  return dir;
}

async function started(server: Promise<TestServer>): Promise<TestServer> {
  const t = await server;
  cleanups.push(() => t.close());
  return t;
}

async function jwksKids(t: TestServer): Promise<string[]> {
  const reply = await t.call("GET", "/v1/auth/keys", undefined, {});
  return (reply.body.keys as Array<{ kid: string }>).map((key) => key.kid).sort();
}

async function status(t: TestServer, space: string, token: string): Promise<number> {
  return (await t.call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(token))).status;
}

async function serverEvents(t: TestServer, event: string) {
  const reply = await t.call("GET", `/v1/audit?event=${encodeURIComponent(event)}&pageSize=100`);
  expect(reply.status).toBe(200);
  return reply.body.events as Array<{ event: string; resources: Array<{ id?: string }>; meta: { labels: Record<string, string> } }>;
}

describe("signing keys at rest", () => {
  it("a copy of the database holds no private key in the clear, though it holds every key", async () => {
    const dataDir = keptDataDir();
    const t = await started(startTestServer({ dataDir, keepData: true }));
    const space = await createSpace(t);
    await userToken(t, space, "reader@example.com", ["member"]);
    expect((await t.call("POST", "/v1/auth/keys:rotate")).status).toBe(200);

    const dump = await dumpDatabase(dataDir);
    expect(dump).not.toMatch(PRIVATE_JWK);
    const kids = await jwksKids(t);
    expect(kids).toHaveLength(2);
    for (const kid of kids) expect(dump).toContain(kid);
  });

  it("a server started on a copy of the database with another secret key does not start, so it signs nothing the original accepts", async () => {
    const dataDir = keptDataDir();
    let original = await startTestServer({ dataDir, keepData: true });
    const space = await createSpace(original);
    const token = await userToken(original, space, "victim@example.com", ["admin"]);
    await original.close();

    const copyDir = keptDataDir();
    await copyDatabase(dataDir, copyDir);
    original = await started(startTestServer({ dataDir, keepData: true }));
    expect(await status(original, space, token)).toBe(200);

    // The copy's data directory has no secret.key: the server makes a new, different one.
    const copy = await startTestServer({ dataDir: copyDir, keepData: true }).catch((error: unknown) => error as Error);
    if (!(copy instanceof Error)) {
      const claims = decodeJwt(token);
      const forged = await copy.server.services.signer.sign(
        { sub: claims.sub!, space, tid: String(claims["tid"]), kind: "user" },
        Date.now() + HOUR,
      );
      await copy.close();
      expect.fail(
        `a server on the copy started with another secret key, and the original answered its token ${await status(original, space, forged)}`,
      );
    }
    expect(copy.message).toMatch(/signing keys do not open with this server's secret key/);
  });
});

describe("signing keys an earlier version stored in the clear", () => {
  /** A P-256 key as an earlier version stored it: JWKs in the clear in `signing_keys`. */
  async function clearKey(createdAt: number) {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    return {
      kid,
      privateKey,
      row: [
        kid,
        "ES256",
        JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "ES256" }),
        JSON.stringify({ ...publicJwk, kid, alg: "ES256", use: "sig" }),
        createdAt,
      ],
    };
  }

  /** Leaves the database as an earlier version did: one key, in the clear, that signs. */
  async function asAnEarlierVersionLeftIt(dataDir: string, createdAt: number) {
    const key = await clearKey(createdAt);
    if (await hasTable(dataDir, "token_signing_keys")) await queryDatabase(dataDir, "delete from token_signing_keys");
    await queryDatabase(dataDir, "delete from signing_keys");
    await queryDatabase(
      dataDir,
      "insert into signing_keys (kid, alg, private_jwk, public_jwk, created_at, retired_at) values (?, ?, ?, ?, ?, null)",
      key.row,
    );
    return key;
  }

  /** An access token for the holder of `token`, signed with `key` as the earlier version would have. */
  async function signedWith(key: Awaited<ReturnType<typeof clearKey>>, token: string, now: number) {
    const claims = decodeJwt(token);
    return new SignJWT({ ...claims, iat: Math.floor(now / 1000), nbf: Math.floor(now / 1000), exp: Math.floor((now + HOUR) / 1000) })
      .setProtectedHeader({ alg: "ES256", kid: key.kid, typ: "at+jwt" })
      .sign(key.privateKey);
  }

  it("are sealed at start, keep verifying, and hand over to a new key that was never in the clear", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const dataDir = keptDataDir();
    const before = await startTestServer({ dataDir, keepData: true, clock });
    const space = await createSpace(before);
    const token = await userToken(before, space, "upgraded@example.com", ["member"], "8h");
    await before.close();
    const old = await asAnEarlierVersionLeftIt(dataDir, clock.now() - 10 * 24 * HOUR);
    const signedBefore = await signedWith(old, token, clock.now());

    const t = await started(startTestServer({ dataDir, keepData: true, clock }));
    expect(await status(t, space, signedBefore)).toBe(200);
    expect(await queryDatabase(dataDir, "select kid from signing_keys")).toEqual([]);
    expect(await dumpDatabase(dataDir)).not.toMatch(PRIVATE_JWK);
    const [sealed] = await serverEvents(t, "signingKey/sealed");
    expect(sealed!.resources.map((r) => r.id)).toEqual([old.kid]);

    // The key that was in the clear keeps signing until its successor has been published a while.
    const kids = await jwksKids(t);
    expect(kids).toHaveLength(2);
    expect(kids).toContain(old.kid);
    const [rotated] = await serverEvents(t, "signingKey/rotated");
    expect(rotated!.meta.labels["greenlight.dev/reason"]).toBe("unsealed");
    const stillOld = await userToken(t, space, "upgraded@example.com", [], "8h");
    expect(decodeProtectedHeader(stillOld).kid).toBe(old.kid);

    offset += PUBLISHED_AHEAD_MS + 1000;
    const fresh = await userToken(t, space, "upgraded@example.com", [], "8h");
    expect(decodeProtectedHeader(fresh).kid).not.toBe(old.kid);
    expect(kids).toContain(decodeProtectedHeader(fresh).kid);
    expect(await status(t, space, stillOld)).toBe(200);
    expect(await status(t, space, fresh)).toBe(200);
  });

  describe.skipIf(!onPostgres)("with several replicas starting at once", () => {
    it("are sealed once, and every replica publishes and verifies the same keys", async () => {
      const secretKey = { GREENLIGHT_SECRET_KEY: randomBytes(32).toString("base64") };
      const dataDir = keptDataDir();
      const before = await startTestServer({ dataDir, keepData: true, env: secretKey });
      const space = await createSpace(before);
      const token = await userToken(before, space, "replicated@example.com", ["member"]);
      await before.close();
      const old = await asAnEarlierVersionLeftIt(dataDir, Date.now() - 10 * 24 * HOUR);
      const signedBefore = await signedWith(old, token, Date.now());

      const env = { ...secretKey, DATABASE_URL: testDatabaseUrl(dataDir) };
      const replicas = await Promise.all([1, 2, 3].map(() => started(startTestServer({ env }))));
      const published = await Promise.all(replicas.map(jwksKids));
      expect(published[0]).toHaveLength(2);
      expect(published[1]).toEqual(published[0]);
      expect(published[2]).toEqual(published[0]);
      for (const replica of replicas) expect(await status(replica, space, signedBefore)).toBe(200);
      expect(await serverEvents(replicas[0]!, "signingKey/sealed")).toHaveLength(1);
      expect(await serverEvents(replicas[0]!, "signingKey/rotated")).toHaveLength(1);
      expect(await dumpDatabase(dataDir)).not.toMatch(PRIVATE_JWK);
    });
  });
});
