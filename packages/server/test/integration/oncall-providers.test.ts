import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { checkOnCall, OnCallError, type OnCallProviderConfig } from "../../src/integrations/oncall/index.js";
import {
  startFakeIncidentIo,
  startFakeOpsgenie,
  startFakePagerDuty,
  type FakeIncident,
  type FakeMode,
  type FakeServer,
} from "./fakes/oncall-servers.js";

const KEY = "sk-live-3f9a1c77e2b54d0aa8c1";
const AT = new Date("2030-01-01T12:00:00.000Z");
const ADA = "ada@example.com";

const servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function track(server: Promise<FakeServer>): Promise<FakeServer> {
  const started = await server;
  servers.push(started);
  return started;
}

function configFor(
  server: FakeServer,
  kind: OnCallProviderConfig["kind"],
  extra: Partial<OnCallProviderConfig> = {},
): OnCallProviderConfig {
  return { kind, baseUrl: server.url, apiKey: KEY, timeoutMs: 2000, ...extra };
}

/** The failure `checkOnCall` throws, checked to be an `OnCallError` that never shows the key. */
async function failureOf(promise: Promise<unknown>): Promise<OnCallError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OnCallError);
  const failure = error as OnCallError;
  expect(failure.message).not.toContain(KEY);
  expect(failure.message).not.toContain("wrong-key-9d1e");
  return failure;
}

/** A server that answers every request with `body`, whatever it asks, to see the shape checks. */
async function startAnswering(body: unknown): Promise<FakeServer> {
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests: [],
    setMode: () => {},
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const paths = (server: FakeServer) => server.requests.map((request) => request.path);

describe("PagerDuty", () => {
  const schedules = [
    { id: "PS1", name: "Platform", users: [{ email: "bob@example.com" }] },
    { id: "PS2", name: "Database", users: [{ email: "cy@example.com" }] },
    { id: "PS3", name: "Payments", users: [] },
    { id: "PS4", name: "Edge", users: [{ email: "dee@example.com" }] },
    { id: "PS5", name: "Search", users: [{ email: "Ada@Example.com", name: "Ada" }] },
  ];

  it("finds the email in a schedule on a later page, after following every page of GET /schedules", async () => {
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules, pageSize: 2 }));
    const answer = await checkOnCall(configFor(pd, "pagerduty"), "ADA@example.COM", AT);
    expect(answer).toEqual({
      onCall: true,
      detail: 'on call in PagerDuty schedule "Search" (PS5) between 2030-01-01T11:59:00.000Z and 2030-01-01T12:05:00.000Z',
    });
    const lists = pd.requests.filter((request) => request.path === "/schedules");
    expect(lists.map((request) => request.query)).toEqual([
      { limit: "100", offset: "0" },
      { limit: "100", offset: "2" },
      { limit: "100", offset: "4" },
    ]);
    expect(pd.requests.every((request) => request.method === "GET" && request.accept === "application/vnd.pagerduty+json;version=2")).toBe(
      true,
    );
    expect(paths(pd)).toContain("/schedules/PS5/users");
  });

  it("asks every schedule for the window around the request and answers not on call when no one matches", async () => {
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules, pageSize: 2 }));
    const answer = await checkOnCall(configFor(pd, "pagerduty"), "zed@example.com", AT);
    expect(answer.onCall).toBe(false);
    expect(answer.detail).toBe("not on call in 5 PagerDuty schedules between 2030-01-01T11:59:00.000Z and 2030-01-01T12:05:00.000Z");
    const userCalls = pd.requests.filter((request) => request.path.endsWith("/users"));
    expect(userCalls.map((request) => request.path).sort()).toEqual(schedules.map((s) => `/schedules/${s.id}/users`));
    for (const call of userCalls) expect(call.query).toEqual({ since: "2030-01-01T11:59:00.000Z", until: "2030-01-01T12:05:00.000Z" });
  });

  it("keeps a match found while slower schedules are still answering", async () => {
    const racing = [
      { id: "PS1", name: "Slow", users: [], delayMs: 150 },
      { id: "PS2", name: "Fast", users: [{ email: ADA }] },
    ];
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules: racing }));
    expect(await checkOnCall(configFor(pd, "pagerduty"), ADA, AT)).toMatchObject({
      onCall: true,
      detail: expect.stringContaining("(PS2)"),
    });
  });

  it("asks only the configured schedule ids and names the ones that do not exist", async () => {
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules, pageSize: 2 }));
    const answer = await checkOnCall(configFor(pd, "pagerduty", { schedules: ["PS2", "PS9"] }), ADA, AT);
    expect(answer).toEqual({
      onCall: false,
      detail:
        "not on call in 1 PagerDuty schedule between 2030-01-01T11:59:00.000Z and 2030-01-01T12:05:00.000Z; configured schedules not found: PS9",
    });
    expect(paths(pd).filter((path) => path.endsWith("/users"))).toEqual(["/schedules/PS2/users"]);

    const chosen = await checkOnCall(configFor(pd, "pagerduty", { schedules: ["PS5"] }), ADA, AT);
    expect(chosen.onCall).toBe(true);
  });

  it("uses windowBeforeMinutes and windowAfterMinutes for since and until", async () => {
    const upcoming = [{ id: "PS1", name: "Platform", users: [{ email: ADA, from: "2030-01-01T12:03:00Z", to: "2030-01-01T20:00:00Z" }] }];
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules: upcoming }));

    expect((await checkOnCall(configFor(pd, "pagerduty"), ADA, AT)).onCall).toBe(true);
    const narrow = await checkOnCall(configFor(pd, "pagerduty", { windowBeforeMinutes: 10, windowAfterMinutes: 2 }), ADA, AT);
    expect(narrow.onCall).toBe(false);
    expect(pd.requests.at(-1)!.query).toEqual({ since: "2030-01-01T11:50:00.000Z", until: "2030-01-01T12:02:00.000Z" });
  });

  it("stops after 50 pages of schedules and says so", async () => {
    const many = Array.from({ length: 60 }, (_, i) => ({ id: `P${i}`, name: `S${i}`, users: [] }));
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules: many, pageSize: 1 }));
    const failure = await failureOf(checkOnCall(configFor(pd, "pagerduty"), ADA, AT));
    expect(failure.message).toMatch(/^PagerDuty: listing schedules ran past 50 pages; stopped rather than read on/);
    expect(pd.requests).toHaveLength(50);
  });

  it("gives up before making more than 200 requests for one check", async () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ id: `P${i}`, name: `S${i}`, users: [] }));
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules: many }));
    const failure = await failureOf(checkOnCall(configFor(pd, "pagerduty"), ADA, AT));
    expect(failure.message).toMatch(/at most 200 requests; narrow what is checked/);
    expect(pd.requests.length).toBeLessThanOrEqual(200);
  });
});

describe("Opsgenie", () => {
  const schedules = [
    { id: "a1b2-platform", name: "Platform", participants: [{ type: "user" as const, name: "bob@example.com" }] },
    {
      id: "c3d4-sre",
      name: "SRE",
      participants: [{ type: "team" as const, name: "sre-team", onCallParticipants: [{ type: "user" as const, name: "Ada@Example.com" }] }],
    },
    { id: "e5f6-old", name: "Old rota", enabled: false, participants: [{ type: "user" as const, name: "cy@example.com" }] },
  ];

  it("finds a user inside a team participant and reads on-calls with flat=false", async () => {
    const og = await track(startFakeOpsgenie({ apiKey: KEY, schedules }));
    const answer = await checkOnCall(configFor(og, "opsgenie"), ADA, AT);
    expect(answer).toEqual({ onCall: true, detail: 'on call in Opsgenie schedule "SRE" (c3d4-sre)' });
    expect(og.requests[0]).toMatchObject({ method: "GET", path: "/v2/schedules", query: {}, accept: "application/json" });
    for (const request of og.requests.slice(1)) expect(request.query).toEqual({ flat: "false" });
  });

  it("answers not on call after asking every enabled schedule, and skips disabled ones", async () => {
    const og = await track(startFakeOpsgenie({ apiKey: KEY, schedules }));
    const answer = await checkOnCall(configFor(og, "opsgenie"), "cy@example.com", AT);
    expect(answer).toEqual({ onCall: false, detail: "not on call in 2 Opsgenie schedules; 1 disabled schedule skipped" });
    expect(paths(og).sort()).toEqual(["/v2/schedules", "/v2/schedules/a1b2-platform/on-calls", "/v2/schedules/c3d4-sre/on-calls"]);
  });

  it("filters schedules by name (any case) or id and names entries that match none", async () => {
    const og = await track(startFakeOpsgenie({ apiKey: KEY, schedules }));
    const byName = await checkOnCall(configFor(og, "opsgenie", { schedules: ["platform", "Nightly"] }), ADA, AT);
    expect(byName).toEqual({ onCall: false, detail: "not on call in 1 Opsgenie schedule; configured schedules not found: Nightly" });
    expect(paths(og)).toEqual(["/v2/schedules", "/v2/schedules/a1b2-platform/on-calls"]);

    const byId = await checkOnCall(configFor(og, "opsgenie", { schedules: ["c3d4-sre"] }), ADA, AT);
    expect(byId.onCall).toBe(true);
  });
});

describe("incident.io", () => {
  const incidents: FakeIncident[] = [
    {
      id: "01A",
      reference: "INC-1",
      name: "Checkout slow",
      roles: [{ name: "Incident Lead", shortform: "lead", email: "bob@example.com" }],
    },
    {
      id: "01B",
      reference: "INC-2",
      name: "Old outage",
      category: "closed",
      roles: [{ name: "Incident Lead", shortform: "lead", email: ADA }],
    },
    {
      id: "01C",
      reference: "INC-3",
      name: "Queue backlog",
      roles: [{ name: "Incident Lead", shortform: "lead" }],
      updaters: [null, "cy@example.com"],
    },
    { id: "01D", reference: "INC-4", name: "DNS", roles: [{ name: "Communications", shortform: "comms", email: "dee@example.com" }] },
    {
      id: "01E",
      reference: "INC-5",
      name: "Search down",
      roles: [
        { name: "Incident Lead", shortform: "lead", email: "eve@example.com" },
        { name: "Scribe", shortform: "scribe", email: "Ada@Example.com" },
      ],
      updaters: ["eve@example.com", "Fin@Example.com", "eve@example.com"],
    },
    { id: "01F", reference: "INC-6", name: "Flaky CI", roles: [] },
  ];

  it("finds a role assignee on a later page of live incidents, following the after cursor", async () => {
    const io = await track(startFakeIncidentIo({ apiKey: KEY, incidents, pageSize: 2 }));
    const answer = await checkOnCall(configFor(io, "incidentio"), "ada@EXAMPLE.com", AT);
    expect(answer).toEqual({ onCall: true, detail: 'holds the "Scribe" role on live incident INC-5 "Search down"' });
    expect(io.requests.map((request) => request.query)).toEqual([
      { "status_category[one_of]": "live", page_size: "250" },
      { "status_category[one_of]": "live", page_size: "250", after: "01C" },
      { "status_category[one_of]": "live", page_size: "250", after: "01E" },
    ]);
  });

  it("keeps only the configured roles, by name or shortform in any case", async () => {
    const io = await track(startFakeIncidentIo({ apiKey: KEY, incidents, pageSize: 2 }));
    const leadOnly = await checkOnCall(configFor(io, "incidentio", { roles: ["Incident Lead"] }), ADA, AT);
    expect(leadOnly).toEqual({ onCall: false, detail: "holds one of the roles Incident Lead on none of 5 live incidents in incident.io" });
    expect((await checkOnCall(configFor(io, "incidentio", { roles: ["SCRIBE"] }), ADA, AT)).onCall).toBe(true);
    expect((await checkOnCall(configFor(io, "incidentio", { roles: ["comms"] }), "dee@example.com", AT)).onCall).toBe(true);
    expect(paths(io).every((path) => path === "/v2/incidents")).toBe(true);
  });

  it("counts people who posted an update only when approveParticipants is set, following update pages", async () => {
    const io = await track(startFakeIncidentIo({ apiKey: KEY, incidents, pageSize: 2 }));
    const without = await checkOnCall(configFor(io, "incidentio"), "fin@example.com", AT);
    expect(without).toEqual({ onCall: false, detail: "holds a role on none of 5 live incidents in incident.io" });
    expect(paths(io).every((path) => path === "/v2/incidents")).toBe(true);

    io.requests.length = 0;
    const withUpdates = await checkOnCall(configFor(io, "incidentio", { approveParticipants: true }), "fin@example.com", AT);
    expect(withUpdates).toEqual({ onCall: true, detail: 'posted an update on live incident INC-5 "Search down"' });
    const updateCalls = io.requests.filter((request) => request.path === "/v2/incident_updates");
    expect(updateCalls.filter((call) => call.query.incident_id === "01E").map((call) => call.query)).toEqual([
      { incident_id: "01E", page_size: "250" },
      { incident_id: "01E", page_size: "250", after: "01E-update-1" },
    ]);
  });

  it("reads every incident's updates before answering not on call, ignoring updates posted with an API key", async () => {
    const io = await track(startFakeIncidentIo({ apiKey: KEY, incidents, pageSize: 2 }));
    const answer = await checkOnCall(configFor(io, "incidentio", { approveParticipants: true }), "zed@example.com", AT);
    expect(answer).toEqual({
      onCall: false,
      detail: "holds a role on none of 5 live incidents in incident.io nor posted an update on one",
    });
    const asked = io.requests.filter((request) => request.path === "/v2/incident_updates").map((request) => request.query.incident_id);
    expect([...new Set(asked)].sort()).toEqual(["01A", "01C", "01D", "01E", "01F"]);
  });
});

describe("configuration", () => {
  const base = { apiKey: KEY, timeoutMs: 1000 };

  it.each([
    [{ kind: "opsgenie", baseUrl: "ftp://127.0.0.1/" }, "Opsgenie: baseUrl must be an http(s) URL, not ftp:"],
    [{ kind: "incidentio", baseUrl: "not a url" }, 'incident.io: baseUrl "not a url" is not a URL'],
    [
      { kind: "pagerduty", baseUrl: "http://127.0.0.1:9", timeoutMs: 0 },
      "PagerDuty: timeoutMs must be a number of milliseconds above zero; got 0",
    ],
    [
      { kind: "pagerduty", baseUrl: "http://127.0.0.1:9", windowAfterMinutes: -5 },
      "PagerDuty: windowAfterMinutes must be a number of minutes, zero or more; got -5",
    ],
  ] as const)("refuses %o before making any request", async (extra, message) => {
    const failure = await failureOf(checkOnCall({ ...base, ...extra }, ADA, AT));
    expect(failure.message).toBe(message);
  });

  it("answers not on call for a blank email without asking anyone", async () => {
    const pd = await track(startFakePagerDuty({ apiKey: KEY, schedules: [] }));
    expect(await checkOnCall(configFor(pd, "pagerduty"), "  ", AT)).toEqual({ onCall: false, detail: "no email to check" });
    expect(pd.requests).toEqual([]);
  });
});

type Kind = OnCallProviderConfig["kind"];

const fakes: Record<Kind, { start: (mode?: FakeMode) => Promise<FakeServer>; list: string; second: RegExp; name: string }> = {
  pagerduty: {
    start: (mode) =>
      startFakePagerDuty({ apiKey: KEY, schedules: [{ id: "PS1", name: "Platform", users: [] }], ...(mode ? { mode } : {}) }),
    list: "listing schedules (GET /schedules)",
    second: /\/users$/,
    name: "PagerDuty",
  },
  opsgenie: {
    start: (mode) =>
      startFakeOpsgenie({ apiKey: KEY, schedules: [{ id: "og-1", name: "Platform", participants: [] }], ...(mode ? { mode } : {}) }),
    list: "listing schedules (GET /v2/schedules)",
    second: /\/on-calls$/,
    name: "Opsgenie",
  },
  incidentio: {
    start: (mode) =>
      startFakeIncidentIo({
        apiKey: KEY,
        incidents: [{ id: "01A", reference: "INC-1", name: "x", roles: [], updaters: [] }],
        ...(mode ? { mode } : {}),
      }),
    list: "listing live incidents (GET /v2/incidents)",
    second: /\/incident_updates$/,
    name: "incident.io",
  },
};

describe.each(Object.keys(fakes) as Kind[])("%s failures", (kind) => {
  const fake = fakes[kind];
  const check = (server: FakeServer, extra: Partial<OnCallProviderConfig> = {}) =>
    checkOnCall(configFor(server, kind, { approveParticipants: true, ...extra }), ADA, AT);

  it("reports a refused key with the provider's error body", async () => {
    const server = await track(fake.start());
    const failure = await failureOf(check(server, { apiKey: "wrong-key-9d1e" }));
    expect(failure.status).toBe(401);
    expect(failure.provider).toBe(kind);
    expect(failure.message).toContain(
      `${fake.name}: refused the API key for ${fake.list} (HTTP 401); check the key and its permissions: {`,
    );
  });

  it("reports a 429 with the seconds from Retry-After", async () => {
    const server = await track(fake.start("rate-limited"));
    const failure = await failureOf(check(server));
    expect(failure).toMatchObject({ status: 429, retryAfterSeconds: 7 });
    expect(failure.message).toContain(`rate-limited ${fake.list} (HTTP 429); try again in 7 s`);
  });

  it("reports a 500 with an excerpt of the body, the key echoed in it redacted", async () => {
    const server = await track(fake.start("server-error"));
    const failure = await failureOf(check(server));
    expect(failure.status).toBe(500);
    expect(failure.message).toContain(`answered HTTP 500 to ${fake.list}: {"error":"upstream failed; request had authorization:`);
    expect(failure.message).toContain("[redacted]");
  });

  it("names the later call that failed", async () => {
    const server = await track(fake.start());
    server.setMode("server-error", fake.second);
    const failure = await failureOf(check(server));
    expect(failure.message).toMatch(/answered HTTP 500 to (listing|reading) (who is on call in schedule|the updates on incident) /);
  });

  it("reports a body that is not JSON", async () => {
    const server = await track(fake.start("malformed"));
    const failure = await failureOf(check(server));
    expect(failure.message).toContain(`sent a body that is not JSON for ${fake.list}: {"data": [ {"id":`);
  });

  it("cuts off a provider that does not answer within timeoutMs", async () => {
    const server = await track(fake.start("hang"));
    const started = Date.now();
    const failure = await failureOf(check(server, { timeoutMs: 300 }));
    expect(failure.message).toBe(`${fake.name}: did not answer ${fake.list} within 300 ms`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("does not follow a redirect", async () => {
    const server = await track(fake.start("redirect"));
    const failure = await failureOf(check(server));
    expect(failure.message).toContain(`answered ${fake.list} with a redirect, which is not followed`);
    expect(server.requests.some((request) => request.redirected)).toBe(false);
  });

  it.each(["oversized", "oversized-chunked"] as const)("refuses a %s body past 1 MiB", async (mode) => {
    const server = await track(fake.start(mode));
    const failure = await failureOf(check(server));
    expect(failure.message).toBe(`${fake.name}: sent more than 1048576 bytes for ${fake.list}; refused`);
  });

  it("keeps a proxy's path prefix in baseUrl, and reports what a wrong one answers", async () => {
    const server = await track(fake.start());
    const failure = await failureOf(check(server, { baseUrl: `${server.url}/elsewhere/` }));
    expect(failure.status).toBe(404);
    expect(server.requests[0]!.path).toMatch(/^\/elsewhere\/(schedules|v2\/)/);
  });

  it("reports an answer without the list the API documents", async () => {
    const server = await track(startAnswering({ unexpected: true }));
    const failure = await failureOf(check(server));
    expect(failure.message).toMatch(/the answer to listing (schedules|live incidents) has no "(schedules|data|incidents)" list/);
  });
});
