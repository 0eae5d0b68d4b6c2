import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verifyWebhook } from "@greenlight/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { startReceiver, type Receiver } from "./receiver.js";
import { asAdmin, runGreenlight } from "./run-cli.js";

/** `greenlight subscriptions` against a real server, with a receiver that checks events as the SDK's users do. */

let t: TestServer;
let home: string;
let receiver: Receiver;
/** The secret `subscriptions create` printed; the receiver checks with it. */
let secret = "";

beforeAll(async () => {
  receiver = await startReceiver(async ({ headers, raw }) => {
    await verifyWebhook({ secret, headers: headers as Record<string, string>, body: raw });
    return true;
  });
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-subscriptions-"));
});
afterAll(async () => {
  await t.close();
  await receiver.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[]) => runGreenlight(home, args, asAdmin(t, home));
const json = async (args: string[]) => JSON.parse((await run([...args, "-o", "json"])).stdout);

describe("greenlight subscriptions", () => {
  it("subscribes a URL that then receives a signed petition.created event", async () => {
    const created = await run([
      "subscriptions",
      "create",
      "--name",
      "audit",
      "--url",
      `${receiver.url}/events`,
      "--event",
      "petition.created",
    ]);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe("Created subscription audit (petition.created). Store its signing secret now: it is not shown again.\n");
    secret = created.stdout.trim();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);

    const petition = (await json(["request", "-r", "okta.v1.Group:eng", "--for", "sub@example.com", "--reason", "to debug"])).name;
    const [event] = await receiver.waitFor(1);
    expect(event!.verified).toBe(true);
    expect(event!.headers["webhook-id"]).toMatch(/^msg_/);
    expect(event!.body).toMatchObject({ type: "petition.created", data: { petition: { name: petition, reason: "to debug" } } });

    const deliveries = await run(["subscriptions", "deliveries", "audit"]);
    expect(deliveries.stdout).toMatch(
      new RegExp(`\\n${event!.headers["webhook-id"]}\\s+petition\\.created\\s+delivered\\s+1\\s+.*HTTP 200\\n`),
    );
    const shown = await run(["subscriptions", "delivery", "audit", event!.headers["webhook-id"] as string]);
    expect(shown.stdout).toMatch(/receiver:\s+subscription audit\n/);
    expect(shown.stdout).toMatch(/\n {2}#1 {2}\S+ \S+ {2}HTTP 200 in \d+ ms\n/);
    // The route is found (not 404): the server answers that there is nothing to send again.
    const again = await run(["subscriptions", "redeliver", "audit", event!.headers["webhook-id"] as string]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CONFLICT: delivery msg_\w+ was delivered already/);
  });

  it("lists, shows, changes, turns off and on, and deletes a subscription", async () => {
    const listed = await run(["subscriptions", "list"]);
    expect(listed.stdout.split("\n")[0]).toMatch(/^NAME\s+EVENTS\s+URL\s+STATE\s+LAST SUCCESS\s+LAST ERROR$/);
    expect(listed.stdout).toMatch(/\naudit\s+petition\.created\s+http:\/\/127\.0\.0\.1:\d+\/events\s+on\s+\d{4}-/);
    const shown = await run(["subscriptions", "get", "audit"]);
    expect(shown.stdout).toMatch(/secret:\s+whsec_…/);
    expect(shown.stdout).not.toContain(secret);

    const changed = await json([
      "subscriptions",
      "update",
      "audit",
      "--event",
      "petition.*,grant.started",
      "--description",
      "the audit sink",
    ]);
    expect(changed).toMatchObject({ eventTypes: ["petition.*", "grant.started"], description: "the audit sink", disabled: false });
    expect(changed.secret).toBeUndefined();
    expect((await run(["subscriptions", "update", "audit", "--disable"])).stdout).toMatch(
      /^Updated subscription audit: off: turned off by an admin/,
    );
    expect((await run(["subscriptions", "update", "audit", "--enable"])).stdout).toBe("Updated subscription audit: on\n");

    const nothing = await run(["subscriptions", "update", "audit"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/nothing to change/);
    const badEvent = await run(["subscriptions", "update", "audit", "--event", "petition.exploded"]);
    expect(badEvent.code).toBe(1);
    expect(badEvent.stderr).toMatch(/INVALID_ARGUMENT: subscription\.eventTypes\[0\] must be one of/);

    expect((await run(["subscriptions", "delete", "audit"])).stdout).toBe("Deleted subscription audit\n");
    expect((await run(["subscriptions", "get", "audit"])).stderr).toMatch(/NOT_FOUND: space "default" has no event subscription "audit"/);
  });
});
