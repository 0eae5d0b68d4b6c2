import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { SEALED_SECRETS } from "../../src/store/repositories/sealed-secrets.js";
import { SecretBox } from "../../src/store/secret-box.js";
import { queryDatabase } from "./database-files.js";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { approveClaim, dropTestDatabase, onPostgres, startTestServer, tempDataDir, type TestServer } from "./harness.js";
import { bearer, createSpace, userToken } from "./identity-fixtures.js";

/**
 * The server's secret key can be changed: with the old key in GREENLIGHT_SECRET_KEY_PREVIOUS,
 * a server opens what the old key sealed and seals it again with the new one when it starts,
 * after which the old key is needed nowhere. Without it, a server given another key refuses to
 * start rather than run without its signing keys.
 */

const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);
const b64 = (key: Buffer) => key.toString("base64");
const HEADER = "Bearer header-sealed-under-the-old-key";
const BOT_TOKEN = "xoxb-sealed-under-the-old-key";

const dataDir = tempDataDir();
const receivers: Receiver[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(dataDir, { recursive: true, force: true });
  await dropTestDatabase(dataDir);
});

function start(env: Record<string, string>): Promise<TestServer> {
  return startTestServer({ dataDir, keepData: true, env: { ...env, GREENLIGHT_DELIVERY_SCHEDULE: "100ms,100ms" } });
}

async function receiver(path: string): Promise<Receiver> {
  const started = await startReceiver(path);
  receivers.push(started);
  return started;
}

/** Every sealed value in the database, and whether `box` opens it. */
async function sealedValues(box: SecretBox): Promise<Array<{ context: string; opens: boolean }>> {
  const out: Array<{ context: string; opens: boolean }> = [];
  for (const { table, columns } of SEALED_SECRETS) {
    for (const row of await queryDatabase(dataDir, `select * from ${table}`)) {
      for (const [column, contextOf] of Object.entries(columns)) {
        const context = contextOf(row);
        let opens = true;
        try {
          box.open(String(row[column]), context);
        } catch {
          opens = false;
        }
        out.push({ context, opens });
      }
    }
  }
  return out;
}

describe("changing the server's secret key", () => {
  it("re-seals every stored secret with the new key when the old one is given as previous, then needs the old one no more", async () => {
    const hook = await receiver("/hook");
    const slackApi = await receiver("/api/");
    const old = await start({ GREENLIGHT_SECRET_KEY: b64(OLD_KEY) });
    const space = await createSpace(old);
    const base = `/v1/spaces/${space}`;
    const token = await userToken(old, space, "keeper@example.com", ["member"], "24h");
    for (const [path, body] of [
      [
        "webhooks",
        {
          webhook: {
            name: "apply",
            url: hook.url,
            headers: { authorization: { value: HEADER } },
            handlers: [{ type: "applyUpdate", resourceKinds: ["k.v1.Group"] }],
          },
        },
      ],
      ["subscriptions", { subscription: { name: "events", url: "http://127.0.0.1:9/events" } }],
      [
        "onCallProviders",
        { provider: { name: "pd", kind: "pagerduty", apiKey: "pd-key-sealed-under-old", baseUrl: "http://127.0.0.1:9" } },
      ],
    ] as const) {
      expect((await old.call("POST", `${base}/${path}`, body)).status).toBe(201);
    }
    const slack = await old.call("PUT", `${base}/slack`, {
      slack: { botToken: BOT_TOKEN, signingSecret: "0123456789abcdef0123", apiUrl: slackApi.url },
    });
    expect(slack.status).toBe(200);
    await old.close();
    const sealedBefore = await sealedValues(new SecretBox(OLD_KEY));
    expect(sealedBefore.length).toBeGreaterThan(6);
    expect(sealedBefore.every((value) => value.opens)).toBe(true);

    // Another key alone: the stored keys do not open, so it does not start.
    await expect(start({ GREENLIGHT_SECRET_KEY: b64(NEW_KEY) })).rejects.toThrow(/do not open with this server's secret key/);

    // The new key, with the old one as previous: everything is sealed again with the new key.
    const moving = await start({ GREENLIGHT_SECRET_KEY: b64(NEW_KEY), GREENLIGHT_SECRET_KEY_PREVIOUS: b64(OLD_KEY) });
    expect((await moving.call("GET", `${base}/petitions`, undefined, bearer(token))).status).toBe(200);
    await moving.close();
    expect((await sealedValues(new SecretBox(NEW_KEY))).filter((value) => !value.opens)).toEqual([]);
    expect((await sealedValues(new SecretBox(OLD_KEY))).filter((value) => value.opens)).toEqual([]);

    // And the new key alone serves as the old one did.
    const renewed = await start({ GREENLIGHT_SECRET_KEY: b64(NEW_KEY) });
    try {
      expect((await renewed.call("GET", `${base}/petitions`, undefined, bearer(token))).status).toBe(200);
      const petition = await renewed.call("POST", `${base}/petitions`, {
        petition: { reason: "work", petitioners: [{ kind: "user", email: "p@example.com" }], resources: [{ kind: "k.v1.Group", id: "g" }] },
      });
      await renewed.call("POST", `${base}/petitions/${petition.body.name}/claims`, approveClaim("1h"));
      const [delivery] = await hook.received(1);
      expect(delivery!.headers["authorization"]).toBe(HEADER);
      expect((await renewed.call("POST", `${base}/slack:test`)).status).toBe(200);
      const [authTest] = await slackApi.received(1);
      expect(authTest!.headers["authorization"]).toBe(`Bearer ${BOT_TOKEN}`);
    } finally {
      await renewed.close();
    }
  });

  it.skipIf(onPostgres)("names every column that holds a sealed secret", async () => {
    const columns = await queryDatabase(
      dataDir,
      "select m.name as tbl, p.name as col from sqlite_master m join pragma_table_info(m.name) p where m.type = 'table' and p.name like '%_sealed'",
    );
    const listed = SEALED_SECRETS.flatMap(({ table, columns: sealed }) => Object.keys(sealed).map((column) => `${table}.${column}`));
    expect(listed.sort()).toEqual(columns.map((c) => `${c.tbl}.${c.col}`).sort());
  });
});
