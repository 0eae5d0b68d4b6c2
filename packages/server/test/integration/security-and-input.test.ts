import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { createPetition, petitionBody, SPACE, startTestServer, TEST_TOKEN, type Reply, type TestServer } from "./harness.js";
import { createSpace } from "./identity-fixtures.js";
import { CATALOG, PUBLIC_ROUTES, requestFor, seedSpace, snapshotSpace, type Fixture } from "./route-catalog.js";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

/** A request over the real port with only the headers given: no Authorization unless asked. */
async function send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  const response = await fetch(t.url + path, {
    method,
    headers: { ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON; the assertions will say so
  }
  return { status: response.status, body: parsed, headers: Object.fromEntries(response.headers) };
}

const BEARER = { authorization: `Bearer ${TEST_TOKEN}` };

describe("authentication", () => {
  let fixture: Fixture;
  let before: Record<string, unknown>;
  let keysBefore: unknown;
  let spacesBefore: unknown;

  beforeAll(async () => {
    fixture = await seedSpace(t, await createSpace(t));
    before = await snapshotSpace(t, fixture.space);
    keysBefore = (await send("GET", "/v1/auth/keys")).body;
    spacesBefore = (await t.call("GET", "/v1/spaces?pageSize=100")).body;
  });

  it("the catalog covers every /v1 operation the OpenAPI document describes", async () => {
    const doc = (await send("GET", "/openapi.json")).body;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method.toUpperCase()} ${path}`));
    const listed = [...CATALOG.map((entry) => entry.route), ...PUBLIC_ROUTES];
    expect(new Set(listed).size, "a route is listed twice").toBe(listed.length);
    expect(listed.sort()).toEqual(documented.sort());
  });

  const variants: Array<[string, Record<string, string>, RegExp]> = [
    ["no Authorization header", {}, /missing Authorization/],
    ["an empty Authorization header", { authorization: "" }, /missing Authorization/],
    ["Basic credentials", { authorization: `Basic ${Buffer.from(`admin:${TEST_TOKEN}`).toString("base64")}` }, /Bearer/],
    ["the right token under another scheme", { authorization: `Token ${TEST_TOKEN}` }, /Bearer/],
    ["Bearer without a token", { authorization: "Bearer" }, /Bearer/],
    ["a wrong token", { authorization: "Bearer not-the-token" }, /not recognised/],
    ["the token with a character more", { authorization: `Bearer ${TEST_TOKEN}x` }, /not recognised/],
    ["the token with a character less", { authorization: `Bearer ${TEST_TOKEN.slice(0, -1)}` }, /not recognised/],
    ["the token followed by more words", { authorization: `Bearer ${TEST_TOKEN} ${TEST_TOKEN}` }, /Bearer/],
  ];

  it.each(variants)("every route answers 401 to %s", async (_name, headers, message) => {
    for (const entry of CATALOG) {
      const { method, path, body } = requestFor(entry, fixture);
      const reply = await send(method, path, body, headers);
      expectEnvelope(reply, 401, "UNAUTHENTICATED");
      expect(reply.body.error.message, entry.route).toMatch(message);
    }
  });

  it("and nothing the refused requests asked for happened", async () => {
    expect(await snapshotSpace(t, fixture.space)).toEqual(before);
    expect((await send("GET", "/v1/auth/keys")).body).toEqual(keysBefore);
    expect((await t.call("GET", "/v1/spaces?pageSize=100")).body).toEqual(spacesBefore);
  });

  it("every route that reads works with the token (the 401s were not 404s in disguise)", async () => {
    for (const entry of CATALOG.filter((e) => e.method === "GET")) {
      const { method, path } = requestFor(entry, fixture);
      expect((await send(method, path, undefined, BEARER)).status, entry.route).toBe(200);
    }
  });

  it("the public routes answer without a token", async () => {
    expect((await send("GET", "/v1/auth/keys")).status).toBe(200);
    // The exchange is public, and refuses a bad refresh token for what it is, not for a missing bearer.
    for (const [method, body] of [
      ["POST", { refresh_token: "rt_nope" }],
      ["GET", undefined],
    ] as const) {
      const reply = await send(method, "/v1/auth/token", body);
      expectEnvelope(reply, 401, "UNAUTHENTICATED");
      expect(reply.body.error.message).toMatch(/refresh token/);
    }
  });

  it("/healthz and /openapi.json need no token, and ignore a wrong one", async () => {
    for (const headers of [{}, { authorization: "Bearer wrong" }] as Array<Record<string, string>>) {
      const health = await send("GET", "/healthz", undefined, headers);
      expect(health.status).toBe(200);
      expect(health.body).toEqual({ status: "ok" });
      const doc = await send("GET", "/openapi.json", undefined, headers);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toMatch(/^3\.1\./);
    }
  });
});

describe("unknown spaces and routes", () => {
  it.each([
    ["GET", "/v1/spaces/nope/petitions", undefined],
    ["POST", "/v1/spaces/nope/petitions", petitionBody()],
    ["GET", "/v1/spaces/nope/petitions/pet_x/claims", undefined],
    ["GET", "/v1/spaces/nope/grants", undefined],
    ["GET", "/v1/spaces/nope/grants/grt_x", undefined],
    ["POST", "/v1/spaces/nope/resources", { resource: { kind: "k", id: "i" } }],
    ["PUT", "/v1/spaces/nope/resources:bulkUpdate", { resources: [] }],
  ])("%s %s → 404 naming the space", async (method, path, body) => {
    const reply = await send(method, path, body, BEARER);
    expectEnvelope(reply, 404, "NOT_FOUND");
    expect(reply.body.error.message).toContain('space "nope"');
    // Without a token the space is not even looked up: nothing is revealed.
    expectEnvelope(await send(method, path, body), 401, "UNAUTHENTICATED");
  });

  it.each([
    ["GET", "/v2/petitions"],
    ["GET", "/v1/spaces/default/nothing"],
    ["PATCH", "/v1/spaces/default/petitions"],
    ["GET", "/v1/spaces/default/resources:bulkUpdate"],
    // A client that does not ask for HTML gets the envelope; a browser gets the web UI's page.
    ["GET", "/no-such-page"],
  ])("%s %s → 404 envelope", async (method, path) => {
    const reply = await send(method, path, undefined, BEARER);
    expectEnvelope(reply, 404, "NOT_FOUND");
    expect(reply.body.error.message).toContain("/openapi.json");
  });
});

describe("request ids", () => {
  it("every response carries a fresh x-request-id; on errors it is the envelope's requestId", async () => {
    const p = await createPetition(t);
    const replies: Array<[Reply, number]> = [
      [await send("GET", "/healthz"), 200],
      [await send("GET", `${SPACE}/petitions?pageSize=1`, undefined, BEARER), 200],
      [await send("POST", `${SPACE}/petitions`, petitionBody(), BEARER), 201],
      [await send("POST", `${SPACE}/petitions`, { petition: {} }, BEARER), 400],
      [await send("GET", `${SPACE}/petitions`), 401],
      [await send("GET", `${SPACE}/petitions/pet_nope`, undefined, BEARER), 404],
      [await send("POST", `${SPACE}/petitions/${p.name}/claims`, { claim: { event: "access/revoke" } }, BEARER), 409],
      [await send("POST", `${SPACE}/petitions`, "x", { ...BEARER, "content-type": "text/plain" }), 415],
    ];
    const ids = replies.map(([reply, status]) => {
      expect(reply.status).toBe(status);
      const id = reply.headers["x-request-id"];
      expect(id).toMatch(/^req_[0-9a-z]{26}$/);
      if (status >= 400) expect(reply.body.error.requestId).toBe(id);
      return id;
    });
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("does not take a request id from the client", async () => {
    const reply = await send("GET", `${SPACE}/petitions/pet_nope`, undefined, { ...BEARER, "x-request-id": "client-chosen" });
    expect(reply.headers["x-request-id"]).toMatch(/^req_/);
    expect(reply.body.error.requestId).toBe(reply.headers["x-request-id"]);
  });
});

describe("GET /openapi.json", () => {
  let doc: any;
  beforeAll(async () => {
    doc = (await send("GET", "/openapi.json")).body;
  });

  it("is OpenAPI 3.1 with the bearer scheme", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.components.securitySchemes.bearer).toEqual({ type: "http", scheme: "bearer" });
  });

  it("describes petitions, claims, grants and resources, including the custom verbs", () => {
    const paths = Object.keys(doc.paths);
    for (const path of [
      "/v1/spaces/{space}/petitions",
      "/v1/spaces/{space}/petitions/{petition}",
      "/v1/spaces/{space}/petitions/{petition}/claims",
      "/v1/spaces/{space}/grants",
      "/v1/spaces/{space}/grants/{grant}",
      "/v1/spaces/{space}/resources",
      "/v1/spaces/{space}/resources/{resource}",
      "/v1/spaces/{space}/resources:bulkUpdate",
      "/v1/spaces/{space}/resources:bulkDelete",
    ]) {
      expect(paths).toContain(path);
    }
    expect(Object.keys(doc.paths["/v1/spaces/{space}/resources:bulkUpdate"]).sort()).toEqual(["post", "put"]);
    expect(Object.keys(doc.paths["/v1/spaces/{space}/petitions"]).sort()).toEqual(["get", "post"]);
  });

  it("every /v1 operation but the public ones needs the bearer token and documents 401", () => {
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith("/v1/"))
      .flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })));
    expect(operations.length).toBeGreaterThanOrEqual(CATALOG.length + PUBLIC_ROUTES.length);
    for (const { where, op } of operations) {
      if (PUBLIC_ROUTES.includes(where)) {
        expect(op.security, where).toEqual([]);
        continue;
      }
      const security = op.security ?? doc.security;
      expect(security, where).toContainEqual({ bearer: [] });
      expect(op.responses["401"], where).toBeDefined();
      expect(schemaAt(op.responses["401"].content["application/json"].schema).properties.error, where).toBeDefined();
    }
  });

  /** A schema, or the named one (components.schemas) it refers to. */
  function schemaAt(schema: any): any {
    const ref: unknown = schema.$ref;
    return typeof ref === "string" ? doc.components.schemas[ref.replace("#/components/schemas/", "")] : schema;
  }

  it("marks /healthz as public", () => {
    expect(doc.paths["/healthz"].get.security).toEqual([]);
  });
});
