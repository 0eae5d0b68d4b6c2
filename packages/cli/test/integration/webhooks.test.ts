import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { webhookTestEvents } from "@greenlight/sdk";
import { verify } from "@indent/webhook";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SPACE, startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { ManualClock } from "../../../server/test/support/manual-clock.js";
import { startReceiver, until, type Answer, type Receiver } from "./receiver.js";
import { asAdmin, runGreenlight, type RunOptions } from "./run-cli.js";

/**
 * `greenlight webhooks` against a real server, and its tester against a receiver written the
 * way Indent's integrations are: `@indent/webhook`'s `verify()` checks every signature.
 */

const SECRET = "wks0clitestsecret0123456789abcdefghij";
const OK: Answer = { body: { status: { code: 0 } } };
const UNAVAILABLE: Answer = { status: 503, body: { status: { code: 14, message: "the directory is down" } } };

let t: TestServer<ManualClock>;
let home: string;
let receiver: Receiver;
/** What the apply webhook's receiver answers, changed as the test goes. */
let applyAnswer: Answer = OK;

beforeAll(async () => {
  receiver = await startReceiver(({ headers, raw }: { headers: IncomingHttpHeaders; raw: string }) =>
    verify({ secret: SECRET, body: raw, headers: headers as Record<string, string> }),
  );
  receiver.answer = (request) => {
    if (request.path === "/moved") return { status: 302, headers: { location: `${receiver.url}/test` } };
    return request.path === "/apply" ? applyAnswer : OK;
  };
  // One retry, 3 s (±20 %) after the first attempt on the test's clock, then a delivery has failed.
  t = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_DELIVERY_SCHEDULE: "3s" } });
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-webhooks-"));
});
afterAll(async () => {
  await t.close();
  await receiver.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[], options: RunOptions = {}) => {
  const admin = asAdmin(t, home);
  return runGreenlight(home, args, { ...admin, ...options, env: { ...admin.env, ...options.env } });
};
const json = async (args: string[]) => JSON.parse((await run([...args, "-o", "json"])).stdout);

describe("greenlight webhooks", () => {
  it("creates, lists, shows, changes, turns off and on, and deletes a webhook", async () => {
    const created = await run([
      "webhooks",
      "create",
      "--name",
      "okta",
      "--url",
      `${receiver.url}/okta`,
      "--handler",
      "applyUpdate:okta.v1.Group,github.v1.Team",
      "--header",
      "x-team=sre",
    ]);
    expect(created.code).toBe(0);
    const secret = created.stdout.trim();
    expect(created.stdout).toMatch(/^wks0[A-Za-z0-9]{40}\n$/);
    expect(created.stderr).toBe(
      "Created webhook okta (applyUpdate:okta.v1.Group,github.v1.Team). Store its signing secret now: it is not shown again.\n",
    );

    const listed = await run(["webhooks", "list"]);
    expect(listed.stdout.split("\n")[0]).toMatch(/^NAME\s+HANDLERS\s+URL\s+STATE\s+LAST SUCCESS\s+LAST ERROR$/);
    expect(listed.stdout).toMatch(/\nokta\s+applyUpdate:okta\.v1\.Group,github\.v1\.Team\s+http:\/\/127\.0\.0\.1:\d+\/okta\s+on\n/);
    const got = await json(["webhooks", "get", "okta"]);
    expect(got).toMatchObject({
      name: "okta",
      method: "POST",
      headers: { "x-team": { value: "(redacted)" } },
      handlers: [{ type: "applyUpdate", resourceKinds: ["okta.v1.Group", "github.v1.Team"] }],
      dryRun: false,
      disabled: false,
    });
    expect(got.secret).toBeUndefined();
    const shown = await run(["webhooks", "get", "okta"]);
    expect(shown.stdout).toMatch(
      /^name:\s+okta\n[\s\S]*handlers:\s+applyUpdate:okta\.v1\.Group,github\.v1\.Team\n[\s\S]*headers:\s+x-team\n/,
    );
    expect(shown.stdout).toMatch(/secret:\s+wks0…/);
    expect(shown.stdout).not.toContain(secret);

    // Moved to another URL, it takes its secret and header values again: the stored ones never follow.
    const moved = await run(["webhooks", "update", "okta", "--url", `${receiver.url}/okta-v2`]);
    expect(moved.code).toBe(1);
    expect(moved.stderr).toMatch(/^greenlight: SECRET_REQUIRED: webhook\.url .*send webhook\.secret and webhook\.headers again/);
    const changed = await json([
      "webhooks",
      "update",
      "okta",
      "--url",
      `${receiver.url}/okta-v2`,
      "--secret",
      secret,
      "--header",
      "x-team=sre",
      "--method",
      "put",
      "--dry-run",
    ]);
    expect(changed).toMatchObject({ url: `${receiver.url}/okta-v2`, method: "PUT", dryRun: true, headers: { "x-team": {} } });
    const off = await run(["webhooks", "update", "okta", "--no-dry-run", "--disable"]);
    expect(off.stdout).toMatch(/^Updated webhook okta: off: turned off by an admin \(since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)\n$/);
    expect((await run(["webhooks", "get", "okta"])).stdout).toMatch(/state:\s+off: turned off by an admin/);
    expect((await run(["webhooks", "update", "okta", "--enable"])).stdout).toBe("Updated webhook okta: on\n");
    expect(await json(["webhooks", "get", "okta"])).toMatchObject({ dryRun: false, disabled: false });

    expect((await run(["webhooks", "delete", "okta"])).stdout).toBe("Deleted webhook okta\n");
    const gone = await run(["webhooks", "get", "okta"]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/NOT_FOUND: space "default" has no webhook "okta"/);
  });

  it("takes the server's --url before the command and the webhook's after it", async () => {
    const elsewhere = { env: { GREENLIGHT_API_URL: "http://127.0.0.1:1" } };
    const created = await run(
      ["--url", t.url, "webhooks", "create", "--name", "placed", "--url", `${receiver.url}/placed`, "--secret", SECRET],
      elsewhere,
    );
    expect(created.stderr).toBe("");
    // The secret was the user's: nothing new to store.
    expect(created.stdout).toBe("Created webhook placed (no handlers)\n");
    // After a command without a --url of its own, --url is the server's still.
    const got = await run(["webhooks", "get", "placed", "--url", t.url, "-o", "json"], elsewhere);
    expect(JSON.parse(got.stdout).url).toBe(`${receiver.url}/placed`);
    expect((await run(["webhooks", "delete", "placed"])).code).toBe(0);
  });

  it.each([
    [["webhooks", "create", "--name", "x"], /required option '--url <url>'/],
    [["webhooks", "create", "--url", "http://127.0.0.1/x", "--handler", "apply:okta.v1.Group"], /--handler must start with applyUpdate/],
    [["webhooks", "create", "--url", "http://127.0.0.1/x", "--header", "x-team"], /--header must be key=value/],
    [["webhooks", "update", "okta"], /nothing to change: give --url/],
    [["webhooks", "update", "okta", "--enable", "--disable"], /give --enable or --disable, not both/],
    [["webhooks", "deliveries", "okta", "--status", "lost"], /--status must be one of pending, delivered, failed, cancelled/],
    [["webhooks", "deliveries", "okta", "--failed", "--status", "pending"], /--failed means --status failed/],
    [["webhooks", "test", "http://127.0.0.1/x"], /no signing secret: pass --secret, set INDENT_WEBHOOK_SECRET/],
    [["webhooks", "test", "ftp://127.0.0.1/x", "--secret", SECRET], /must be http or https/],
    [["webhooks", "test", "http://127.0.0.1/x", "--secret", SECRET, "--method", "get"], /GET cannot carry; use POST, PUT or PATCH/],
    [["webhooks", "test", "http://127.0.0.1/x", "--secret", SECRET, "--duration", "5"], /--duration must be a Go duration/],
  ])("%j exits 2 and says what is wrong", async (args, message) => {
    const ran = await run(args);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(message);
  });
});

describe("greenlight webhooks test", () => {
  it("sends a signed grant and then its revoke, which verify() accepts, and exits 0", async () => {
    const before = receiver.received.length;
    const ran = await run([
      "webhooks",
      "test",
      `${receiver.url}/test`,
      "--secret",
      SECRET,
      "--petitioner",
      "dev@example.com",
      "--kind",
      "okta.v1.Group",
      "--id",
      "00g-eng",
    ]);
    expect(ran.stderr).toBe("");
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^EVENT\s+HTTP\s+CODE\s+RESULT\s+MESSAGE\naccess\/grant\s+200\s+0\s+OK\naccess\/revoke\s+200\s+0\s+OK\n$/);
    const [grant, revoke, ...more] = receiver.received.slice(before);
    expect(more).toEqual([]);
    expect([grant!.verified, revoke!.verified]).toEqual([true, true]);
    expect(grant!.method).toBe("POST");
    expect(grant!.headers["x-indent-timestamp"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(grant!.body.events.map((e: { event: string }) => e.event)).toEqual(["access/grant", "access/request", "access/approve"]);
    expect(grant!.body.events[0].resources).toEqual([
      { kind: "user", email: "dev@example.com", labels: {} },
      { kind: "okta.v1.Group", id: "00g-eng", labels: {} },
    ]);
    expect(revoke!.body.events[0]).toMatchObject({ event: "access/revoke", reason: "access grant expired" });
  });

  it.each(["INDENT_WEBHOOK_SECRET", "GREENLIGHT_WEBHOOK_SECRET"])("takes the secret from %s", async (name) => {
    const ran = await run(["webhooks", "test", `${receiver.url}/test`], { env: { [name]: SECRET } });
    expect(ran.code).toBe(0);
  });

  it("reports FAILED and exits 1 when the receiver refuses the signature", async () => {
    const before = receiver.received.length;
    const ran = await run(["webhooks", "test", `${receiver.url}/test`, "--secret", "not-the-webhook-secret"]);
    expect(ran.code).toBe(1);
    // A 200 whose status.code is not 0 is a refusal, as the server judges it.
    expect(ran.stdout).toMatch(/\naccess\/grant\s+200\s+9\s+FAILED\s+webhook failed: invalid signature - check webhook secret\n/);
    expect(ran.stdout).toMatch(/\naccess\/revoke\s+200\s+9\s+FAILED\s+/);
    expect(ran.stderr).toBe("greenlight: 2 of 2 requests failed\n");
    expect(receiver.received.slice(before).map((r) => r.verified)).toEqual([false, false]);
  });

  it("does not follow a redirect", async () => {
    const before = receiver.received.length;
    const ran = await run(["webhooks", "test", `${receiver.url}/moved`, "--secret", SECRET]);
    expect(ran.code).toBe(1);
    expect(ran.stdout).toMatch(/access\/grant\s+302\s+FAILED\s+a redirect to http:\/\/127\.0\.0\.1:\d+\/test, which is not followed/);
    expect(receiver.received.slice(before).map((r) => r.path)).toEqual(["/moved", "/moved"]);
  });

  it("sends the entries of an indent-webhook-test config file (-c), with its hook's headers", async () => {
    const entries = [
      { events: [{ event: "access/grant", actor: { kind: "slack/user", id: "U1" }, resources: [{ kind: "slack/user", id: "U2" }] }] },
      { delay: 100, events: [{ event: "access/revoke", reason: "access grant expired", resources: [{ kind: "slack/user", id: "U2" }] }] },
    ];
    const config = join(home, "webhook-test.json");
    writeFileSync(
      config,
      JSON.stringify({
        hook: { url: `${receiver.url}/test`, secret: SECRET, headers: { "Content-Type": "application/json", "X-Env": "staging" } },
        entries,
      }),
    );
    const before = receiver.received.length;
    const ran = await run(["webhooks", "test", "-c", config]);
    expect(ran.code).toBe(0);
    const sent = receiver.received.slice(before);
    expect(sent.map((r) => r.body)).toEqual(entries.map(({ events }) => ({ events })));
    expect(sent.map((r) => [r.verified, r.headers["x-env"], r.headers["content-type"]])).toEqual([
      [true, "staging", "application/json"],
      [true, "staging", "application/json"],
    ]);
    const mixed = await run(["webhooks", "test", "-c", config, "--kind", "okta.v1.Group"]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/with -c the config's entries are sent/);
  });
});

describe("greenlight webhooks deliveries and redeliver", () => {
  it("lists a failing apply webhook's failures, and redelivers one once the receiver is back", async () => {
    applyAnswer = UNAVAILABLE;
    const created = await run([
      "webhooks",
      "create",
      "--name",
      "okta-apply",
      "--url",
      `${receiver.url}/apply`,
      "--handler",
      "applyUpdate:okta.v1.Group",
      "--secret",
      SECRET,
    ]);
    expect(created.code).toBe(0);
    const petition = (await json(["request", "-r", "okta.v1.Group:eng", "--for", "dev-apply@example.com", "--reason", "to debug"])).name;
    expect((await run(["petitions", "approve", petition, "--duration", "2h", "--reason", "looks fine"])).code).toBe(0);

    const log = async (status: string) =>
      (await t.call("GET", `${SPACE}/webhooks/okta-apply/deliveries?status=${status}`)).body.deliveries as Array<{
        id: string;
        attempts: number;
      }>;
    await until(async () => (await log("pending"))[0]?.attempts === 1, "the first attempt");
    const pending = await json(["webhooks", "deliveries", "okta-apply", "--status", "pending"]);
    expect(pending).toMatchObject([{ event: "access/grant", status: "pending", attempts: 1, lastStatus: 503, petition }]);
    const id = pending[0].id as string;

    await t.clock.advance(3600);
    await until(async () => (await log("failed")).length === 1, "the delivery to fail");
    const failures = await run(["webhooks", "deliveries", "okta-apply", "--failed"]);
    expect(failures.stdout.split("\n")[0]).toMatch(
      /^ID\s+EVENT\s+STATUS\s+ATTEMPTS\s+CREATED\s+LAST ATTEMPT\s+NEXT ATTEMPT\s+LAST ANSWER$/,
    );
    expect(failures.stdout).toMatch(new RegExp(`\\n${id}\\s+access/grant\\s+failed\\s+2\\s+.*the receiver answered HTTP 503`));
    const shown = await run(["webhooks", "delivery", "okta-apply", id]);
    expect(shown.stdout).toMatch(/status:\s+failed after 2 attempts\n/);
    expect(shown.stdout).toMatch(/\n {2}#1 {2}\S+ \S+ {2}HTTP 503 in \d+ ms: the receiver answered HTTP 503/);
    expect(shown.stdout).toMatch(/\n {2}#2 {2}\S+ \S+ {2}HTTP 503 in \d+ ms/);

    // The samples of `webhooks test` are what the server sends.
    const body = (await json(["webhooks", "delivery", "okta-apply", id])).body;
    const sample = webhookTestEvents({
      petitioner: { kind: "user", email: "dev-apply@example.com" },
      resource: { kind: "okta.v1.Group", id: "eng" },
      duration: "2h",
    });
    expect(shapeOf(sample.grant)).toEqual(shapeOf(body));
    expect(sample.grant.events[0]!.meta.labels["indent.com/time/duration"]).toBe(body.events[0].meta.labels["indent.com/time/duration"]);

    applyAnswer = OK;
    const again = await run(["webhooks", "redeliver", "okta-apply", id]);
    expect(again.stdout).toBe(`Sending ${id} (access/grant) to webhook okta-apply again now\n`);
    await until(async () => (await log("delivered")).length === 1, "the redelivery");
    expect(await json(["webhooks", "deliveries", "okta-apply"])).toMatchObject([{ id, status: "delivered", attempts: 3, lastStatus: 200 }]);
    expect(receiver.received.filter((r) => r.path === "/apply").every((r) => r.verified)).toBe(true);
    const twice = await run(["webhooks", "redeliver", "okta-apply", id]);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/CONFLICT: delivery msg_\w+ was delivered already/);
  });
});

/** What a body's events are made of: their names, fields, label keys and resources' fields. */
function shapeOf(body: { events: Array<Record<string, any>> }) {
  return body.events.map((e) => ({
    event: e.event,
    fields: Object.keys(e).sort(),
    labels: Object.keys(e.meta.labels).sort(),
    resources: e.resources.map((r: object) => Object.keys(r).sort()),
  }));
}
