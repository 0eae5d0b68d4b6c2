import { resolve } from "node:path";
import { describeMillis, nanosToMillis, parseGoDuration } from "./domain/duration.js";
import { isDomainError } from "./domain/errors.js";
import { parseOutboundAllowList } from "./integrations/outbound/address-policy.js";

/**
 * Configuration, read from the environment once at start. This is the only module that reads
 * `process.env`. Every bad variable is reported at once, with what is expected, and the
 * result is frozen.
 */
export interface Config {
  host: string;
  port: number;
  /** Where users reach this server (links in Slack messages, the Slack app's URLs); null: the address it listens on. */
  publicUrl: string | null;
  dataDir: string;
  /** The bootstrap admin token, when set in the environment rather than generated. */
  adminToken: string | null;
  logLevel: LogLevel;
  sqliteSynchronous: "full" | "normal";
  /** PostgreSQL instead of the embedded SQLite file (DATABASE_URL); null: SQLite in the data directory. */
  database: {
    url: string;
    /** Connections each server keeps at most. */
    poolMax: number;
    /** The longest one statement may run before PostgreSQL cancels it. */
    statementTimeoutMs: number;
  } | null;
  maxBodyBytes: number;
  grants: {
    defaultMs: number;
    maxMs: number;
    allowIndefinite: boolean;
  };
  wait: {
    /** How long `waitFor=decision` holds when the request names no timeout. */
    defaultMs: number;
    /** The longest a request may hold; longer timeouts are shortened to this. */
    maxMs: number;
  };
  /** How often the expiry job looks for due grants even when nothing woke it. */
  expiryPollMs: number;
  rateLimits: {
    /** Requests per minute one caller may make; 0 turns the limit off. */
    perCallerPerMinute: number;
    /** Failed authentications per minute from one address before it gets 429. */
    authFailuresPerMinute: number;
  };
  /** Which proxies may tell the client's address: false, true, a hop count, or addresses/CIDRs. */
  trustProxy: boolean | number | string[];
  tokens: {
    /** The `iss` of access tokens this server signs, and the only one it accepts. */
    issuer: string;
    /** Lifetime of an access token exchanged for a refresh token (at most an hour). */
    accessTtlMs: number;
    /** Default and longest lifetime of a minted user token (at most a day). */
    userTtlMs: number;
    userMaxTtlMs: number;
    /** Token exchanges per minute from one client address. */
    exchangesPerMinute: number;
    /** How long a signing key signs before a new one replaces it; null: only when rotated by hand. */
    signingKeyRotationMs: number | null;
    /** How often each server re-reads the signing keys and checks whether a rotation is due. */
    signingKeyPollMs: number;
  };
  policies: {
    /** The pending timeout of petitions whose policy names none; null for never. */
    defaultPendingTimeoutMs: number | null;
    /** How often pending timeouts and escalations are checked when nothing is due sooner. */
    timerPollMs: number;
    onCallTimeoutMs: number;
    onCallCacheMs: number;
    decisionTimeoutMs: number;
    /** A policy file (YAML or JSON) for the default space, applied at start when it differs. */
    file: string | null;
  };
  /** The key that seals stored secrets (32 bytes); null: `secret.key` in the data directory. */
  secretKey: Buffer | null;
  /** Keys that sealed stored secrets before `secretKey`: still opened, and sealed again with it at start. */
  secretKeysPrevious: Buffer[];
  /** Private destinations outbound requests may reach anyway (GREENLIGHT_OUTBOUND_ALLOW), as written. */
  outboundAllow: string;
  delivery: {
    schedule: number[];
    timeoutMs: number;
    concurrency: number;
    perReceiver: number;
    pollMs: number;
  };
  /** Signing in in the browser. */
  web: {
    /** The identity provider (OpenID Connect); null: sign-in links only. */
    oidc: { issuer: string; clientId: string; clientSecret: string | null } | null;
    /** How long a browser session lasts. */
    sessionTtlMs: number;
    /** How recent a strong sign-in (identity provider or passkey) must be to approve a high-risk petition. */
    stepUpMaxAgeMs: number;
  };
  pulls: {
    /** How long a pull webhook may take to answer: directories are big. */
    timeoutMs: number;
    /** How often pull policies are checked when nothing is due sooner. */
    pollMs: number;
  };
  audit: {
    /** Signed checkpoints of the audit log: after this many events, or this long, whichever comes first. */
    checkpointEveryEvents: number;
    checkpointIntervalMs: number;
    /** The shortest retention a space may set; events are never pruned sooner, whatever a space set before. */
    minRetentionMs: number;
  };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every variable, its default and what it means: the configuration reference (docs/reference/configuration.md) is generated from it. */
export const ENVIRONMENT = {
  GREENLIGHT_HOST: { default: "127.0.0.1", help: "address to listen on (0.0.0.0 for all interfaces)" },
  GREENLIGHT_PORT: { default: "8787", help: "port to listen on (0 picks a free one)" },
  GREENLIGHT_PUBLIC_URL: {
    default: "",
    help: "the URL people and Slack reach this server at, e.g. https://greenlight.example.com: links in Slack messages and the Slack app's URLs use it",
  },
  GREENLIGHT_DATA_DIR: { default: "./.greenlight", help: "directory of the embedded database (greenlight.db); one server per directory" },
  GREENLIGHT_ADMIN_TOKEN: {
    default: "",
    help: "bootstrap admin token, at least 16 characters; when unset, one is generated on first start and only its hash is kept",
  },
  GREENLIGHT_LOG_LEVEL: { default: "info", help: "fatal, error, warn, info, debug, trace or silent (JSON logs on stdout)" },
  GREENLIGHT_SQLITE_SYNCHRONOUS: {
    default: "full",
    help: "full: every commit is on disk before it is acknowledged; normal: survives a killed process but may lose the last commits on power loss",
  },
  DATABASE_URL: {
    default: "",
    help: "postgres://user:password@host:5432/greenlight to keep state in PostgreSQL (several replicas may share it); by default SQLite in the data directory",
  },
  GREENLIGHT_DATABASE_POOL_MAX: { default: "10", help: "PostgreSQL connections one server keeps at most" },
  GREENLIGHT_DATABASE_STATEMENT_TIMEOUT: {
    default: "30s",
    help: "the longest one PostgreSQL statement may run, and a transaction may sit idle, before the database ends it",
  },
  GREENLIGHT_MAX_BODY_BYTES: { default: "1048576", help: "largest request body accepted" },
  GREENLIGHT_DEFAULT_GRANT_DURATION: { default: "1h", help: "grant length when an approval names none" },
  GREENLIGHT_MAX_GRANT_DURATION: { default: "720h", help: "longest grant an approval may give" },
  GREENLIGHT_ALLOW_INDEFINITE_GRANTS: { default: "true", help: "whether an approval may grant access until revoked" },
  GREENLIGHT_WAIT_DEFAULT: { default: "30s", help: "how long waitFor=decision holds without a timeout" },
  GREENLIGHT_WAIT_MAX: { default: "60s", help: "the longest waitFor=decision holds" },
  GREENLIGHT_EXPIRY_POLL_INTERVAL: {
    default: "5s",
    help: "how often expiry is checked when nothing is due sooner (a new grant wakes the job for its own expiry)",
  },
  GREENLIGHT_RATE_LIMIT: { default: "6000", help: "requests per minute one caller (token) may make; 0 turns the limit off" },
  GREENLIGHT_AUTH_FAILURE_LIMIT: {
    default: "20",
    help: "failed authentications per minute from one client address before it is answered 429",
  },
  GREENLIGHT_ISSUER: {
    default: "greenlight",
    help: "the iss claim of access tokens this server signs (set it to the server's public URL)",
  },
  GREENLIGHT_ACCESS_TOKEN_TTL: { default: "1h", help: "lifetime of access tokens exchanged for refresh tokens (at most 1h)" },
  GREENLIGHT_USER_TOKEN_TTL: { default: "8h", help: "lifetime of minted user tokens when the request names none (at most 24h)" },
  GREENLIGHT_USER_TOKEN_MAX_TTL: { default: "24h", help: "the longest lifetime a minted user token may ask for (at most 24h)" },
  GREENLIGHT_TOKEN_EXCHANGE_LIMIT: { default: "60", help: "token exchanges per minute from one client address" },
  GREENLIGHT_SIGNING_KEY_ROTATION: {
    default: "2160h",
    help: "how long a key signs access tokens and receipts before a new one, published an hour earlier, replaces it (90 days; at least 24h); 0 for only when rotated by hand",
  },
  GREENLIGHT_SIGNING_KEY_POLL_INTERVAL: {
    default: "1m",
    help: "how often each server re-reads the signing keys and checks whether a rotation is due (at most 10m)",
  },
  GREENLIGHT_PENDING_TIMEOUT: {
    default: "3h",
    help: "how long a petition may wait for a decision before it closes as timed out, unless its policy says otherwise; 0 for never",
  },
  GREENLIGHT_TIMER_POLL_INTERVAL: {
    default: "5s",
    help: "how often pending timeouts and escalations are checked when nothing is due sooner (a new petition wakes the job for its own)",
  },
  GREENLIGHT_ONCALL_TIMEOUT: { default: "3s", help: "how long one call to an on-call provider may take; a slower one has no opinion" },
  GREENLIGHT_ONCALL_CACHE: { default: "60s", help: "how long an on-call provider's answer is reused" },
  GREENLIGHT_DECISION_TIMEOUT: { default: "5s", help: "how long one call to a decision webhook may take; a slower one has no opinion" },
  GREENLIGHT_POLICY_FILE: {
    default: "",
    help: "a policy file (YAML or JSON) for the default space, applied at start when it differs from the stored policy; an invalid file stops the start, naming the line",
  },
  GREENLIGHT_SECRET_KEY: {
    default: "",
    help: "base64 of 32 random bytes (openssl rand -base64 32) that encrypt the token and audit signing keys, stored webhook secrets, header values, on-call API keys and Slack tokens; by default secret.key in the data directory, made on first start (back it up with the database)",
  },
  GREENLIGHT_SECRET_KEY_PREVIOUS: {
    default: "",
    help: "when changing the secret key: the keys it replaces (comma-separated base64); what they sealed is sealed again with the current key at start",
  },
  GREENLIGHT_OUTBOUND_ALLOW: {
    default: "",
    help: "private destinations webhooks, subscriptions and on-call providers may reach anyway: loopback, private, CIDRs (10.0.0.0/8) or host names, comma-separated",
  },
  GREENLIGHT_DELIVERY_SCHEDULE: {
    default: "5s,5m,30m,2h,5h,10h,10h,16h,16h,16h",
    help: "waits between delivery attempts (about three days in all); a delivery still failing after the last has failed",
  },
  GREENLIGHT_DELIVERY_TIMEOUT: { default: "15s", help: "how long one delivery attempt may take, the receiver's answer included" },
  GREENLIGHT_DELIVERY_CONCURRENCY: { default: "32", help: "deliveries in flight at once" },
  GREENLIGHT_DELIVERY_PER_RECEIVER: { default: "4", help: "deliveries in flight at once to one receiver" },
  GREENLIGHT_DELIVERY_POLL_INTERVAL: { default: "1s", help: "how often the outbox is looked at when nothing woke the sender" },
  GREENLIGHT_PULL_TIMEOUT: { default: "120s", help: "how long a pullUpdate webhook may take to answer with its resources" },
  GREENLIGHT_PULL_POLL_INTERVAL: { default: "30s", help: "how often pull policies' schedules are checked when nothing is due sooner" },
  GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: { default: "1000", help: "a signed checkpoint of a space's audit log after this many new events" },
  GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: { default: "5m", help: "and at least this often while events are written" },
  GREENLIGHT_AUDIT_MIN_RETENTION: {
    default: "2160h",
    help: "the shortest audit retention a space's admins may set (90 days by default; at least 24h); events are never removed sooner",
  },
  GREENLIGHT_OIDC_ISSUER: {
    default: "",
    help: "the OpenID Connect provider people sign in with in the browser (its issuer URL); none by default: sign-in links only",
  },
  GREENLIGHT_OIDC_CLIENT_ID: {
    default: "",
    help: "Greenlight's client id at the OpenID Connect provider (its redirect URI is $GREENLIGHT_PUBLIC_URL/auth/callback)",
  },
  GREENLIGHT_OIDC_CLIENT_SECRET: {
    default: "",
    help: "Greenlight's client secret at the OpenID Connect provider; none for a public client (PKCE is used either way)",
  },
  GREENLIGHT_SESSION_TTL: { default: "12h", help: "how long a browser session lasts (at most 7 days)" },
  GREENLIGHT_STEP_UP_MAX_AGE: {
    default: "10m",
    help: "how recent a sign-in with the identity provider or a passkey must be to approve a high-risk petition (1m to 1h)",
  },
  GREENLIGHT_TRUST_PROXY: {
    default: "false",
    help: "whether X-Forwarded-For names the client: false, true, a number of proxy hops, or comma-separated proxy addresses/CIDRs",
  },
} as const;

type Variable = keyof typeof ENVIRONMENT;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Record<Variable, string>> = {}): Config {
  const problems: string[] = [];
  const raw = (name: Variable): string => overrides[name] ?? env[name] ?? ENVIRONMENT[name].default;
  const attempt = <T>(name: Variable, parse: (text: string) => T, fallback: T): T => {
    try {
      return parse(raw(name).trim());
    } catch (error) {
      problems.push(
        `${name}=${JSON.stringify(raw(name))}: ${isDomainError(error) || error instanceof Error ? error.message : String(error)}`,
      );
      return fallback;
    }
  };

  const adminToken = raw("GREENLIGHT_ADMIN_TOKEN");
  if (adminToken !== "" && adminToken.length < 16)
    problems.push("GREENLIGHT_ADMIN_TOKEN: must be at least 16 characters; use a long random value");

  const config: Config = {
    host: attempt("GREENLIGHT_HOST", (t) => nonEmpty(t), "127.0.0.1"),
    port: attempt("GREENLIGHT_PORT", (t) => integerIn(t, 0, 65535), 8787),
    publicUrl: attempt("GREENLIGHT_PUBLIC_URL", publicUrl, null),
    dataDir: resolve(attempt("GREENLIGHT_DATA_DIR", (t) => nonEmpty(t), ".greenlight")),
    adminToken: adminToken === "" ? null : adminToken,
    logLevel: attempt("GREENLIGHT_LOG_LEVEL", (t) => oneOf(t, LOG_LEVELS), "info"),
    sqliteSynchronous: attempt("GREENLIGHT_SQLITE_SYNCHRONOUS", (t) => oneOf(t, ["full", "normal"] as const), "full"),
    database: databaseSettings(attempt("DATABASE_URL", databaseUrl, null), () => ({
      poolMax: attempt("GREENLIGHT_DATABASE_POOL_MAX", (t) => integerIn(t, 1, 1000), 10),
      statementTimeoutMs: attempt("GREENLIGHT_DATABASE_STATEMENT_TIMEOUT", positiveDuration, 30_000),
    })),
    maxBodyBytes: attempt("GREENLIGHT_MAX_BODY_BYTES", (t) => integerIn(t, 1024, 64 * 1024 * 1024), 1048576),
    grants: {
      defaultMs: attempt("GREENLIGHT_DEFAULT_GRANT_DURATION", positiveDuration, 3_600_000),
      maxMs: attempt("GREENLIGHT_MAX_GRANT_DURATION", positiveDuration, 720 * 3_600_000),
      allowIndefinite: attempt("GREENLIGHT_ALLOW_INDEFINITE_GRANTS", boolean, true),
    },
    wait: {
      defaultMs: attempt("GREENLIGHT_WAIT_DEFAULT", positiveDuration, 30_000),
      maxMs: attempt("GREENLIGHT_WAIT_MAX", positiveDuration, 60_000),
    },
    expiryPollMs: attempt("GREENLIGHT_EXPIRY_POLL_INTERVAL", positiveDuration, 5_000),
    rateLimits: {
      perCallerPerMinute: attempt("GREENLIGHT_RATE_LIMIT", (t) => integerIn(t, 0, 100_000_000), 6000),
      authFailuresPerMinute: attempt("GREENLIGHT_AUTH_FAILURE_LIMIT", (t) => integerIn(t, 1, 1_000_000), 20),
    },
    trustProxy: attempt("GREENLIGHT_TRUST_PROXY", trustProxy, false),
    tokens: {
      issuer: attempt("GREENLIGHT_ISSUER", (t) => nonEmpty(t), "greenlight"),
      accessTtlMs: attempt("GREENLIGHT_ACCESS_TOKEN_TTL", (t) => durationUpTo(t, HOUR), HOUR),
      userTtlMs: attempt("GREENLIGHT_USER_TOKEN_TTL", (t) => durationUpTo(t, DAY), 8 * HOUR),
      userMaxTtlMs: attempt("GREENLIGHT_USER_TOKEN_MAX_TTL", (t) => durationUpTo(t, DAY), DAY),
      exchangesPerMinute: attempt("GREENLIGHT_TOKEN_EXCHANGE_LIMIT", (t) => integerIn(t, 1, 1_000_000), 60),
      signingKeyRotationMs: attempt("GREENLIGHT_SIGNING_KEY_ROTATION", keyRotationPeriod, 90 * DAY),
      // A successor is published an hour before it signs: every server must read the keys within it.
      signingKeyPollMs: attempt(
        "GREENLIGHT_SIGNING_KEY_POLL_INTERVAL",
        (t) => durationUpTo(t, 10 * MINUTE, "the servers must see a new key well before it signs"),
        MINUTE,
      ),
    },
    policies: {
      defaultPendingTimeoutMs: attempt("GREENLIGHT_PENDING_TIMEOUT", durationOrNever, 3 * HOUR),
      timerPollMs: attempt("GREENLIGHT_TIMER_POLL_INTERVAL", positiveDuration, 5_000),
      onCallTimeoutMs: attempt("GREENLIGHT_ONCALL_TIMEOUT", positiveDuration, 3_000),
      onCallCacheMs: attempt("GREENLIGHT_ONCALL_CACHE", positiveDuration, 60_000),
      decisionTimeoutMs: attempt("GREENLIGHT_DECISION_TIMEOUT", positiveDuration, 5_000),
      file: raw("GREENLIGHT_POLICY_FILE").trim() === "" ? null : resolve(raw("GREENLIGHT_POLICY_FILE").trim()),
    },
    secretKey: attempt("GREENLIGHT_SECRET_KEY", secretKey, null),
    secretKeysPrevious: attempt("GREENLIGHT_SECRET_KEY_PREVIOUS", previousSecretKeys, []),
    outboundAllow: attempt(
      "GREENLIGHT_OUTBOUND_ALLOW",
      (t) => {
        parseOutboundAllowList(t);
        return t;
      },
      "",
    ),
    delivery: {
      schedule: attempt("GREENLIGHT_DELIVERY_SCHEDULE", durationList, []),
      timeoutMs: attempt("GREENLIGHT_DELIVERY_TIMEOUT", positiveDuration, 15_000),
      concurrency: attempt("GREENLIGHT_DELIVERY_CONCURRENCY", (t) => integerIn(t, 1, 1000), 32),
      perReceiver: attempt("GREENLIGHT_DELIVERY_PER_RECEIVER", (t) => integerIn(t, 1, 100), 4),
      pollMs: attempt("GREENLIGHT_DELIVERY_POLL_INTERVAL", positiveDuration, 1000),
    },
    web: {
      oidc: attempt(
        "GREENLIGHT_OIDC_ISSUER",
        (t) => oidcSettings(t, raw("GREENLIGHT_OIDC_CLIENT_ID").trim(), raw("GREENLIGHT_OIDC_CLIENT_SECRET").trim()),
        null,
      ),
      sessionTtlMs: attempt("GREENLIGHT_SESSION_TTL", (t) => durationUpTo(t, 7 * DAY), 12 * HOUR),
      stepUpMaxAgeMs: attempt("GREENLIGHT_STEP_UP_MAX_AGE", stepUpMaxAge, 10 * 60_000),
    },
    pulls: {
      timeoutMs: attempt("GREENLIGHT_PULL_TIMEOUT", positiveDuration, 120_000),
      pollMs: attempt("GREENLIGHT_PULL_POLL_INTERVAL", positiveDuration, 30_000),
    },
    audit: {
      checkpointEveryEvents: attempt("GREENLIGHT_AUDIT_CHECKPOINT_EVENTS", (t) => integerIn(t, 1, 1_000_000), 1000),
      checkpointIntervalMs: attempt("GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL", positiveDuration, 300_000),
      minRetentionMs: attempt("GREENLIGHT_AUDIT_MIN_RETENTION", (t) => durationAtLeast(t, DAY), 90 * DAY),
    },
  };
  if (config.tokens.userTtlMs > config.tokens.userMaxTtlMs) {
    problems.push("GREENLIGHT_USER_TOKEN_TTL is longer than GREENLIGHT_USER_TOKEN_MAX_TTL");
  }
  if (config.grants.defaultMs > config.grants.maxMs) {
    problems.push(
      `GREENLIGHT_DEFAULT_GRANT_DURATION (${describeMillis(config.grants.defaultMs)}) is longer than GREENLIGHT_MAX_GRANT_DURATION (${describeMillis(config.grants.maxMs)})`,
    );
  }
  if (config.wait.defaultMs > config.wait.maxMs) problems.push("GREENLIGHT_WAIT_DEFAULT is longer than GREENLIGHT_WAIT_MAX");
  if (problems.length > 0) throw new ConfigError(problems);
  return deepFreeze(config);
}

function publicUrl(text: string): string | null {
  if (text === "") return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error("expected an absolute http or https URL, such as https://greenlight.example.com");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("expected an http or https URL");
  if (url.search !== "" || url.hash !== "") throw new Error("must have no query or fragment");
  return url.href.replace(/\/+$/, "");
}

/** The PostgreSQL settings, read only when a URL is given. */
function databaseSettings(url: string | null, rest: () => { poolMax: number; statementTimeoutMs: number }): Config["database"] {
  return url === null ? null : { url, ...rest() };
}

/** A PostgreSQL connection URL, or null for the embedded store. */
function databaseUrl(text: string): string | null {
  if (text === "") return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error("expected a PostgreSQL URL such as postgres://greenlight:secret@db.internal:5432/greenlight");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new Error("expected a postgres:// or postgresql:// URL");
  return text;
}

function oidcSettings(issuer: string, clientId: string, clientSecret: string): Config["web"]["oidc"] {
  if (issuer === "") {
    if (clientId !== "") throw new Error("GREENLIGHT_OIDC_CLIENT_ID is set but the issuer is not; set both");
    return null;
  }
  if (publicUrl(issuer) === null) throw new Error("expected the provider's issuer URL");
  if (clientId === "") throw new Error("GREENLIGHT_OIDC_CLIENT_ID must be set too");
  return { issuer, clientId, clientSecret: clientSecret === "" ? null : clientSecret };
}

function nonEmpty(text: string): string {
  if (text === "") throw new Error("must not be empty");
  return text;
}

function integerIn(text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new Error(`expected a whole number from ${min} to ${max}`);
  return n;
}

function oneOf<T extends string>(text: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(text)) throw new Error(`expected one of ${values.join(", ")}`);
  return text as T;
}

function boolean(text: string): boolean {
  if (text === "true" || text === "1") return true;
  if (text === "false" || text === "0") return false;
  throw new Error("expected true or false");
}

function trustProxy(text: string): boolean | number | string[] {
  if (text === "true" || text === "false") return text === "true";
  if (/^\d+$/.test(text)) return integerIn(text, 1, 100);
  const addresses = text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean);
  if (addresses.length === 0 || addresses.some((a) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(a))) {
    throw new Error('expected true, false, a number of hops, or comma-separated addresses such as "10.0.0.0/8,127.0.0.1"');
  }
  return addresses;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function durationUpTo(text: string, maxMs: number, why = "tokens are meant to be short-lived"): number {
  const ms = positiveDuration(text);
  if (ms > maxMs) throw new Error(`must be at most ${describeMillis(maxMs)}: ${why}`);
  return ms;
}

/** At least a day: a new key is published an hour before it signs, and each key should sign for a while. */
function keyRotationPeriod(text: string): number | null {
  if (text === "0") return null;
  const ms = positiveDuration(text);
  if (ms < DAY) throw new Error('must be at least 24h (such as "2160h" for 90 days), or 0 to rotate only by hand');
  return ms;
}

/** A sign-in older than an hour is not fresh; under a minute, nobody could approve after signing in. */
function stepUpMaxAge(text: string): number {
  const ms = positiveDuration(text);
  if (ms < 60_000 || ms > HOUR) throw new Error("must be from 1m to 1h: how recent a sign-in must be to approve high-risk petitions");
  return ms;
}

function durationAtLeast(text: string, minMs: number): number {
  const ms = positiveDuration(text);
  if (ms < minMs) throw new Error(`must be at least ${describeMillis(minMs)}: an auditor's question about yesterday must have an answer`);
  return ms;
}

function positiveDuration(text: string): number {
  const ms = nanosToMillis(parseGoDuration(text));
  if (ms <= 0) throw new Error('expected a positive duration such as "30s" or "1h"');
  return ms;
}

function durationList(text: string): number[] {
  const parts = text.split(",").map((part) => part.trim());
  if (parts.length === 0 || parts.length > 50 || parts.some((part) => part === "")) {
    throw new Error('expected 1 to 50 comma-separated durations, such as "5s,5m,30m,2h"');
  }
  return parts.map((part) => positiveDuration(part));
}

function durationOrNever(text: string): number | null {
  if (text === "0") return null;
  const ms = positiveDuration(text);
  if (ms < 1000) throw new Error("must be at least 1s, or 0 for never");
  return ms;
}

function secretKey(text: string): Buffer | null {
  if (text === "") return null;
  const key = Buffer.from(text, "base64");
  if (key.length !== 32 || key.toString("base64").replace(/=+$/, "") !== text.replace(/=+$/, "")) {
    throw new Error("expected base64 of exactly 32 bytes, e.g. the output of `openssl rand -base64 32`");
  }
  return key;
}

function previousSecretKeys(text: string): Buffer[] {
  if (text === "") return [];
  return text.split(",").map((part) => {
    const key = secretKey(part.trim());
    if (key === null) throw new Error("expected comma-separated keys, each base64 of exactly 32 bytes");
    return key;
  });
}

function deepFreeze<T>(value: T): T {
  if (Buffer.isBuffer(value)) return value;
  if (value && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
