import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import BetterSqlite3 from "better-sqlite3";
import { decodeJwt, importJWK, SignJWT, type JWK, type JWTPayload } from "jose";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig, startServer, type RunningServer } from "../../src/index.js";
import { loadSecretKey, SecretBox } from "../../src/store/secret-box.js";
import { expectEnvelope } from "./envelope.js";
import { tempDataDir, TEST_TOKEN } from "./harness.js";
import { bearer } from "./identity-fixtures.js";

// A server with its logs captured at the most verbose level, so the test can look for secrets in them.
let server: RunningServer;
let dataDir: string;
let logs = "";
const admin = bearer(TEST_TOKEN);

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = admin) {
  const response = await server.app.inject({
    method: method as "GET",
    url: path,
    headers: { ...headers, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

let space: string;
let other: string;
let valid: string;
let refreshToken: string;
let accountId: string;

beforeAll(async () => {
  dataDir = tempDataDir();
  const sink = new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) });
  const config = loadConfig(
    {},
    { GREENLIGHT_PORT: "0", GREENLIGHT_DATA_DIR: dataDir, GREENLIGHT_ADMIN_TOKEN: TEST_TOKEN, GREENLIGHT_AUTH_FAILURE_LIMIT: "100000" },
  );
  server = await startServer(config, { logger: pino({ level: "trace" }, sink) });
  space = `attack-${Date.now().toString(36)}`;
  other = `${space}-other`;
  for (const name of [space, other]) await call("POST", "/v1/spaces", { space: { name } });
  const account = await call("POST", `/v1/spaces/${space}/serviceAccounts`, { serviceAccount: { name: "target", roles: ["admin"] } });
  accountId = account.body.serviceAccountId;
  const token = await call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: accountId });
  refreshToken = token.body.refreshToken;
  valid = (await call("POST", "/v1/auth/token", { refresh_token: refreshToken }, {})).body.access_token;
});
afterAll(async () => {
  await server.close();
});

/**
 * The server's current signing key, read from its database and opened with its secret key, as
 * an attacker holding both could: the worst case, so each claim below is refused for itself.
 */
async function signingKey() {
  const db = new BetterSqlite3(join(dataDir, "greenlight.db"), { readonly: true });
  try {
    const row = db.prepare("select kid, private_jwk_sealed from token_signing_keys where retired_at is null").get() as {
      kid: string;
      private_jwk_sealed: string;
    };
    const box = new SecretBox(loadSecretKey(null, dataDir));
    const jwk = JSON.parse(box.open(row.private_jwk_sealed, `signing-key:${row.kid}`)) as JWK;
    return { key: await importJWK(jwk, "ES256"), kid: jwk.kid! };
  } finally {
    db.close();
  }
}

/** A token signed with the server's own key, with the valid token's claims changed as given. */
async function forge(changes: JWTPayload, header: Record<string, unknown> = {}): Promise<string> {
  const { key, kid } = await signingKey();
  const claims = { ...decodeJwt(valid), ...changes };
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid, typ: "at+jwt", ...header }).sign(key);
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("access tokens that must not be accepted", () => {
  it("accepts the genuine one (so the cases below fail for their own reason)", async () => {
    expect((await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(valid))).status).toBe(200);
    expect((await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(await forge({})))).status).toBe(200);
  });

  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ["expired", () => forge({ exp: now() - 60, iat: now() - 3660, nbf: now() - 3660 }), /expired/],
    ["not yet valid", () => forge({ nbf: now() + 600, iat: now() + 600, exp: now() + 4200 }), /not valid yet/],
    ["for another audience", () => forge({ aud: "someone-else" }), /audience/],
    ["from another issuer", () => forge({ iss: "https://evil.example.com" }), /issued by another server/],
    ["naming another space", () => forge({ space: other }), /not issued by this server/],
    ["naming another subject", () => forge({ sub: "admin@example.com" }), /not issued by this server/],
    ["naming a token record that does not exist", () => forge({ tid: "tok_00000000000000000000000000" }), /not issued by this server/],
    ["naming another service account", () => forge({ sa: "123456789012345" }), /deleted/],
    ["of another type", () => forge({}, { typ: "JWT" }), /not acceptable|well-formed/],
    [
      "without a signature algorithm (alg: none)",
      async () => `${b64({ alg: "none", typ: "at+jwt" })}.${b64(decodeJwt(valid))}.`,
      /not (a )?well-formed|not signed/,
    ],
    [
      "HS256-signed with the server's public key",
      async () => {
        const keys = (await call("GET", "/v1/auth/keys", undefined, {})).body.keys;
        const secret = new TextEncoder().encode(JSON.stringify(keys[0]));
        return new SignJWT(decodeJwt(valid)).setProtectedHeader({ alg: "HS256", typ: "at+jwt", kid: keys[0].kid }).sign(secret);
      },
      /not signed with ES256/,
    ],
    ["with its signature cut off", async () => valid.split(".").slice(0, 2).join(".") + ".", /well-formed|signature/],
    ["truncated", async () => valid.slice(0, valid.length - 10), /signature|well-formed/],
    ["with a flipped signature byte", async () => valid.slice(0, -2) + (valid.at(-2) === "A" ? "B" : "A") + valid.at(-1), /signature/],
    ["garbage", async () => "not.a.jwt", /well-formed/],
  ];

  it.each(cases)("refuses one %s with 401", async (_name, make, reason) => {
    const token = await make();
    const reply = await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(token));
    expectEnvelope({ status: reply.status, body: reply.body, headers: reply.headers }, 401, "UNAUTHENTICATED");
    expect(reply.body.error.message).toMatch(reason);
  });

  it.each([
    [
      "a mistyped admin token",
      "gla_OBtWsSVA0x9tFSx4_QNlYjfojL5kVuml85LlxJDIhhX",
      /not this server's admin token: compare it with the one printed/,
    ],
    ["a token from elsewhere", "sk-live-1234567890", /not recognised: .*check GREENLIGHT_API_TOKEN/],
  ])("refuses %s saying which token to check, not that it is a malformed JWT", async (_name, token, reason) => {
    const reply = await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(token));
    expectEnvelope({ status: reply.status, body: reply.body, headers: reply.headers }, 401, "UNAUTHENTICATED");
    expect(reply.body.error.message).toMatch(reason);
    expect(reply.body.error.message).not.toMatch(/JWT/);
  });

  it("refuses a refresh token used as an access token, saying what to do", async () => {
    const reply = await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(refreshToken));
    expect(reply.status).toBe(401);
    expect(reply.body.error.message).toMatch(/exchange it/);
  });
});

describe("refresh tokens that must not be exchanged", () => {
  it.each([
    ["garbage", "glr_nope"],
    ["one with a wrong secret", () => refreshToken.slice(0, -4) + "AAAA"],
    ["one for a record that does not exist", () => `glr_${"0".repeat(26)}_${refreshToken.slice(-43)}`],
    ["an access token", () => valid],
  ])("refuses %s with the same 401 as any other", async (_name, token) => {
    const reply = await call(
      "POST",
      "/v1/auth/token",
      { grant_type: "refresh_token", refresh_token: typeof token === "function" ? token() : token },
      {},
    );
    expect(reply.status).toBe(401);
    expect(reply.body.error.message).toMatch(/refresh token is not valid/);
  });

  it("refuses another grant type and a request with no token", async () => {
    expect((await call("POST", "/v1/auth/token", { grant_type: "password", refresh_token: refreshToken }, {})).status).toBe(400);
    expect((await call("POST", "/v1/auth/token", {}, {})).status).toBe(401);
  });
});

describe("secrets at rest and in logs", () => {
  it("keeps only digests in the database and never writes a refresh token or access token to the logs", async () => {
    // Failures are logged too: make some.
    await call("POST", "/v1/auth/token", { refresh_token: refreshToken.slice(0, -1) + "x" }, {});
    await call("GET", `/v1/spaces/${space}/petitions`, undefined, bearer(valid + "x"));
    const secret = refreshToken.slice(-43);
    const files = readdirSync(dataDir).filter((f) => f.startsWith("greenlight.db"));
    for (const file of files) expect(readFileSync(join(dataDir, file)).includes(Buffer.from(secret))).toBe(false);
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(valid.split(".")[2]!);
    expect(logs).not.toContain(TEST_TOKEN);
  });
});

describe("the exchange's rate limit", () => {
  it("answers 429 with Retry-After past the limit", async () => {
    const dir = tempDataDir();
    const limited = await startServer(
      loadConfig(
        {},
        {
          GREENLIGHT_PORT: "0",
          GREENLIGHT_DATA_DIR: dir,
          GREENLIGHT_ADMIN_TOKEN: TEST_TOKEN,
          GREENLIGHT_LOG_LEVEL: "silent",
          GREENLIGHT_TOKEN_EXCHANGE_LIMIT: "3",
        },
      ),
    );
    try {
      const statuses: number[] = [];
      let last;
      for (let i = 0; i < 5; i++) {
        last = await limited.app.inject({
          method: "POST",
          url: "/v1/auth/token",
          headers: { "content-type": "application/json" },
          payload: '{"refresh_token":"glr_x"}',
        });
        statuses.push(last.statusCode);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
      expect(last!.json().error.code).toBe("RATE_LIMITED");
      expect(Number(last!.headers["retry-after"])).toBeGreaterThan(0);
    } finally {
      await limited.close();
    }
  });
});
