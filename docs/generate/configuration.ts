import { ENVIRONMENT } from "../../packages/server/src/config.js";
import { Anchors, code, heading, page, slug, text } from "./markdown.js";

/** A variable as config.ts describes it. */
export interface Variable {
  default: string;
  help: string;
}

/**
 * The headings the variables are listed under, each naming its variables. A variable named in
 * none of them is still listed, under "Other", so a new one is never missing from the page.
 */
export const GROUPS: readonly { title: string; variables: readonly string[] }[] = [
  {
    title: "Server",
    variables: [
      "GREENLIGHT_HOST",
      "GREENLIGHT_PORT",
      "GREENLIGHT_PUBLIC_URL",
      "GREENLIGHT_DATA_DIR",
      "GREENLIGHT_ADMIN_TOKEN",
      "GREENLIGHT_LOG_LEVEL",
    ],
  },
  {
    title: "Database",
    variables: ["DATABASE_URL", "GREENLIGHT_DATABASE_POOL_MAX", "GREENLIGHT_DATABASE_STATEMENT_TIMEOUT", "GREENLIGHT_SQLITE_SYNCHRONOUS"],
  },
  {
    title: "Grants and waiting",
    variables: [
      "GREENLIGHT_DEFAULT_GRANT_DURATION",
      "GREENLIGHT_MAX_GRANT_DURATION",
      "GREENLIGHT_ALLOW_INDEFINITE_GRANTS",
      "GREENLIGHT_WAIT_DEFAULT",
      "GREENLIGHT_WAIT_MAX",
      "GREENLIGHT_EXPIRY_POLL_INTERVAL",
    ],
  },
  {
    title: "Tokens and sign-in",
    variables: [
      "GREENLIGHT_ISSUER",
      "GREENLIGHT_ACCESS_TOKEN_TTL",
      "GREENLIGHT_USER_TOKEN_TTL",
      "GREENLIGHT_USER_TOKEN_MAX_TTL",
      "GREENLIGHT_TOKEN_EXCHANGE_LIMIT",
      "GREENLIGHT_SIGNING_KEY_ROTATION",
      "GREENLIGHT_SIGNING_KEY_POLL_INTERVAL",
      "GREENLIGHT_OIDC_ISSUER",
      "GREENLIGHT_OIDC_CLIENT_ID",
      "GREENLIGHT_OIDC_CLIENT_SECRET",
      "GREENLIGHT_SESSION_TTL",
      "GREENLIGHT_STEP_UP_MAX_AGE",
    ],
  },
  {
    title: "Policies and on-call",
    variables: [
      "GREENLIGHT_PENDING_TIMEOUT",
      "GREENLIGHT_TIMER_POLL_INTERVAL",
      "GREENLIGHT_ONCALL_TIMEOUT",
      "GREENLIGHT_ONCALL_CACHE",
      "GREENLIGHT_DECISION_TIMEOUT",
      "GREENLIGHT_POLICY_FILE",
    ],
  },
  { title: "Secrets", variables: ["GREENLIGHT_SECRET_KEY", "GREENLIGHT_SECRET_KEY_PREVIOUS"] },
  {
    title: "Deliveries and outbound requests",
    variables: [
      "GREENLIGHT_OUTBOUND_ALLOW",
      "GREENLIGHT_DELIVERY_SCHEDULE",
      "GREENLIGHT_DELIVERY_TIMEOUT",
      "GREENLIGHT_DELIVERY_CONCURRENCY",
      "GREENLIGHT_DELIVERY_PER_RECEIVER",
      "GREENLIGHT_DELIVERY_POLL_INTERVAL",
      "GREENLIGHT_PULL_TIMEOUT",
      "GREENLIGHT_PULL_POLL_INTERVAL",
    ],
  },
  {
    title: "Audit",
    variables: ["GREENLIGHT_AUDIT_CHECKPOINT_EVENTS", "GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL", "GREENLIGHT_AUDIT_MIN_RETENTION"],
  },
  {
    title: "Limits and proxies",
    variables: ["GREENLIGHT_MAX_BODY_BYTES", "GREENLIGHT_RATE_LIMIT", "GREENLIGHT_AUTH_FAILURE_LIMIT", "GREENLIGHT_TRUST_PROXY"],
  },
];

const INTRO =
  "The server reads its configuration from environment variables, once, at start; a bad value stops it with a message " +
  "naming every variable at fault and what it expects. Durations are Go durations such as `90s`, `45m`, `1h30m` or " +
  "`720h` (there is no unit of days). This page lists every variable the server reads, with its default and what it " +
  "means, as the server's own table of them (`ENVIRONMENT` in `packages/server/src/config.ts`) gives them.";

/** The configuration reference: every variable of `environment`, grouped under `GROUPS`' headings. */
export function renderConfigurationReference(environment: Readonly<Record<string, Variable>> = ENVIRONMENT): string {
  const anchors = new Anchors();
  const grouped = new Set(GROUPS.flatMap((group) => group.variables));
  for (const name of grouped) if (!(name in environment)) throw new Error(`${name} is in a group but config.ts reads no such variable`);
  const other = Object.keys(environment).filter((name) => !grouped.has(name));
  const groups = [...GROUPS, { title: "Other", variables: other }].filter((group) => group.variables.length > 0);

  const body = groups.flatMap((group) => [
    heading(2, group.title, anchors.add(slug(group.title))),
    ...group.variables.flatMap((name) => {
      const variable = environment[name]!;
      return [
        heading(3, name, anchors.add(slug(name))),
        `Default: ${variable.default === "" ? "(none)" : code(variable.default)}`,
        text(variable.help),
      ];
    }),
  ]);
  return page({
    title: "Configuration",
    source: "ENVIRONMENT in packages/server/src/config.ts",
    generator: "docs/generate/configuration.ts",
    intro: INTRO,
    body,
  });
}
