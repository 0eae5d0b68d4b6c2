import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { approveClaim, createPetition, petitionBody, SPACE, startTestServer, type TestServer } from "./harness.js";

// Bad requests go over the real port (t.fetch), where the HTTP parser and body limits apply.

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

const PETITIONS = `${SPACE}/petitions`;
const RESOURCES = `${SPACE}/resources`;

/** The server still answers, authenticated and not. */
async function stillServing(): Promise<void> {
  expect((await t.fetch("GET", "/healthz")).status).toBe(200);
  expect((await t.fetch("GET", `${PETITIONS}?pageSize=1`)).status).toBe(200);
}

/** A petition body as JSON text with `extra` spliced into the petition object. */
const petitionWith = (extra: string) => `${JSON.stringify(petitionBody()).slice(0, -2)},${extra}}}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}"x"${"}".repeat(depth)}`;
const deepArray = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;
const json = { "content-type": "application/json" };

const field = (name: string) => ({ field: name });
const durationBody = (defaultDuration: unknown) => JSON.stringify(petitionBody({ defaultDuration }));

/** [what, path, JSON text, the message it must match or the field it must name]: each is answered 400 INVALID_ARGUMENT. */
const invalid: Array<[string, string, string, RegExp | { field: string }]> = [
  ["malformed JSON", PETITIONS, '{"petition": ', /JSON/],
  ["JSON with single quotes", PETITIONS, "{'petition': {}}", /JSON/],
  ["JSON with NaN", PETITIONS, petitionWith('"defaultDuration": {"seconds": NaN}'), /JSON/],
  ["an empty JSON body", PETITIONS, "", /empty/],
  ["a blank JSON body", PETITIONS, "  \n ", /empty/],
  ["a JSON array body", PETITIONS, "[]", /object/],
  ["a JSON null body", PETITIONS, "null", /object/],
  ["reason: 5", PETITIONS, JSON.stringify(petitionBody({ reason: 5 })), field("petition.reason")],
  ['petitioners: "x"', PETITIONS, JSON.stringify(petitionBody({ petitioners: "x" })), field("petition.petitioners")],
  ["a number for a resource", RESOURCES, '{"resource": 7}', field("resource")],
  ["an unknown petition field", PETITIONS, JSON.stringify(petitionBody({ colour: "red" })), field("petition.colour")],
  ["an unknown top-level field", PETITIONS, JSON.stringify({ ...petitionBody(), admin: true }), field("admin")],
  ["an unknown resource field", RESOURCES, '{"resource": {"kind": "k", "id": "i", "nickname": "n"}}', field("resource.nickname")],
  ["a __proto__ key", PETITIONS, petitionWith('"__proto__": {"isAdmin": true}'), /__proto__/],
  ["a __proto__ label", RESOURCES, '{"resource": {"kind": "k", "id": "i", "labels": {"__proto__": "x"}}}', /__proto__/],
  ["constructor.prototype", PETITIONS, petitionWith('"block": {"constructor": {"prototype": {"x": 1}}}'), /prototype/],
  ["labels nested 5000 deep", PETITIONS, petitionWith(`"meta": {"labels": {"a": ${deepObject(5000)}}}`), field("petition.meta.labels.a")],
  [
    "resource labels nested deep",
    RESOURCES,
    `{"resource": {"kind": "k", "id": "i", "labels": {"a": ${deepObject(5000)}}}}`,
    field("resource.labels.a"),
  ],
  ["a field nested 5000 deep", PETITIONS, petitionWith(`"block": ${deepObject(5000)}`), /deeper/],
  ["arrays nested 200000 deep", PETITIONS, petitionWith(`"state": {"eventHistory": ${deepArray(200_000)}}`), /deeper/],
  [
    "a claim reason nested deep",
    `${PETITIONS}/pet_x/claims`,
    `{"claim": {"event": "access/deny", "reason": ${deepObject(1000)}}}`,
    /deeper/,
  ],
  ["defaultDuration 99999999999h", PETITIONS, durationBody("99999999999h"), field("petition.defaultDuration")],
  ["defaultDuration 1e9h", PETITIONS, durationBody("1e9h"), field("petition.defaultDuration")],
  ["defaultDuration of 10^21 seconds", PETITIONS, durationBody({ seconds: "999999999999999999999" }), field("petition.defaultDuration")],
  ["defaultDuration of 1e300 seconds", PETITIONS, petitionWith('"defaultDuration": {"seconds": 1e300}'), field("petition.defaultDuration")],
  ["defaultDuration of -1s", PETITIONS, durationBody("-1s"), field("petition.defaultDuration")],
];

/** [what, path, Content-Type]: each is answered 415 UNSUPPORTED_MEDIA_TYPE. */
const unsupported: Array<[string, string, string]> = [
  ["text/plain", PETITIONS, "text/plain"],
  ["a form", RESOURCES, "application/x-www-form-urlencoded"],
  ["XML", `${RESOURCES}:bulkUpdate`, "application/xml"],
  ["multipart", PETITIONS, "multipart/form-data; boundary=x"],
];

describe("hostile and malformed input: a clear 4xx, and the server keeps serving", () => {
  it.each(invalid)("%s → 400", async (_name, path, body, check) => {
    const reply = await t.fetch("POST", path, body, json);
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    if (check instanceof RegExp) expect(reply.body.error.message).toMatch(check);
    else expect(reply.body.error.field).toBe(check.field);
    await stillServing();
  });

  it.each(unsupported)("%s → 415", async (_name, path, contentType) => {
    const reply = await t.fetch("POST", path, JSON.stringify(petitionBody()), { "content-type": contentType });
    expectEnvelope(reply, 415, "UNSUPPORTED_MEDIA_TYPE");
    expect(reply.body.error.message).toContain("application/json");
    await stillServing();
  });

  it("refuses a Content-Length that does not match the body", async () => {
    const reply = await t.call("POST", PETITIONS, JSON.stringify(petitionBody()), { "content-length": "5" });
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.message).toMatch(/Content-Length/);
    await stillServing();
  });

  it("refuses absurd durations on an approval and leaves the petition open", async () => {
    const p = await createPetition(t);
    for (const duration of ["99999999999h", "1e9h", "9223372036854775808ns", "-2h"]) {
      const reply = await t.fetch("POST", `${PETITIONS}/${p.name}/claims`, approveClaim(duration));
      expectEnvelope(reply, 400, "INVALID_ARGUMENT");
      expect(reply.body.error.field).toBe('claim.meta.labels["indent.com/time/duration"]');
    }
    const after = await t.fetch("GET", `${PETITIONS}/${p.name}`);
    expect(after.body.state.status).toEqual({ phase: "open" });
    expect(after.body.state.eventHistory).toHaveLength(1);
  });

  it("refuses page sizes out of range on every list (400, field pageSize)", async () => {
    const p = await createPetition(t);
    for (const list of [PETITIONS, `${PETITIONS}/${p.name}/claims`, `${SPACE}/grants`, RESOURCES]) {
      for (const size of ["1000", "101", "-1", "1.5", "ten", "1&pageSize=2"]) {
        const reply = await t.fetch("GET", `${list}?pageSize=${size}`);
        expectEnvelope(reply, 400, "INVALID_ARGUMENT");
        expect(reply.body.error.field, `${list} ${size}`).toBe("pageSize");
      }
      expect((await t.fetch("GET", `${list}?pageSize=100`)).status).toBe(200);
    }
  });

  it("refuses label selector garbage on every list that takes one (400, field labelSelector)", async () => {
    const p = await createPetition(t);
    const garbage = ["a in (b", "===", "a=b=c", "!", "a notin b", "a='; DROP TABLE petitions;--", "$.x=1", "a,,b", "x".repeat(400) + "=1"];
    for (const list of [PETITIONS, `${PETITIONS}/${p.name}/claims`, RESOURCES]) {
      for (const selector of garbage) {
        const reply = await t.fetch("GET", `${list}?labelSelector=${encodeURIComponent(selector)}`);
        expectEnvelope(reply, 400, "INVALID_ARGUMENT");
        expect(reply.body.error.field, `${list} ${selector}`).toBe("labelSelector");
      }
    }
    await stillServing();
  });

  it("refuses malformed URLs with the same envelope", async () => {
    const badEncoding = await t.fetch("GET", `${PETITIONS}/pet%E0%A4%A`);
    expectEnvelope(badEncoding, 400, "INVALID_ARGUMENT");
    expect(badEncoding.body.error.message).toMatch(/percent-encoding/);
    const tooLong = await t.fetch("GET", `${PETITIONS}/pet_${"x".repeat(300)}`);
    expectEnvelope(tooLong, 400, "INVALID_ARGUMENT");
    expect(tooLong.body.error.message).toMatch(/256 characters/);
    await stillServing();
  });

  it("refuses unknown query parameters, naming them", async () => {
    const reply = await t.fetch("GET", `${PETITIONS}?pageSize=1&admin=true`);
    expectEnvelope(reply, 400, "INVALID_ARGUMENT");
    expect(reply.body.error.field).toBe("admin");
  });
});

describe("GREENLIGHT_MAX_BODY_BYTES", () => {
  it("answers 413 PAYLOAD_TOO_LARGE past the limit, and accepts a body under it", async () => {
    const small = await startTestServer({ env: { GREENLIGHT_MAX_BODY_BYTES: "2048" } });
    try {
      const over = await small.fetch("POST", PETITIONS, petitionBody({ reason: "x".repeat(3000) }));
      expectEnvelope(over, 413, "PAYLOAD_TOO_LARGE");
      expect(over.body.error.message).toContain("GREENLIGHT_MAX_BODY_BYTES");
      const far = await small.fetch("PUT", `${RESOURCES}:bulkUpdate`, {
        resources: Array.from({ length: 5000 }, (_, i) => ({ kind: "k", id: `${i}` })),
      });
      expectEnvelope(far, 413, "PAYLOAD_TOO_LARGE");
      const under = await small.fetch("POST", PETITIONS, petitionBody({ reason: "x".repeat(1000) }));
      expect(under.status).toBe(201);
      expect((await small.fetch("GET", "/healthz")).status).toBe(200);
    } finally {
      await small.close();
    }
  });
});

describe("after all of that", () => {
  it("a normal create and approve still work", async () => {
    const p = await createPetition(t);
    const approved = await t.fetch("POST", `${PETITIONS}/${p.name}/claims`, approveClaim("1h"));
    expect(approved.status).toBe(200);
    const read = await t.fetch("GET", `${PETITIONS}/${p.name}`);
    expect(read.body.state.status.phase).toBe("granted");
    expect((await t.fetch("GET", `${SPACE}/grants?petition=${p.name}`)).body.grants).toHaveLength(1);
  });

  it("no request left a half-written petition or resource behind", async () => {
    const petitions: Array<{ name: string; reason: string; state: { eventHistory: Array<{ event: string }> } }> = [];
    let token = "";
    do {
      const page = await t.fetch("GET", `${PETITIONS}?pageSize=100&showDeleted=true${token ? `&pageToken=${token}` : ""}`);
      expect(page.status).toBe(200);
      petitions.push(...page.body.petitions);
      token = page.body.nextPageToken;
    } while (token);
    // Only the petitions the well-formed requests created: three above, and the one 413 test's is on its own server.
    expect(petitions.length).toBe(4);
    for (const p of petitions) {
      expect(p.state.eventHistory[0]!.event, p.name).toBe("access/request");
      expect(p.reason).toBe("to debug production");
    }
    expect((await t.fetch("GET", `${RESOURCES}?pageSize=100`)).body.resources).toEqual([]);
  });
});
