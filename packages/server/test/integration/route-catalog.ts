import { approveClaim, type TestServer } from "./harness.js";

/**
 * Every authenticated route of the API, once, with what each role gets from it. The
 * authentication, tenant-isolation and role-matrix suites all run over this list, and the
 * first checks it against /openapi.json: a new route is covered by adding one line here.
 */

export const ROLES = ["admin", "reviewer", "petitioner-admin", "member"] as const;
export type Role = (typeof ROLES)[number];
/** A role, or "none": a person with a token for the space but no role in it. */
export type Principal = Role | "none";
export const PRINCIPALS: readonly Principal[] = [...ROLES, "none"];

/** Routes that need no token. */
export const PUBLIC_ROUTES = [
  "GET /v1/auth/keys",
  "GET /v1/auth/token",
  "POST /v1/auth/token",
  // The browser's session (the cookie, not a token); /auth/* are outside /v1. They have their own tests.
  "GET /v1/auth/signInOptions",
  "GET /v1/auth/session",
  "POST /v1/auth/session:token",
  "POST /v1/auth/session:stepUpOptions",
  "POST /v1/auth/session:stepUp",
  "GET /v1/auth/passkeys",
  "POST /v1/auth/passkeys",
  "POST /v1/auth/passkeys:registrationOptions",
  "DELETE /v1/auth/passkeys/{id}",
  // Slack signs these instead; they have their own tests.
  "POST /v1/slack/{space}/interactions",
  "POST /v1/slack/{space}/commands",
  // The key that verifies audit checkpoints is published; applications write audit events
  // with an input's own token (its tests are in the audit suite).
  "GET /v1/audit/keys",
  "POST /v1/inputs/{space}/{provider}/{target}",
];

/** What `seedSpace` made in one space: the names that fill the catalog's paths and bodies. */
export interface Fixture {
  space: string;
  /** Unique to the fixture; in the names and labels of what the catalog's bodies create. */
  tag: string;
  /** A requestable resource (okta.v1.Group) named in the petitions. */
  resource: string;
  resourceKind: string;
  resourceId: string;
  /** A person resource (kind "user"): the petitioner's. */
  person: string;
  /** Someone else, the petitioner of `petition`. */
  petitioner: string;
  /** Someone else's petition, approved for 1h, so it has claims and a grant. */
  petition: string;
  claim: string;
  grant: string;
  /** Someone else's open petition, to approve or deny. */
  openPetition: string;
  /** A group, bound to the reviewer role. */
  group: string;
  serviceAccountId: string;
  /** A refresh token of the service account. */
  tokenName: string;
  /** A dry-run decision and apply webhook, a webhook policy selecting it, an on-call provider. */
  webhook: string;
  webhookPolicy: string;
  onCallProvider: string;
  /** The webhook's (cancelled, dry-run) delivery of the grant. */
  webhookDelivery: string;
  /** An event subscription to petition.created, at an address that refuses, and a delivery of it. */
  subscription: string;
  subscriptionDelivery: string;
  pullPolicy: string;
  /** An audit input, by provider and name. */
  auditInputProvider: string;
  auditInput: string;
  /** A Slack call of the space's Slack app (to an API URL that refuses), still pending. */
  slackDelivery: string;
  /** A version of the space's access policy. */
  policyVersion: string;
}

/** The fields of a fixture that name objects in its space (all but the space and the tag). */
export const OBJECT_FIELDS = [
  "resource",
  "person",
  "petition",
  "claim",
  "grant",
  "openPetition",
  "group",
  "serviceAccountId",
  "tokenName",
  "webhook",
  "webhookPolicy",
  "onCallProvider",
  "webhookDelivery",
  "subscription",
  "subscriptionDelivery",
  "pullPolicy",
  "slackDelivery",
  "auditInput",
] as const;

export interface CatalogRoute {
  /** Method and path template exactly as /openapi.json names them. */
  route: string;
  method: string;
  template: string;
  /** Whether the path names a space. */
  inSpace: boolean;
  /** Whether the body names objects of the space (as paths do with their placeholders). */
  bodyNamesObjects: boolean;
  /** The status each principal gets, in a fresh space where it holds that role alone. */
  expect: Record<Principal, number>;
  /** A body that changes something if accepted. */
  body?: (f: Fixture) => unknown;
  /** Which of the fixture's objects the path names, when not the obvious ones. */
  pick?: (f: Fixture) => Fixture;
  query?: string;
}

const outcome = (admin: number, reviewer: number, petitionerAdmin: number, member: number, none = 403): Record<Principal, number> => ({
  admin,
  reviewer,
  "petitioner-admin": petitionerAdmin,
  member,
  none,
});
/** Every role may; a person without one may not. */
const anyRole = (status: number) => outcome(status, status, status, status);
const adminOnly = (status: number) => outcome(status, 403, 403, 403);
/** Someone else's petition: readers see it; the rest are told it does not exist. */
const readers = outcome(200, 200, 404, 404);

/** The access policy: reviewers and admins read it. */
const policyReaders = outcome(200, 200, 403, 403);
const intruderPolicy = (f: Fixture) => ({ rules: [{ name: `intruder-${f.tag}`, autoApprove: { reason: "intruder" } }] });

type Extra = Partial<Pick<CatalogRoute, "body" | "pick" | "query" | "bodyNamesObjects">>;

function op(route: string, expect: Record<Principal, number>, extra: Extra = {}): CatalogRoute {
  const [method, template] = route.split(" ") as [string, string];
  return { route, method, template, inSpace: template.includes("{space}"), bodyNamesObjects: false, expect, ...extra };
}

const S = "/v1/spaces/{space}";
const intruder = (f: Fixture) => `intruder-${f.tag}@example.com`;
const newResource = (f: Fixture, suffix: string) => ({ kind: "okta.v1.Group", id: `${f.tag}-${suffix}`, labels: { intruder: f.tag } });

export const CATALOG: CatalogRoute[] = [
  // Petitions, claims and grants.
  op(`GET ${S}/petitions`, anyRole(200)),
  op(`POST ${S}/petitions`, outcome(201, 403, 201, 403), {
    body: (f) => ({
      petition: {
        reason: "for someone else",
        petitioners: [{ kind: "user", email: `new-${f.tag}@example.com` }],
        resources: [{ kind: f.resourceKind, id: f.resourceId }],
        meta: { labels: { intruder: f.tag } },
      },
    }),
  }),
  // A preview is authorized as the petition it describes would be: for someone else, as above.
  op(`POST ${S}/petitions:preview`, outcome(200, 403, 200, 403), {
    body: (f) => ({
      petition: {
        reason: "for someone else",
        petitioners: [{ kind: "user", email: `new-${f.tag}@example.com` }],
        resources: [{ kind: f.resourceKind, id: f.resourceId }],
      },
    }),
  }),
  op(`GET ${S}/petitions/{petition}`, readers),
  op(`PUT ${S}/petitions/{petition}`, outcome(200, 403, 404, 404), {
    body: () => ({ petition: { state: { status: { phase: "closed" } } } }),
  }),
  op(`DELETE ${S}/petitions/{petition}`, outcome(200, 403, 404, 404)),
  // Extending someone else's granted petition is creating a petition for them: of those who may
  // see it, only a role that may petition for others may; the rest are told it does not exist.
  op(`POST ${S}/petitions/{petition}:extend`, outcome(201, 403, 404, 404), { body: () => ({ duration: "1h" }) }),
  // Someone else's granted petition, not made for an operation: readers are told it has no receipt.
  op(`POST ${S}/petitions/{petition}:receipt`, outcome(400, 400, 404, 404), { body: () => ({}) }),
  // Anyone in the space may check a receipt they hold; this one is no receipt at all.
  op(`POST ${S}/receipts:check`, anyRole(200), { body: () => ({ receipt: "not.a.receipt" }) }),
  op(`GET ${S}/petitions/{petition}/claims`, readers),
  op(`POST ${S}/petitions/{petition}/claims`, readers, {
    body: () => approveClaim("1h"),
    pick: (f) => ({ ...f, petition: f.openPetition }),
  }),
  op(`GET ${S}/petitions/{petition}/claims/{claim}`, readers),
  op(`GET ${S}/grants`, anyRole(200)),
  op(`GET ${S}/grants/{grant}`, readers),
  // Resources.
  op(`GET ${S}/resources`, anyRole(200)),
  op(`POST ${S}/resources`, adminOnly(201), { body: (f) => ({ resource: newResource(f, "new") }) }),
  op(`GET ${S}/resources/{resource}`, anyRole(200)),
  op(`PUT ${S}/resources/{resource}`, adminOnly(200), {
    body: (f) => ({ resource: { kind: f.resourceKind, id: f.resourceId, displayName: "Hacked" } }),
  }),
  op(`DELETE ${S}/resources/{resource}`, adminOnly(200)),
  op(`PUT ${S}/resources:bulkUpdate`, adminOnly(200), { body: (f) => ({ resources: [newResource(f, "bulk-put")] }) }),
  op(`POST ${S}/resources:bulkUpdate`, adminOnly(200), { body: (f) => ({ resources: [newResource(f, "bulk-post")] }) }),
  op(`POST ${S}/resources:bulkDelete`, adminOnly(200), { body: (f) => ({ resourceNames: [f.resource] }), bodyNamesObjects: true }),
  // Spaces and role bindings.
  // Without a role in its space a token lists no space, rather than being refused.
  op("GET /v1/spaces", outcome(200, 200, 200, 200, 200)),
  op("POST /v1/spaces", outcome(403, 403, 403, 403), { body: (f) => ({ space: { name: `intruder-${f.tag}` } }) }),
  op(`GET ${S}`, anyRole(200)),
  op(`PATCH ${S}`, adminOnly(200), { body: () => ({ space: { displayName: "Hacked" } }) }),
  op(`DELETE ${S}`, outcome(403, 403, 403, 403), { query: "recursive=true" }),
  op(`POST ${S}:getPolicy`, adminOnly(200), { body: () => ({}) }),
  op(`POST ${S}:setPolicy`, adminOnly(200), {
    body: (f) => ({ policy: { bindings: [{ role: "admin", members: [`user:${intruder(f)}`] }] } }),
  }),
  op(`POST ${S}:addToRole`, adminOnly(200), { body: (f) => ({ role: "admin", member: `user:${intruder(f)}` }) }),
  op(`POST ${S}:removeFromRole`, adminOnly(200), {
    body: (f) => ({ role: "reviewer", member: `group:${f.group}` }),
    bodyNamesObjects: true,
  }),
  // Groups.
  op(`GET ${S}/groups`, adminOnly(200)),
  op(`POST ${S}/groups`, adminOnly(201), { body: (f) => ({ group: { name: `intruder-${f.tag}`, members: [intruder(f)] } }) }),
  op(`GET ${S}/groups/{group}`, adminOnly(200)),
  op(`PUT ${S}/groups/{group}`, adminOnly(200), { body: (f) => ({ group: { displayName: "Hacked", members: [intruder(f)] } }) }),
  op(`DELETE ${S}/groups/{group}`, adminOnly(200)),
  // Service accounts and tokens.
  op(`GET ${S}/serviceAccounts`, adminOnly(200)),
  op(`POST ${S}/serviceAccounts`, adminOnly(201), { body: (f) => ({ serviceAccount: { name: `intruder-${f.tag}`, roles: ["admin"] } }) }),
  op(`GET ${S}/serviceAccounts/{serviceAccountId}`, adminOnly(200)),
  op(`PATCH ${S}/serviceAccounts/{serviceAccountId}`, adminOnly(200), {
    body: () => ({ serviceAccount: { displayName: "Hacked", roles: ["admin"] } }),
  }),
  op(`DELETE ${S}/serviceAccounts/{serviceAccountId}`, adminOnly(200)),
  op(`GET ${S}/tokens`, adminOnly(200)),
  op(`POST ${S}/tokens`, adminOnly(201), {
    body: (f) => ({ serviceAccountId: f.serviceAccountId, displayName: "intruder" }),
    bodyNamesObjects: true,
  }),
  op(`DELETE ${S}/tokens/{token}`, adminOnly(200)),
  op(`POST ${S}/userTokens`, adminOnly(201), { body: (f) => ({ email: intruder(f) }) }),
  // Only the server's admin token rotates the keys.
  op("POST /v1/auth/keys:rotate", outcome(403, 403, 403, 403)),
  op("POST /v1/auth/signInLinks", outcome(403, 403, 403, 403), { body: (f) => ({ email: intruder(f) }) }),
  // The access policy, explain and replay.
  op(`GET ${S}/policy`, policyReaders),
  op(`PUT ${S}/policy`, adminOnly(200), { body: (f) => ({ policy: intruderPolicy(f) }) }),
  op(`DELETE ${S}/policy`, adminOnly(200)),
  op(`GET ${S}/policy/versions`, policyReaders),
  op(`GET ${S}/policy/versions/{version}`, policyReaders),
  op(`POST ${S}/policies:validate`, adminOnly(200), { body: (f) => ({ policy: intruderPolicy(f) }) }),
  op(`POST ${S}/policies:explain`, policyReaders, { body: (f) => ({ petition: f.petition }), bodyNamesObjects: true }),
  op(`POST ${S}/policies:replay`, adminOnly(200), { body: (f) => ({ policy: intruderPolicy(f), limit: 10 }) }),
  // On-call providers, webhooks and webhook policies.
  op(`GET ${S}/onCallProviders`, adminOnly(200)),
  op(`POST ${S}/onCallProviders`, adminOnly(201), {
    body: (f) => ({ provider: { name: `intruder-${f.tag}`, kind: "pagerduty", apiKey: "intruder-key", baseUrl: "http://127.0.0.1:9" } }),
  }),
  op(`GET ${S}/onCallProviders/{provider}`, adminOnly(200)),
  op(`PUT ${S}/onCallProviders/{provider}`, adminOnly(200), {
    // A provider moved to another URL takes its API key again: the stored one never follows.
    body: () => ({ provider: { baseUrl: "http://127.0.0.1:10", apiKey: "moved-intruder-key" } }),
  }),
  op(`DELETE ${S}/onCallProviders/{provider}`, adminOnly(200)),
  op(`GET ${S}/webhooks`, adminOnly(200)),
  op(`POST ${S}/webhooks`, adminOnly(201), {
    body: (f) => ({
      webhook: { name: `intruder-${f.tag}`, url: "http://127.0.0.1:9/hook", handlers: [{ type: "decision", resourceKinds: [] }] },
    }),
  }),
  op(`GET ${S}/webhooks/{webhook}`, adminOnly(200)),
  op(`PATCH ${S}/webhooks/{webhook}`, adminOnly(200), {
    body: () => ({ webhook: { url: "http://127.0.0.1:10/hook", secret: "wks0MovedWebhookSecret0123456789abcdef" } }),
  }),
  op(`DELETE ${S}/webhooks/{webhook}`, adminOnly(200)),
  op(`GET ${S}/webhookPolicies`, adminOnly(200)),
  op(`POST ${S}/webhookPolicies`, adminOnly(201), {
    body: (f) => ({ webhookPolicy: { meta: { name: `intruder-${f.tag}` }, webhooks: [{ name: f.webhook }] } }),
    bodyNamesObjects: true,
  }),
  op(`GET ${S}/webhookPolicies/{policy}`, adminOnly(200)),
  op(`PUT ${S}/webhookPolicies/{policy}`, adminOnly(200), {
    body: (f) => ({ webhookPolicy: { base: { conditions: ["true"] }, webhooks: [{ name: f.webhook }] } }),
    bodyNamesObjects: true,
  }),
  op(`DELETE ${S}/webhookPolicies/{policy}`, adminOnly(200)),
  // Event subscriptions, delivery logs, pulls.
  op(`GET ${S}/subscriptions`, adminOnly(200)),
  op(`POST ${S}/subscriptions`, adminOnly(201), {
    body: (f) => ({ subscription: { name: `intruder-${f.tag}`, url: "http://127.0.0.1:9/events" } }),
  }),
  op(`GET ${S}/subscriptions/{subscription}`, adminOnly(200)),
  op(`PATCH ${S}/subscriptions/{subscription}`, adminOnly(200), {
    body: () => ({ subscription: { url: "http://127.0.0.1:10/events", secret: `whsec_${Buffer.alloc(32, 1).toString("base64")}` } }),
  }),
  op(`DELETE ${S}/subscriptions/{subscription}`, adminOnly(200)),
  op(`GET ${S}/deliveries`, adminOnly(200), { query: "petition=pet_00000000000000000000000000" }),
  op(`GET ${S}/webhooks/{webhook}/deliveries`, adminOnly(200)),
  op(`GET ${S}/webhooks/{webhook}/deliveries/{delivery}`, adminOnly(200)),
  // The webhook is a dry run: nothing of it is sent, so its admin is told why not.
  op(`POST ${S}/webhooks/{webhook}/deliveries/{delivery}:redeliver`, outcome(409, 403, 403, 403)),
  op(`GET ${S}/subscriptions/{subscription}/deliveries`, adminOnly(200)),
  op(`GET ${S}/subscriptions/{subscription}/deliveries/{delivery}`, adminOnly(200)),
  op(`POST ${S}/subscriptions/{subscription}/deliveries/{delivery}:redeliver`, adminOnly(200)),
  // No webhook of the space pulls (the fixture's is a dry run), so an admin is told so.
  op(`PUT ${S}/resources:pullUpdate`, outcome(404, 403, 403, 403), { body: () => ({ kinds: ["okta.v1.Group"] }) }),
  op(`POST ${S}/resources:pullUpdate`, outcome(404, 403, 403, 403), { body: () => ({ kinds: ["okta.v1.Group"] }) }),
  op(`GET ${S}/pullPolicies`, adminOnly(200)),
  op(`POST ${S}/pullPolicies`, adminOnly(201), {
    body: (f) => ({ pullPolicy: { meta: { name: `intruder-${f.tag}` }, schedule: "@hourly", kinds: ["okta.v1.Group"] } }),
  }),
  op(`GET ${S}/pullPolicies/{policy}`, adminOnly(200)),
  op(`PUT ${S}/pullPolicies/{policy}`, adminOnly(200), {
    body: () => ({ pullPolicy: { schedule: "@every 5m", kinds: ["okta.v1.Group"] } }),
  }),
  op(`DELETE ${S}/pullPolicies/{policy}`, adminOnly(200)),
  op(`POST ${S}/pullPolicies/{policy}:run`, adminOnly(200)),
  // The Slack app.
  op(`GET ${S}/slack`, adminOnly(200)),
  op(`PUT ${S}/slack`, adminOnly(200), { body: () => ({ slack: { defaultChannels: ["C0INTRUDER"] } }) }),
  op(`DELETE ${S}/slack`, adminOnly(200)),
  op(`GET ${S}/slack/manifest`, adminOnly(200)),
  op(`POST ${S}/slack:test`, adminOnly(200)),
  op(`GET ${S}/slack/deliveries`, adminOnly(200)),
  op(`GET ${S}/slack/deliveries/{delivery}`, adminOnly(200)),
  op(`POST ${S}/slack/deliveries/{delivery}:redeliver`, adminOnly(200)),
  // The audit log: the space's for its admins, the server's for the server's admin token only.
  op(`GET ${S}/audit`, adminOnly(200)),
  op(`GET ${S}/audit:export`, adminOnly(200)),
  op(`POST ${S}/audit:verify`, adminOnly(200)),
  op(`GET ${S}/audit/checkpoints`, adminOnly(200)),
  op(`GET ${S}/audit/settings`, adminOnly(200)),
  op(`PUT ${S}/audit/settings`, adminOnly(200), { body: () => ({ settings: { retention: "8760h" } }) }),
  op(`GET ${S}/auditInputs`, adminOnly(200)),
  op(`POST ${S}/auditInputs`, adminOnly(201), { body: (f) => ({ input: { provider: "intruder", name: f.tag } }) }),
  op(`DELETE ${S}/auditInputs/{provider}/{input}`, adminOnly(200)),
  op("GET /v1/audit", outcome(403, 403, 403, 403)),
  op("GET /v1/audit:export", outcome(403, 403, 403, 403)),
  op("POST /v1/audit:verify", outcome(403, 403, 403, 403)),
  op("GET /v1/audit/checkpoints", outcome(403, 403, 403, 403)),
];

/** The method, concrete path and body of one catalog route for one fixture. */
export function requestFor(entry: CatalogRoute, fixture: Fixture): { method: string; path: string; body?: unknown } {
  const f = entry.pick ? entry.pick(fixture) : fixture;
  const values: Record<string, string> = {
    space: f.space,
    petition: f.petition,
    claim: f.claim,
    grant: f.grant,
    resource: f.resource,
    group: f.group,
    serviceAccountId: f.serviceAccountId,
    token: f.tokenName,
    provider: entry.template.includes("/auditInputs/") ? f.auditInputProvider : f.onCallProvider,
    input: f.auditInput,
    webhook: f.webhook,
    policy: entry.template.includes("/pullPolicies/") ? f.pullPolicy : f.webhookPolicy,
    version: f.policyVersion,
    subscription: f.subscription,
    delivery: entry.template.includes("/subscriptions/")
      ? f.subscriptionDelivery
      : entry.template.includes("/slack/")
        ? f.slackDelivery
        : f.webhookDelivery,
  };
  const path = entry.template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${entry.route}: the fixture has nothing for {${key}}`);
    return encodeURIComponent(value);
  });
  const request: { method: string; path: string; body?: unknown } = {
    method: entry.method,
    path: entry.query ? `${path}?${entry.query}` : path,
  };
  if (entry.body) request.body = entry.body(f);
  return request;
}

let counter = 0;
/** Lower-case letters and digits unique to this run, usable in every kind of name. */
export function uniqueTag(): string {
  counter += 1;
  return `t${Date.now().toString(36)}${process.pid.toString(36)}${counter}`;
}

async function ok(reply: Promise<{ status: number; body: any }>, status: number, what: string): Promise<any> {
  const { status: got, body } = await reply;
  if (got !== status) throw new Error(`seed: ${what}: expected ${status}, got ${got} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

/** Fills `space` with one of everything the catalog names, using the server's admin token. */
export async function seedSpace(t: TestServer, space: string): Promise<Fixture> {
  const tag = uniqueTag();
  const base = `/v1/spaces/${space}`;
  const petitioner = `someone-${tag}@example.com`;
  const requested = { kind: "okta.v1.Group", id: `okta-${tag}` };
  const resource = await ok(t.call("POST", `${base}/resources`, { resource: { ...requested, displayName: "Original" } }), 201, "resource");
  const person = await ok(
    t.call("POST", `${base}/resources`, { resource: { kind: "user", id: petitioner, email: petitioner } }),
    201,
    "person",
  );
  const webhook = await ok(
    t.call("POST", `${base}/webhooks`, {
      webhook: {
        name: `hook-${tag}`,
        url: "http://127.0.0.1:9/decide",
        dryRun: true,
        handlers: [
          { type: "decision", resourceKinds: [] },
          { type: "applyUpdate", resourceKinds: [requested.kind] },
        ],
      },
    }),
    201,
    "webhook",
  );
  const subscription = await ok(
    t.call("POST", `${base}/subscriptions`, {
      subscription: { name: `sub-${tag}`, url: "http://127.0.0.1:9/events", eventTypes: ["petition.created"] },
    }),
    201,
    "subscription",
  );
  await ok(
    t.call("PUT", `${base}/slack`, {
      slack: {
        botToken: `xoxb-${tag}-seeded`,
        signingSecret: `secret${tag}0123456789`,
        apiUrl: "http://127.0.0.1:9/api/",
        defaultChannels: ["C0SEEDED"],
      },
    }),
    200,
    "Slack app",
  );
  const petitionOf = (email: string) => ({
    petition: { reason: "seeded", petitioners: [{ kind: "user", email }], resources: [requested] },
  });
  const granted = await ok(t.call("POST", `${base}/petitions`, petitionOf(petitioner)), 201, "petition");
  await ok(t.call("POST", `${base}/petitions/${granted.name}/claims`, approveClaim("1h")), 200, "approve");
  const grants = await ok(t.call("GET", `${base}/grants?petition=${granted.name}`), 200, "grants");
  const open = await ok(t.call("POST", `${base}/petitions`, petitionOf(`other-${tag}@example.com`)), 201, "open petition");
  const group = await ok(
    t.call("POST", `${base}/groups`, { group: { name: `group-${tag}`, members: [`grouped-${tag}@example.com`] } }),
    201,
    "group",
  );
  await ok(t.call("POST", `${base}:addToRole`, { role: "reviewer", member: `group:${group.name}` }), 200, "bind the group");
  const account = await ok(
    t.call("POST", `${base}/serviceAccounts`, { serviceAccount: { name: `bot-${tag}`, roles: ["member"] } }),
    201,
    "account",
  );
  const token = await ok(t.call("POST", `${base}/tokens`, { serviceAccountId: account.serviceAccountId }), 201, "token");
  const policy = await ok(
    t.call("PUT", `${base}/policy`, {
      policy: { rules: [{ name: `limits-${tag}`, match: { kinds: ["nothing.v1.Kind"] }, duration: { max: "2h" } }] },
    }),
    200,
    "policy",
  );
  const webhookPolicy = await ok(
    t.call("POST", `${base}/webhookPolicies`, {
      webhookPolicy: {
        meta: { name: `hooks-${tag}` },
        base: { selector: { matchLabels: { none: "x" } } },
        webhooks: [{ name: webhook.name }],
      },
    }),
    201,
    "webhook policy",
  );
  const provider = await ok(
    t.call("POST", `${base}/onCallProviders`, {
      provider: { name: `pager-${tag}`, kind: "pagerduty", apiKey: `key-${tag}`, baseUrl: "http://127.0.0.1:9" },
    }),
    201,
    "on-call provider",
  );
  const pullPolicy = await ok(
    t.call("POST", `${base}/pullPolicies`, { pullPolicy: { meta: { name: `pull-${tag}` }, schedule: "@daily", kinds: [requested.kind] } }),
    201,
    "pull policy",
  );
  const auditInput = await ok(t.call("POST", `${base}/auditInputs`, { input: { provider: "app", name: `in-${tag}` } }), 201, "audit input");
  const webhookDeliveries = await ok(t.call("GET", `${base}/webhooks/${webhook.name}/deliveries`), 200, "webhook deliveries");
  const slackDeliveries = await ok(t.call("GET", `${base}/slack/deliveries`), 200, "Slack deliveries");
  const subscriptionDeliveries = await ok(
    t.call("GET", `${base}/subscriptions/${subscription.name}/deliveries`),
    200,
    "subscription deliveries",
  );
  return {
    space,
    tag,
    resource: resource.labels["indent.com/block"],
    resourceKind: requested.kind,
    resourceId: requested.id,
    person: person.labels["indent.com/block"],
    petitioner,
    petition: granted.name,
    claim: granted.state.eventHistory[0].id,
    grant: grants.grants[0].name,
    openPetition: open.name,
    group: group.name,
    serviceAccountId: account.serviceAccountId,
    tokenName: token.name,
    webhook: webhook.name,
    webhookPolicy: webhookPolicy.meta.name,
    onCallProvider: provider.name,
    policyVersion: String(policy.version),
    webhookDelivery: webhookDeliveries.deliveries[0].id,
    subscription: subscription.name,
    subscriptionDelivery: subscriptionDeliveries.deliveries[0].id,
    pullPolicy: pullPolicy.meta.name,
    auditInputProvider: auditInput.provider,
    auditInput: auditInput.name,
    slackDelivery: (slackDeliveries.deliveries.find((d: { status: string }) => d.status === "pending") ?? slackDeliveries.deliveries[0]).id,
  };
}

/** Everything in a space, as the server's admin token reads it: equal snapshots, nothing changed. */
export async function snapshotSpace(t: TestServer, space: string): Promise<Record<string, unknown>> {
  const base = `/v1/spaces/${space}`;
  const read = async (method: string, path: string, key?: string) => {
    const body = await ok(t.call(method, path, method === "POST" ? {} : undefined), 200, `read ${path}`);
    if (key === undefined) return body;
    if (body.nextPageToken !== "") throw new Error(`snapshot: ${path} has more than one page`);
    return body[key];
  };
  return {
    space: await read("GET", base),
    petitions: await read("GET", `${base}/petitions?showDeleted=true&pageSize=100`, "petitions"),
    grants: await read("GET", `${base}/grants?pageSize=100`, "grants"),
    resources: await read("GET", `${base}/resources?pageSize=100`, "resources"),
    groups: await read("GET", `${base}/groups?pageSize=100`, "groups"),
    serviceAccounts: await read("GET", `${base}/serviceAccounts?showDeleted=true&pageSize=100`, "serviceAccounts"),
    tokens: await read("GET", `${base}/tokens?showDeleted=true&pageSize=100`, "tokens"),
    policy: await read("POST", `${base}:getPolicy`),
    accessPolicy: await read("GET", `${base}/policy`),
    policyVersions: await read("GET", `${base}/policy/versions?pageSize=100`, "versions"),
    webhooks: withoutHealth(await read("GET", `${base}/webhooks?pageSize=100`, "webhooks")),
    webhookPolicies: await read("GET", `${base}/webhookPolicies`),
    onCallProviders: await read("GET", `${base}/onCallProviders`),
    subscriptions: withoutHealth(await read("GET", `${base}/subscriptions?pageSize=100`, "subscriptions")),
    pullPolicies: await read("GET", `${base}/pullPolicies`),
    auditInputs: await read("GET", `${base}/auditInputs`),
    auditSettings: await read("GET", `${base}/audit/settings`),
  };
}

/**
 * Receivers without what their deliveries change as they are tried (the fixture's subscription
 * points at an address that refuses, so its failures go on being recorded).
 */
function withoutHealth(receivers: Array<Record<string, unknown>>): unknown[] {
  return receivers.map(({ lastSuccessTime, lastError, lastErrorTime, ...rest }) => rest);
}
