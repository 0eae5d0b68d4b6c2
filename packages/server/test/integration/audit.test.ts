import Database from "better-sqlite3";
import { systemClock } from "../../src/domain/clock.js";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectEnvelope } from "./envelope.js";
import { auditWriter as writer, canonical, rewriteChain } from "./audit-fixtures.js";
import { dropTestDatabase, onPostgres, startTestServer, until, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";
import { CATALOG, requestFor, seedSpace, type CatalogRoute } from "./route-catalog.js";
import { onDatabase, openBeside, whenFree } from "./server-database.js";

/**
 * The audit log: every change writes its events in its own transaction (and fails without
 * them), the chain shows any tampering at the right position, and the log is searched,
 * exported and written to as documented.
 */

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  await t.close();
});

interface AuditEvent {
  seq: number;
  event: string;
  hash: string;
  prevHash: string;
  actor: { kind: string; id?: string; email?: string; labels: Record<string, string> };
  resources: Array<{ kind: string; id?: string; email?: string }>;
  reason: string;
  meta: { space: string; labels: Record<string, string> };
}

async function eventsOf(path: string, query: string): Promise<AuditEvent[]> {
  const reply = await t.call("GET", `${path}?${query}&pageSize=100`);
  expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(200);
  return (reply.body.events as AuditEvent[]).reverse();
}

/**
 * What each request writes, by route, when the server's admin makes it in a seeded space.
 * Most write one event; approving also grants, and closing or deleting a granted petition
 * revokes its grant. Refused requests (dry-run redelivery, no pull webhook) write nothing, and
 * reads write nothing.
 */
const EXPECTED: Record<string, string[]> = {
  "POST /v1/spaces/{space}/petitions": ["access/request"],
  "PUT /v1/spaces/{space}/petitions/{petition}": ["access/close", "access/revoke"],
  "DELETE /v1/spaces/{space}/petitions/{petition}": ["access/close", "access/revoke", "petition/deleted"],
  "POST /v1/spaces/{space}/petitions/{petition}/claims": ["access/approve", "access/grant"],
  // The seeded petition was not made for an operation: no receipt, nothing written.
  "POST /v1/spaces/{space}/petitions/{petition}:receipt": [],
  // A preview answers what a petition would get and makes nothing.
  "POST /v1/spaces/{space}/petitions:preview": [],
  // An extension is a new petition, asked for like any.
  "POST /v1/spaces/{space}/petitions/{petition}:extend": ["access/request"],
  "POST /v1/spaces/{space}/resources": ["resource/created"],
  "PUT /v1/spaces/{space}/resources/{resource}": ["resource/updated"],
  "DELETE /v1/spaces/{space}/resources/{resource}": ["resource/deleted"],
  "PUT /v1/spaces/{space}/resources:bulkUpdate": ["resources/bulk-updated"],
  "POST /v1/spaces/{space}/resources:bulkUpdate": ["resources/bulk-updated"],
  "POST /v1/spaces/{space}/resources:bulkDelete": ["resources/bulk-deleted"],
  "POST /v1/spaces": ["space/created"],
  "PATCH /v1/spaces/{space}": ["space/updated"],
  "DELETE /v1/spaces/{space}": ["space/deleted"],
  "POST /v1/spaces/{space}:getPolicy": [],
  "POST /v1/spaces/{space}:setPolicy": ["roles/replaced"],
  "POST /v1/spaces/{space}:addToRole": ["role/added"],
  "POST /v1/spaces/{space}:removeFromRole": ["role/removed"],
  "POST /v1/spaces/{space}/groups": ["group/created"],
  "PUT /v1/spaces/{space}/groups/{group}": ["group/updated"],
  "DELETE /v1/spaces/{space}/groups/{group}": ["group/deleted"],
  "POST /v1/spaces/{space}/serviceAccounts": ["serviceAccount/created"],
  "PATCH /v1/spaces/{space}/serviceAccounts/{serviceAccountId}": ["serviceAccount/updated"],
  "DELETE /v1/spaces/{space}/serviceAccounts/{serviceAccountId}": ["serviceAccount/deleted"],
  "POST /v1/spaces/{space}/tokens": ["token/created"],
  "DELETE /v1/spaces/{space}/tokens/{token}": ["token/revoked"],
  "POST /v1/spaces/{space}/userTokens": ["token/minted"],
  "POST /v1/auth/keys:rotate": ["signingKey/rotated"],
  "POST /v1/auth/signInLinks": ["signInLink/created"],
  "PUT /v1/spaces/{space}/policy": ["policy/saved"],
  "DELETE /v1/spaces/{space}/policy": ["policy/deleted"],
  "POST /v1/spaces/{space}/policies:validate": [],
  "POST /v1/spaces/{space}/policies:explain": [],
  "POST /v1/spaces/{space}/policies:replay": [],
  "POST /v1/spaces/{space}/onCallProviders": ["onCallProvider/created"],
  "PUT /v1/spaces/{space}/onCallProviders/{provider}": ["onCallProvider/updated"],
  "DELETE /v1/spaces/{space}/onCallProviders/{provider}": ["onCallProvider/deleted"],
  "POST /v1/spaces/{space}/webhooks": ["webhook/created"],
  "PATCH /v1/spaces/{space}/webhooks/{webhook}": ["webhook/updated"],
  "DELETE /v1/spaces/{space}/webhooks/{webhook}": ["webhook/deleted"],
  "POST /v1/spaces/{space}/webhookPolicies": ["webhookPolicy/created"],
  "PUT /v1/spaces/{space}/webhookPolicies/{policy}": ["webhookPolicy/updated"],
  "DELETE /v1/spaces/{space}/webhookPolicies/{policy}": ["webhookPolicy/deleted"],
  "POST /v1/spaces/{space}/subscriptions": ["subscription/created"],
  "PATCH /v1/spaces/{space}/subscriptions/{subscription}": ["subscription/updated"],
  "DELETE /v1/spaces/{space}/subscriptions/{subscription}": ["subscription/deleted"],
  "POST /v1/spaces/{space}/webhooks/{webhook}/deliveries/{delivery}:redeliver": [],
  "POST /v1/spaces/{space}/subscriptions/{subscription}/deliveries/{delivery}:redeliver": ["delivery/redelivered"],
  "PUT /v1/spaces/{space}/resources:pullUpdate": [],
  "POST /v1/spaces/{space}/resources:pullUpdate": [],
  "POST /v1/spaces/{space}/pullPolicies": ["pullPolicy/created"],
  "PUT /v1/spaces/{space}/pullPolicies/{policy}": ["pullPolicy/updated"],
  "DELETE /v1/spaces/{space}/pullPolicies/{policy}": ["pullPolicy/deleted"],
  "POST /v1/spaces/{space}/pullPolicies/{policy}:run": ["pullPolicy/ran"],
  "PUT /v1/spaces/{space}/slack": ["slackApp/updated"],
  "DELETE /v1/spaces/{space}/slack": ["slackApp/deleted"],
  "POST /v1/spaces/{space}/slack:test": [],
  "POST /v1/spaces/{space}/slack/deliveries/{delivery}:redeliver": ["delivery/redelivered"],
  "POST /v1/spaces/{space}/audit:verify": [],
  "POST /v1/spaces/{space}/receipts:check": [],
  // The space's chain and the server's both record a retention change.
  "PUT /v1/spaces/{space}/audit/settings": ["audit/settings-updated", "audit/settings-updated"],
  "POST /v1/spaces/{space}/auditInputs": ["auditInput/created"],
  "DELETE /v1/spaces/{space}/auditInputs/{provider}/{input}": ["auditInput/deleted"],
  "POST /v1/audit:verify": [],
};

const WRITES = CATALOG.filter((entry) => entry.method !== "GET");

describe("every request that changes something writes its events, and only those", () => {
  it("the table names every route that is not a read", () => {
    expect(WRITES.map((e) => e.route).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(WRITES.map((entry) => [entry.route, entry] as const))("%s", async (_route, entry: CatalogRoute) => {
    const space = await createSpace(t);
    const fixture = await seedSpace(t, space);
    const { method, path, body } = requestFor(entry, fixture);
    const reply = await t.call(method, path, body);
    const requestId = String(reply.headers["x-request-id"]);
    const ofRequest = `requestId=${encodeURIComponent(requestId)}`;
    const written = [
      ...(entry.route === "DELETE /v1/spaces/{space}" ? [] : await eventsOf(`/v1/spaces/${space}/audit`, ofRequest)),
      ...(await eventsOf("/v1/audit", ofRequest)),
      ...(entry.route === "POST /v1/spaces" && reply.status === 201
        ? await eventsOf(`/v1/spaces/${reply.body.name}/audit`, ofRequest)
        : []),
    ];
    expect(
      written.map((e) => e.event),
      `${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`,
    ).toEqual(EXPECTED[entry.route]);
    for (const event of written) {
      expect(event.meta.labels["greenlight.dev/request-id"]).toBe(requestId);
      // The server's admin made the request; what it caused (a grant, a revoke) is made in its name too.
      expect(event.actor.kind).toBe("greenlight.v1.Admin");
    }
  });
});

describe("who and which token", () => {
  it("puts the person and the token they used on the event, and the system on what it does by itself", async () => {
    const space = await createSpace(t);
    const email = `admin-${Date.now()}@example.com`;
    const token = await userToken(t, space, email, ["admin"]);
    const reply = await t.call(
      "POST",
      `/v1/spaces/${space}/groups`,
      { group: { name: "auditors", members: ["ann@example.com"] } },
      bearer(token),
    );
    expect(reply.status).toBe(201);
    const [event] = await eventsOf(`/v1/spaces/${space}/audit`, `event=group/created`);
    expect(event!.actor).toMatchObject({ kind: "user", email });
    expect(event!.actor.labels["greenlight.dev/token"]).toMatch(/^tok_/);
    // The group's member can be found by the resource filter.
    const byMember = await eventsOf(`/v1/spaces/${space}/audit`, "resource=ann@example.com");
    expect(byMember.map((e) => e.event)).toEqual(["group/created"]);
    const byActor = await eventsOf(`/v1/spaces/${space}/audit`, `actor=${encodeURIComponent(email.toUpperCase())}`);
    expect(byActor.map((e) => e.event)).toEqual(["group/created"]);
  });

  it("leaves out the events a search excludes, by name or by prefix, with the other filters", async () => {
    const space = await createSpace(t);
    const token = await userToken(t, space, `excluder-${Date.now()}@example.com`, ["admin"]);
    await userToken(t, space, `other-${Date.now()}@example.com`, ["member"]);
    const made = await t.call("POST", `/v1/spaces/${space}/groups`, { group: { name: "ops", members: [] } }, bearer(token));
    expect(made.status).toBe(201);
    const audit = `/v1/spaces/${space}/audit`;
    const everything = (await eventsOf(audit, "")).map((e) => e.event);
    expect(everything.filter((e) => e === "role/added")).toHaveLength(2);
    const withoutAdded = (await eventsOf(audit, "excludeEvent=role/added")).map((e) => e.event);
    expect(withoutAdded).toEqual(everything.filter((e) => e !== "role/added"));
    expect(withoutAdded).toContain("group/created");
    expect((await eventsOf(audit, "excludeEvent=role/*")).map((e) => e.event)).toEqual(everything.filter((e) => !e.startsWith("role/")));
    expect((await eventsOf(audit, "event=group/*&excludeEvent=role/added")).map((e) => e.event)).toEqual(["group/created"]);
    expect(await eventsOf(audit, "event=role/added&excludeEvent=role/*")).toEqual([]);
  });

  it("never writes a secret into an event", async () => {
    const space = await createSpace(t);
    const secrets = {
      apiKey: "pd-secret-api-key-123456",
      hook: "wks0SuperSecretSigningValue0123456789",
      header: "Bearer header-credential-xyz",
    };
    await t.call("POST", `/v1/spaces/${space}/onCallProviders`, {
      provider: { name: "pd", kind: "pagerduty", apiKey: secrets.apiKey, baseUrl: "http://127.0.0.1:9" },
    });
    await t.call("POST", `/v1/spaces/${space}/webhooks`, {
      webhook: {
        name: "hook",
        url: "http://127.0.0.1:9/x?token=url-secret-value",
        secret: secrets.hook,
        headers: { authorization: { value: secrets.header } },
        handlers: [{ type: "decision", resourceKinds: [] }],
      },
    });
    const minted = await t.call("POST", `/v1/spaces/${space}/serviceAccounts`, { serviceAccount: { name: "deployer" } });
    const token = await t.call("POST", `/v1/spaces/${space}/tokens`, { serviceAccountId: minted.body.serviceAccountId });
    expect(token.status).toBe(201);
    const exported = await t.call("GET", `/v1/spaces/${space}/audit:export`);
    expect(exported.status).toBe(200);
    const text = typeof exported.body === "string" ? exported.body : JSON.stringify(exported.body);
    for (const secret of [...Object.values(secrets), "url-secret-value", token.body.refreshToken, token.body.accessToken]) {
      expect(text.includes(secret), `a secret is in the audit log`).toBe(false);
    }
    expect(text).toContain("onCallProvider/created");
  });
});

describe("no change without its audit event", () => {
  it("a change whose event cannot be written fails and leaves nothing behind", async () => {
    const space = await createSpace(t);
    await onDatabase(
      t,
      onPostgres
        ? [
            `CREATE FUNCTION refuse_audit() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit unavailable'; END $$ LANGUAGE plpgsql`,
            `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events FOR EACH ROW WHEN (NEW.event = 'webhook/created') EXECUTE FUNCTION refuse_audit()`,
          ]
        : [
            `CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_events WHEN NEW.event = 'webhook/created' BEGIN SELECT RAISE(ABORT, 'audit unavailable'); END`,
          ],
    );
    try {
      const refused = await t.call("POST", `/v1/spaces/${space}/webhooks`, {
        webhook: { name: "unaudited", url: "http://127.0.0.1:9/hook", handlers: [{ type: "decision", resourceKinds: [] }] },
      });
      expectEnvelope(refused, 500, "INTERNAL");
      expect((await t.call("GET", `/v1/spaces/${space}/webhooks/unaudited`)).status).toBe(404);
      // Other changes go on being written with their events.
      const group = await t.call("POST", `/v1/spaces/${space}/groups`, { group: { name: "still-fine", members: [] } });
      expect(group.status).toBe(201);
    } finally {
      await onDatabase(
        t,
        onPostgres ? ["DROP TRIGGER refuse_audit ON audit_events", "DROP FUNCTION refuse_audit()"] : ["DROP TRIGGER refuse_audit"],
      );
    }
    const verified = await t.call("POST", `/v1/spaces/${space}/audit:verify`);
    expect(verified.body).toMatchObject({ valid: true });
    expect((await eventsOf(`/v1/spaces/${space}/audit`, "event=webhook/*")).length).toBe(0);
  });
});

describe("tamper evidence", () => {
  // The tampering is done to a copy of a SQLite store; the chain and its checks are the same on PostgreSQL.
  it.skipIf(onPostgres)(
    "finds each of 1,000 random edits, deletions, swaps and truncations at the right position",
    async () => {
      const space = await createSpace(t);
      await (
        await writer(t, space)
      )(1000);
      const copyDir = mkdtempSync(join(tmpdir(), "greenlight-audit-copy-"));
      const source = new Database(join(t.dataDir, "greenlight.db"), { readonly: true });
      await source.backup(join(copyDir, "greenlight.db"));
      source.close();
      cpSync(join(t.dataDir, "secret.key"), join(copyDir, "secret.key"));
      const copy = await startTestServer({ dataDir: copyDir });
      const db = openBeside(join(copyDir, "greenlight.db"));
      try {
        const spaceId = (db.prepare("SELECT id FROM spaces WHERE name = ?").get(space) as { id: string }).id;
        const head = (db.prepare("SELECT head_seq FROM audit_chains WHERE space_id = ?").get(spaceId) as { head_seq: number }).head_seq;
        const rowAt = db.prepare("SELECT * FROM audit_events WHERE space_id = ? AND seq = ?");
        const put = db.prepare(
          "INSERT INTO audit_events (space_id, seq, id, event, actor_key, request_id, created_at, prev_hash, hash, body, writer, received_at) VALUES (@space_id, @seq, @id, @event, @actor_key, @request_id, @created_at, @prev_hash, @hash, @body, @writer, @received_at)",
        );
        const remove = db.prepare("DELETE FROM audit_events WHERE space_id = ? AND seq >= ? AND seq <= ?");
        const random = seeded(20261202);
        const kinds = { edit: 0, delete: 0, swap: 0, truncate: 0 };
        let detected = 0;
        for (let op = 0; op < 1000; op++) {
          const kind = (["edit", "delete", "swap", "truncate"] as const)[op % 4]!;
          const k = 1 + Math.floor(random() * head);
          let expected = k;
          const saved = (from: number, to: number) =>
            db.prepare("SELECT * FROM audit_events WHERE space_id = ? AND seq >= ? AND seq <= ?").all(spaceId, from, to) as any[];
          let restore: () => void;
          if (kind === "edit") {
            const row = rowAt.get(spaceId, k) as any;
            const field = (["body", "hash", "event", "prev_hash"] as const)[Math.floor(random() * 4)]!;
            const edited =
              field === "body"
                ? row.body.replace(/"reason":"/, '"reason":"x')
                : field === "event"
                  ? "app/other"
                  : `${row[field].slice(0, -1)}${row[field].endsWith("0") ? "1" : "0"}`;
            await whenFree(() => db.prepare(`UPDATE audit_events SET ${field} = ? WHERE space_id = ? AND seq = ?`).run(edited, spaceId, k));
            restore = () => db.prepare(`UPDATE audit_events SET ${field} = ? WHERE space_id = ? AND seq = ?`).run(row[field], spaceId, k);
          } else if (kind === "delete") {
            const rows = saved(k, k);
            await whenFree(() => remove.run(spaceId, k, k));
            restore = () => db.transaction(() => rows.forEach((r) => put.run(r)))();
          } else if (kind === "swap") {
            let j = 1 + Math.floor(random() * head);
            if (j === k) j = k === head ? k - 1 : k + 1;
            const [a, b] = [rowAt.get(spaceId, k) as any, rowAt.get(spaceId, j) as any];
            const swapInto = db.prepare(
              "UPDATE audit_events SET id = ?, event = ?, prev_hash = ?, hash = ?, body = ? WHERE space_id = ? AND seq = ?",
            );
            await whenFree(() =>
              db.transaction(() => {
                swapInto.run(b.id, b.event, b.prev_hash, b.hash, b.body, spaceId, k);
                swapInto.run(a.id, a.event, a.prev_hash, a.hash, a.body, spaceId, j);
              })(),
            );
            expected = Math.min(j, k);
            restore = () =>
              db.transaction(() => {
                swapInto.run(a.id, a.event, a.prev_hash, a.hash, a.body, spaceId, k);
                swapInto.run(b.id, b.event, b.prev_hash, b.hash, b.body, spaceId, j);
              })();
          } else {
            const rows = saved(k, head);
            await whenFree(() => remove.run(spaceId, k, head));
            restore = () => db.transaction(() => rows.forEach((r) => put.run(r)))();
          }
          kinds[kind] += 1;
          const report = (await copy.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
          await whenFree(restore);
          expect(report.valid, `${kind} at ${k} was not detected`).toBe(false);
          expect(report.firstFault.seq, `${kind} at ${k}: ${report.firstFault.message}`).toBe(expected);
          detected += 1;
        }
        expect(detected).toBe(1000);
        expect(Object.values(kinds).every((n) => n === 250)).toBe(true);
        // Everything restored: the copy verifies again.
        expect((await copy.call("POST", `/v1/spaces/${space}/audit:verify`)).body.valid).toBe(true);
      } finally {
        db.close();
        await copy.close();
        rmSync(copyDir, { recursive: true, force: true });
      }
    },
    180_000,
  );

  it("a chain rewritten after a signed checkpoint, hashes and all, fails against the checkpoint", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "greenlight-audit-cp-"));
    const server = await startTestServer({
      dataDir,
      env: { GREENLIGHT_AUDIT_CHECKPOINT_EVENTS: "1", GREENLIGHT_AUDIT_CHECKPOINT_INTERVAL: "1s" },
    });
    try {
      const space = await createSpace(server);
      const write = await writer(server, space);
      await write(20);
      const checkpointed = await until(
        () => server.call("GET", `/v1/spaces/${space}/audit/checkpoints`),
        (r) => r.body.checkpoints?.[0]?.seq >= 20,
      );
      const cp = checkpointed.body.checkpoints[0];
      // Someone with the database rewrites event 5 and recomputes every hash after it, head included.
      await rewriteChain(server, space, { seq: 5, deleteCheckpoints: "none" });
      const report = (await server.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
      expect(report.valid).toBe(false);
      expect(report.firstFault).toMatchObject({ problem: "checkpoint-mismatch" });
      expect(report.firstFault.seq).toBeLessThanOrEqual(cp.seq);
      expect(report.firstFault.seq).toBeGreaterThanOrEqual(5);
      // The checkpoint itself verifies with the published key, offline.
      const keys = await server.call("GET", "/v1/audit/keys", undefined, { authorization: "" });
      expect(keys.status).toBe(200);
      const { importJWK, compactVerify } = await import("jose");
      const key = keys.body.keys.find((k: { kid: string }) => k.kid === cp.kid);
      const verified = await compactVerify(cp.jws, await importJWK(key, "EdDSA"));
      expect(JSON.parse(new TextDecoder().decode(verified.payload))).toMatchObject({ space, seq: cp.seq, hash: cp.hash });
    } finally {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
      await dropTestDatabase(dataDir);
    }
  });

  it("a clean log of 100,000 events verifies with no false alarm, and its export verifies line by line", async () => {
    const space = await createSpace(t);
    await (
      await writer(t, space)
    )(100_000);
    const report = (await t.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
    expect(report).toMatchObject({ valid: true, fromSeq: 1 });
    expect(report.checkedEvents).toBeGreaterThanOrEqual(100_000);
    expect(report.head.seq).toBe(report.checkedEvents);

    const response = await fetch(`${t.url}/v1/spaces/${space}/audit:export`, {
      headers: { authorization: "Bearer test-admin-token-0123456789" },
    });
    expect(response.headers.get("content-type")).toContain("application/x-ndjson");
    let prev = "0".repeat(64);
    let lines = 0;
    let buffered = "";
    const decoder = new TextDecoder();
    for await (const chunk of response.body!) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const { hash, ...rest } = JSON.parse(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
        lines += 1;
        expect(rest.seq).toBe(lines);
        expect(rest.prevHash).toBe(prev);
        const recomputed = createHash("sha256").update(canonical(rest)).digest("hex");
        if (recomputed !== hash) throw new Error(`line ${lines} does not match its hash`);
        prev = hash;
      }
    }
    expect(lines).toBe(report.head.seq);
    expect(prev).toBe(report.head.hash);
  }, 300_000);
});

describe("search, export and inputs", () => {
  it("filters by event, time range and resource, pages, and exports CSV", async () => {
    const space = await createSpace(t);
    const write = await writer(t, space);
    await write(120);
    const page1 = await t.call("GET", `/v1/spaces/${space}/audit?event=app/*&pageSize=50`);
    expect(page1.body.events).toHaveLength(50);
    expect(page1.body.events[0].seq).toBeGreaterThan(page1.body.events[49].seq);
    const page2 = await t.call("GET", `/v1/spaces/${space}/audit?event=app/*&pageSize=50&pageToken=${page1.body.nextPageToken}`);
    expect(page2.body.events[0].seq).toBe(page1.body.events[49].seq - 1);
    const mixed = await t.call("GET", `/v1/spaces/${space}/audit?event=app/action&pageToken=${page1.body.nextPageToken}`);
    expectEnvelope(mixed, 400, "INVALID_ARGUMENT");
    const byResource = await t.call("GET", `/v1/spaces/${space}/audit?resource=doc-7`);
    expect(byResource.body.events.map((e: AuditEvent) => e.reason)).toEqual(["action 7"]);
    const future = await t.call("GET", `/v1/spaces/${space}/audit?startTime=2999-01-01T00:00:00Z`);
    expect(future.body.events).toEqual([]);
    const badTime = await t.call("GET", `/v1/spaces/${space}/audit?startTime=yesterday`);
    expectEnvelope(badTime, 400, "INVALID_ARGUMENT");
    expect(badTime.body.error.message).toContain("RFC 3339");
    const csv = await t.call("GET", `/v1/spaces/${space}/audit:export?format=csv&event=app/action`);
    expect(csv.status).toBe(200);
    const rows = String(csv.body).trim().split("\n");
    expect(rows[0]).toBe(
      "seq,timestamp,event,actor_kind,actor_id,actor_email,resources,reason,request_id,id,prev_hash,hash,writer,input,receive_time",
    );
    expect(rows).toHaveLength(121);
  });

  it("takes Indent's write API with the input's token only, and a removed input's token stops working", async () => {
    const space = await createSpace(t);
    const made = await t.call("POST", `/v1/spaces/${space}/auditInputs`, { input: { provider: "billing", name: "prod" } });
    expect(made.status).toBe(201);
    expect(made.body.token).toMatch(/^gla_/);
    const listed = await t.call("GET", `/v1/spaces/${space}/auditInputs`);
    expect(JSON.stringify(listed.body)).not.toContain(made.body.token);
    const url = `/v1/inputs/${space}/billing/prod`;
    const one = {
      event: "invoice/paid",
      actor: { kind: "user", email: "payer@example.com" },
      resources: [{ kind: "invoice", id: "inv-1" }],
    };
    expect((await t.call("POST", `${url}:write`, one, bearer(made.body.token))).body).toEqual({ written: 1 });
    expect((await t.call("POST", `${url}:writeBatch`, { events: [one, one], async: true }, bearer(made.body.token))).body).toEqual({
      written: 2,
    });
    for (const [what, path, auth] of [
      ["no token", `${url}:write`, { authorization: "" }],
      ["an API token", `${url}:write`, { authorization: "Bearer test-admin-token-0123456789" }],
      ["another input's path", `/v1/inputs/${space}/billing/other:write`, bearer(made.body.token)],
      ["another space", `/v1/inputs/default/billing/prod:write`, bearer(made.body.token)],
    ] as const) {
      const refused = await t.call("POST", path, one, auth);
      expect(refused.status, what).toBe(401);
    }
    expectEnvelope(await t.call("POST", `${url}:write`, { events: [one] }, bearer(made.body.token)), 400, "INVALID_ARGUMENT");
    expectEnvelope(await t.call("POST", `${url}:write`, { actor: one.actor }, bearer(made.body.token)), 400, "INVALID_ARGUMENT");
    expectEnvelope(await t.call("POST", `${url}:erase`, one, bearer(made.body.token)), 404, "NOT_FOUND");
    const written = await eventsOf(`/v1/spaces/${space}/audit`, "event=invoice/paid");
    expect(written).toHaveLength(3);
    expect(written[0]!.meta.labels["greenlight.dev/input"]).toBe("billing/prod");
    expect(written[0]!.actor.email).toBe("payer@example.com");
    expect((await t.call("DELETE", `/v1/spaces/${space}/auditInputs/billing/prod`)).status).toBe(200);
    expect((await t.call("POST", `${url}:write`, one, bearer(made.body.token))).status).toBe(401);
  });

  it("keeps events for the retention set, and the pruned chain still verifies", async () => {
    let now = Date.parse("2026-01-01T00:00:00Z");
    const server = await startTestServer({ clock: { ...systemClock, now: () => now } });
    try {
      const space = await createSpace(server);
      const short = await server.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "1h" } });
      expectEnvelope(short, 400, "INVALID_ARGUMENT");
      const set = await server.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: "2400h" } });
      expect(set.body).toEqual({ retention: "2400h" });
      expect((await server.call("GET", `/v1/spaces/${space}/audit/settings`)).body).toEqual({ retention: "2400h" });
      const write = await writer(server, space);
      await write(10);
      now += 101 * 24 * 3_600_000;
      await write(5);
      const { checkpointAuditChains, pruneAuditLogs } = await import("../../src/services/audit/audit-checkpoints.js");
      const { jobContext } = await import("../../src/services/runtime/context.js");
      // The server's own job may prune first; either way the removal is recorded once.
      await pruneAuditLogs({ ctx: jobContext(server.server.services, "audit") });
      const [pruned] = (await server.call("GET", `/v1/spaces/${space}/audit?event=audit/pruned`)).body.events as AuditEvent[];
      expect(pruned!.meta.labels["greenlight.dev/audit/removed"]).toBe("13");
      // What the job would have signed while the clock moved on.
      await checkpointAuditChains({ ctx: jobContext(server.server.services, "audit") });
      const report = (await server.call("POST", `/v1/spaces/${space}/audit:verify`)).body;
      expect(report).toMatchObject({ valid: true, fromSeq: 14 });
      const kept = await server.call("GET", `/v1/spaces/${space}/audit?pageSize=100`);
      expect(kept.body.events.map((e: AuditEvent) => e.event)).toEqual(["audit/pruned", ...Array(5).fill("app/action")]);
      const cleared = await server.call("PUT", `/v1/spaces/${space}/audit/settings`, { settings: { retention: null } });
      expect(cleared.body).toEqual({ retention: null });
    } finally {
      await server.close();
    }
  });
});

function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
