import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ENVIRONMENT, loadConfig } from "../../src/config.js";

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("has a working default for every variable", () => {
    const config = loadConfig({});
    expect(config.host).toBe("127.0.0.1");
    expect(config.port).toBe(8787);
    expect(config.dataDir).toBe(resolve(".greenlight"));
    expect(config.adminToken).toBeNull();
    expect(config.sqliteSynchronous).toBe("full");
    expect(config.grants).toEqual({ defaultMs: 3_600_000, maxMs: 720 * 3_600_000, allowIndefinite: true });
    expect(config.wait).toEqual({ defaultMs: 30_000, maxMs: 60_000 });
    expect(config.rateLimits).toEqual({ perCallerPerMinute: 6000, authFailuresPerMinute: 20 });
    expect(config.trustProxy).toBe(false);
    expect(Object.isFrozen(config.grants)).toBe(true);
  });

  it("keeps audit events at least 90 days unless the operator sets another floor, never under a day", () => {
    expect(loadConfig({}).audit.minRetentionMs).toBe(90 * 24 * 3_600_000);
    expect(loadConfig({ GREENLIGHT_AUDIT_MIN_RETENTION: "720h" }).audit.minRetentionMs).toBe(720 * 3_600_000);
    expect(problemsOf({ GREENLIGHT_AUDIT_MIN_RETENTION: "1h" })).toEqual([
      'GREENLIGHT_AUDIT_MIN_RETENTION="1h": must be at least 24h: an auditor\'s question about yesterday must have an answer',
    ]);
  });

  it("selects PostgreSQL with DATABASE_URL, and SQLite without it", () => {
    expect(loadConfig({}).database).toBeNull();
    expect(loadConfig({ DATABASE_URL: "postgres://gl:secret@db.internal:5432/greenlight" }).database).toEqual({
      url: "postgres://gl:secret@db.internal:5432/greenlight",
      poolMax: 10,
      statementTimeoutMs: 30_000,
    });
    expect(
      loadConfig({ DATABASE_URL: "postgresql://db/gl", GREENLIGHT_DATABASE_POOL_MAX: "3", GREENLIGHT_DATABASE_STATEMENT_TIMEOUT: "5s" })
        .database,
    ).toMatchObject({ poolMax: 3, statementTimeoutMs: 5_000 });
    expect(problemsOf({ DATABASE_URL: "mysql://db/gl" })).toEqual([expect.stringMatching(/^DATABASE_URL=.*postgres:\/\//)]);
    expect(problemsOf({ DATABASE_URL: "postgres://db/gl", GREENLIGHT_DATABASE_POOL_MAX: "0" })).toEqual([
      expect.stringMatching(/^GREENLIGHT_DATABASE_POOL_MAX=/),
    ]);
  });

  it("takes how recent a sign-in must be for high-risk approvals, from 1m to 1h", () => {
    expect(loadConfig({}).web.stepUpMaxAgeMs).toBe(10 * 60_000);
    expect(loadConfig({ GREENLIGHT_STEP_UP_MAX_AGE: "5m" }).web.stepUpMaxAgeMs).toBe(5 * 60_000);
    for (const bad of ["30s", "2h", "soon"]) {
      expect(problemsOf({ GREENLIGHT_STEP_UP_MAX_AGE: bad })).toEqual([expect.stringMatching(/^GREENLIGHT_STEP_UP_MAX_AGE=/)]);
    }
  });

  it("documents every variable it reads", () => {
    for (const name of Object.keys(ENVIRONMENT)) expect(ENVIRONMENT[name as keyof typeof ENVIRONMENT].help.length).toBeGreaterThan(5);
  });

  it("reads durations as Go durations and the proxy setting in each of its forms", () => {
    const config = loadConfig({
      GREENLIGHT_DEFAULT_GRANT_DURATION: "90m",
      GREENLIGHT_MAX_GRANT_DURATION: "24h",
      GREENLIGHT_TRUST_PROXY: "2",
    });
    expect(config.grants.defaultMs).toBe(90 * 60_000);
    expect(config.grants.maxMs).toBe(24 * 3_600_000);
    expect(config.trustProxy).toBe(2);
    expect(loadConfig({ GREENLIGHT_TRUST_PROXY: "true" }).trustProxy).toBe(true);
    expect(loadConfig({ GREENLIGHT_TRUST_PROXY: "10.0.0.0/8, 127.0.0.1" }).trustProxy).toEqual(["10.0.0.0/8", "127.0.0.1"]);
    expect(loadConfig({ GREENLIGHT_RATE_LIMIT: "0" }).rateLimits.perCallerPerMinute).toBe(0);
  });

  it("reports every bad variable at once, naming each", () => {
    const problems = problemsOf({
      GREENLIGHT_PORT: "http",
      GREENLIGHT_ADMIN_TOKEN: "short",
      GREENLIGHT_MAX_GRANT_DURATION: "2d",
      GREENLIGHT_TRUST_PROXY: "the load balancer",
      GREENLIGHT_RATE_LIMIT: "-1",
      GREENLIGHT_AUTH_FAILURE_LIMIT: "0",
    });
    const named = problems.map((p) => p.split(/[=:]/)[0]);
    expect(named.sort()).toEqual(
      [
        "GREENLIGHT_ADMIN_TOKEN",
        "GREENLIGHT_AUTH_FAILURE_LIMIT",
        "GREENLIGHT_MAX_GRANT_DURATION",
        "GREENLIGHT_PORT",
        "GREENLIGHT_RATE_LIMIT",
        "GREENLIGHT_TRUST_PROXY",
      ].sort(),
    );
    expect(problems.find((p) => p.startsWith("GREENLIGHT_MAX_GRANT_DURATION"))).toMatch(/days are not a unit/);
  });

  it("rotates the signing keys every 90 days by default, only by hand with 0, and never sooner than daily", () => {
    expect(loadConfig({}).tokens).toMatchObject({ signingKeyRotationMs: 90 * 24 * 3_600_000, signingKeyPollMs: 60_000 });
    expect(loadConfig({ GREENLIGHT_SIGNING_KEY_ROTATION: "0" }).tokens.signingKeyRotationMs).toBeNull();
    expect(loadConfig({ GREENLIGHT_SIGNING_KEY_ROTATION: "720h" }).tokens.signingKeyRotationMs).toBe(30 * 24 * 3_600_000);
    expect(problemsOf({ GREENLIGHT_SIGNING_KEY_ROTATION: "1h" })).toEqual([
      expect.stringMatching(/^GREENLIGHT_SIGNING_KEY_ROTATION=.*24h/),
    ]);
    expect(problemsOf({ GREENLIGHT_SIGNING_KEY_POLL_INTERVAL: "1h" })).toEqual([
      expect.stringMatching(/^GREENLIGHT_SIGNING_KEY_POLL_INTERVAL=.*at most 10m/),
    ]);
  });

  it("reads the secret keys being replaced, each base64 of 32 bytes", () => {
    const [a, b] = [Buffer.alloc(32, 1), Buffer.alloc(32, 2)];
    expect(loadConfig({}).secretKeysPrevious).toEqual([]);
    expect(loadConfig({ GREENLIGHT_SECRET_KEY_PREVIOUS: `${a.toString("base64")}, ${b.toString("base64")}` }).secretKeysPrevious).toEqual([
      a,
      b,
    ]);
    expect(problemsOf({ GREENLIGHT_SECRET_KEY_PREVIOUS: `${a.toString("base64")},short` })).toEqual([
      expect.stringMatching(/^GREENLIGHT_SECRET_KEY_PREVIOUS=.*32 bytes/),
    ]);
  });

  it("refuses a default grant longer than the maximum", () => {
    expect(problemsOf({ GREENLIGHT_DEFAULT_GRANT_DURATION: "48h", GREENLIGHT_MAX_GRANT_DURATION: "24h" })[0]).toMatch(
      /GREENLIGHT_DEFAULT_GRANT_DURATION .* longer than GREENLIGHT_MAX_GRANT_DURATION/,
    );
  });
});
