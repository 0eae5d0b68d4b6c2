import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { approveClaim, SPACE, startTestServer, type TestServer, until } from "./harness.js";

/**
 * The reviewer's filters of the petition list (`awaiting=me`: open, the caller eligible under
 * the petition's own plan, not yet reviewed by it; `reviewedBy=me`: approved or denied by it)
 * and the delivery log of one petition (`GET …/deliveries?petition=`).
 */

let t: TestServer;
let receiver: Receiver;
const tokens: Record<string, string> = {};

const POLICY = {
  rules: [
    {
      name: "prod-db",
      match: { kinds: ["postgres.v1.Database"] },
      require: [{ name: "dba", reviewers: { users: ["carol@example.com"] } }],
    },
    {
      name: "cluster",
      match: { kinds: ["k8s.v1.Cluster"] },
      require: [{ name: "two", reviewers: { users: ["alice@example.com", "carol@example.com"] }, approvals: 2 }],
    },
  ],
};

beforeAll(async () => {
  t = await startTestServer();
  receiver = await startReceiver();
  for (const [role, login] of [
    ["admin", "alice"],
    ["reviewer", "carol"],
    ["member", "bob"],
  ] as const) {
    const email = `${login}@example.com`;
    expect((await t.call("POST", `${SPACE}:addToRole`, { role, member: `user:${email}` })).status).toBe(200);
    const minted = await t.call("POST", `${SPACE}/userTokens`, { email, ttl: "1h" });
    expect(minted.status).toBe(201);
    tokens[login] = minted.body.accessToken;
  }
  expect((await t.call("PUT", `${SPACE}/policy`, { policy: POLICY })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await t.close();
  await receiver.close();
});

const as = (login: string) => ({ authorization: `Bearer ${tokens[login]}` });

async function ask(kind: string, id: string): Promise<string> {
  const reply = await t.call("POST", `${SPACE}/petitions`, {
    petition: { reason: "work", petitioners: [{ kind: "user", email: "bob@example.com" }], resources: [{ kind, id }] },
  });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.name;
}

async function names(login: string, query: string): Promise<string[]> {
  const reply = await t.call("GET", `${SPACE}/petitions?${query}`, undefined, as(login));
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply.body.petitions.map((p: { name: string }) => p.name);
}

describe("awaiting=me and reviewedBy=me", () => {
  let db: string;
  let role: string;
  let cluster: string;

  beforeAll(async () => {
    db = await ask("postgres.v1.Database", "orders");
    role = await ask("aws.v1.Role", "readonly");
    cluster = await ask("k8s.v1.Cluster", "prod");
  });

  it("lists the open petitions whose plan names the caller, newest first, and none of the caller's own", async () => {
    expect(await names("alice", "awaiting=me")).toEqual([cluster, role]);
    expect(await names("carol", "awaiting=me")).toEqual([cluster, role, db]);
    expect(await names("bob", "awaiting=me")).toEqual([]);
    expect(await names("carol", "awaiting=me&labelSelector=nothing%3Dhere")).toEqual([]);
    expect(await names("carol", "awaiting=me&phase=granted")).toEqual([]);
  });

  it("pages with tokens bound to the filter", async () => {
    const seen: string[] = [];
    const tokensSeen: string[] = [];
    let token = "";
    do {
      const page = await t.call("GET", `${SPACE}/petitions?awaiting=me&pageSize=1&pageToken=${token}`, undefined, as("carol"));
      expect(page.status).toBe(200);
      seen.push(...page.body.petitions.map((p: { name: string }) => p.name));
      token = page.body.nextPageToken;
      if (token) tokensSeen.push(token);
    } while (token);
    expect(seen).toEqual([cluster, role, db]);
    expect(tokensSeen.length).toBeGreaterThan(0);
    const otherList = await t.call("GET", `${SPACE}/petitions?reviewedBy=me&pageSize=1&pageToken=${tokensSeen[0]}`, undefined, as("carol"));
    expect(otherList.status).toBe(400);
    expect(otherList.body.error.field).toBe("pageToken");
  });

  it("drops a petition once the caller reviewed it, while it still awaits the other reviewers", async () => {
    expect((await t.call("POST", `${SPACE}/petitions/${cluster}/claims`, approveClaim("1h"), as("carol"))).status).toBe(200);
    const open = await t.call("GET", `${SPACE}/petitions/${cluster}`);
    expect(open.body.state.status.phase).toBe("open");
    expect(await names("carol", "awaiting=me")).toEqual([role, db]);
    expect(await names("alice", "awaiting=me")).toEqual([cluster, role]);
    expect(await names("carol", "reviewedBy=me")).toEqual([cluster]);

    const deny = { claim: { event: "access/deny", reason: "not today" } };
    expect((await t.call("POST", `${SPACE}/petitions/${role}/claims`, deny, as("alice"))).status).toBe(200);
    expect(await names("alice", "awaiting=me")).toEqual([cluster]);
    expect(await names("carol", "awaiting=me")).toEqual([db]);
    expect(await names("alice", "reviewedBy=me")).toEqual([role]);
    expect(await names("bob", "reviewedBy=me")).toEqual([]);
  });

  it("refuses anyone but me", async () => {
    const reply = await t.call("GET", `${SPACE}/petitions?awaiting=bob%40example.com`, undefined, as("alice"));
    expect(reply.status).toBe(400);
    expect(reply.body.error.code).toBe("INVALID_ARGUMENT");
  });
});

describe("GET /v1/spaces/{space}/deliveries?petition=", () => {
  it("lists what was delivered about one petition, to space admins", async () => {
    const hook = await t.call("POST", `${SPACE}/webhooks`, {
      webhook: { name: "groups", url: receiver.url, handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group"] }] },
    });
    expect(hook.status).toBe(201);
    const granted = await ask("okta.v1.Group", "eng");
    const other = await ask("okta.v1.Group", "ops");
    for (const name of [granted, other])
      expect((await t.call("POST", `${SPACE}/petitions/${name}/claims`, approveClaim("1h"), as("alice"))).status).toBe(200);

    const log = await until(
      () => t.call("GET", `${SPACE}/deliveries?petition=${granted}`, undefined, as("alice")),
      (reply) => reply.body.deliveries?.[0]?.status === "delivered",
    );
    expect(log.status).toBe(200);
    expect(log.body.deliveries).toHaveLength(1);
    expect(log.body.deliveries[0]).toMatchObject({
      event: "access/grant",
      petition: granted,
      receiver: { kind: "webhook", name: "groups" },
      status: "delivered",
    });
    expect(log.body.nextPageToken).toBe("");

    expect((await t.call("GET", `${SPACE}/deliveries?petition=${granted}`, undefined, as("carol"))).status).toBe(403);
    const missing = await t.call("GET", `${SPACE}/deliveries`, undefined, as("alice"));
    expect(missing.status).toBe(400);
    const unknown = await t.call("GET", `${SPACE}/deliveries?petition=pet_00000000000000000000000000`, undefined, as("alice"));
    expect(unknown.body.deliveries).toEqual([]);
  });
});
