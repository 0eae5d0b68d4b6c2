import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../../server/test/integration/harness.js";
import { startReceiver, type Receiver } from "./receiver.js";
import { asAdmin, runGreenlight, type RunOptions } from "./run-cli.js";

/**
 * `greenlight slack` against a real server, with a fake Slack Web API on a loopback port that
 * answers `auth.test` as Slack does: ok for the bot token it knows, `invalid_auth` otherwise.
 */

const BOT_TOKEN = "xoxb-1111-2222-envtokena1b2";
const SIGNING_SECRET = "0123456789abcdef0123456789ab9f3c";
const OTHER_TOKEN = "xoxb-3333-4444-flagtokenc3d4";

let t: TestServer;
let home: string;
let slack: Receiver;

beforeAll(async () => {
  slack = await startReceiver(async () => true);
  // The token may come as a bearer header or a form field, as Slack accepts both.
  slack.answer = (request) =>
    `${request.headers.authorization ?? ""} ${request.raw}`.includes(BOT_TOKEN)
      ? { body: { ok: true, url: "https://acme.slack.com/", team: "Acme", team_id: "T0123", user: "greenlight", user_id: "U0BOT" } }
      : { body: { ok: false, error: "invalid_auth" } };
  t = await startTestServer();
  home = mkdtempSync(join(tmpdir(), "greenlight-cli-slack-"));
});
afterAll(async () => {
  await t.close();
  await slack.close();
  rmSync(home, { recursive: true, force: true });
});

const run = (args: string[], env: Record<string, string> = {}) => {
  const admin: RunOptions = asAdmin(t, home);
  return runGreenlight(home, args, { ...admin, env: { ...admin.env, ...env } });
};
const json = async (args: string[]) => JSON.parse((await run([...args, "-o", "json"])).stdout);
const secrets = { SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SIGNING_SECRET };

describe("greenlight slack", () => {
  it("says how to set Slack up while it is not, and refuses a first set without the secrets", async () => {
    const shown = await run(["slack", "show"]);
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/^greenlight: NOT_FOUND: .*\n {2}set it up: greenlight slack manifest, then greenlight slack set/);

    const refused = await run(["slack", "set", "--channel", "C0123ABCD", "--api-url", `${slack.url}/api/`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^greenlight: INVALID_ARGUMENT: .*(botToken|bot token)/i);
  });

  it("sets up with the secrets from the environment and shows only their hints", async () => {
    const set = await run(
      [
        "slack",
        "set",
        "--api-url",
        `${slack.url}/api/`,
        "--team-id",
        "T0123",
        "--channel",
        "C0123ABCD",
        "--channel",
        "C0456EFGH",
        "--expiry-reminder",
        "15m",
      ],
      secrets,
    );
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    expect(set.stdout).toMatch(
      /^Saved the Slack app of space default \(bot token xoxb-\S*a1b2 from SLACK_BOT_TOKEN, signing secret \S*9f3c from SLACK_SIGNING_SECRET\); check it with: greenlight slack test\n$/,
    );

    const shown = await run(["slack", "show"]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^space: +default\n/);
    expect(shown.stdout).toMatch(/\nbot token: +xoxb-\S*a1b2\n/);
    expect(shown.stdout).toMatch(/\nsigning secret: +\S*9f3c\n/);
    expect(shown.stdout).toMatch(/\nworkspace: +T0123 only\n/);
    expect(shown.stdout).toMatch(/\ndefault channels: +C0123ABCD, C0456EFGH\n/);
    expect(shown.stdout).toMatch(/\nexpiry reminder: +15m0s before a grant expires\n/);
    expect(shown.stdout).toMatch(/\ninteractivity url: +http\S+\n/);
    expect(shown.stdout).toMatch(/\ncommands url: +http\S+\n/);

    const app = await json(["slack", "show"]);
    expect(app).toMatchObject({
      spaceName: "default",
      apiUrl: `${slack.url}/api/`,
      teamId: "T0123",
      defaultChannels: ["C0123ABCD", "C0456EFGH"],
      expiryReminder: "15m0s",
    });
    expect(app.botTokenHint).toMatch(/^xoxb-.*a1b2$/);
    expect(app.signingSecretHint).toMatch(/9f3c$/);
    for (const output of [set.stdout, shown.stdout, JSON.stringify(app)]) {
      expect(output).not.toContain(BOT_TOKEN);
      expect(output).not.toContain(SIGNING_SECRET);
    }
  });

  it("takes a flag over the environment, and keeps the secrets when none is given", async () => {
    const flagged = await run(["slack", "set", "--bot-token", OTHER_TOKEN], { SLACK_BOT_TOKEN: BOT_TOKEN });
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toMatch(/\(bot token xoxb-\S*c3d4, signing secret \S*9f3c\)/);
    expect((await json(["slack", "show"])).botTokenHint).toMatch(/c3d4$/);

    const changed = await json(["slack", "set", "--any-team", "--no-channel", "--bot-token", BOT_TOKEN]);
    expect(changed.teamId).toBeUndefined();
    expect(changed.defaultChannels).toEqual([]);
    expect(changed.botTokenHint).toMatch(/a1b2$/);
    expect(changed.signingSecretHint).toMatch(/9f3c$/);
    const kept = await json(["slack", "set", "--expiry-reminder", "0s"]);
    expect(kept).toMatchObject({ expiryReminder: "0s", botTokenHint: changed.botTokenHint, signingSecretHint: changed.signingSecretHint });
    expect((await run(["slack", "show"])).stdout).toMatch(/\nexpiry reminder: +off\n/);

    const both = await run(["slack", "set", "--team-id", "T0123", "--any-team"]);
    expect(both.code).toBe(2);
    expect(both.stderr).toBe("greenlight: give --team-id or --any-team, not both\n");
    const nothing = await run(["slack", "set"]);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toMatch(/^greenlight: nothing to change: give --bot-token/);
  });

  it("tests the bot token with Slack's auth.test: exit 0 when Slack accepts it, 1 with Slack's error when not", async () => {
    const ok = await run(["slack", "test"]);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("ok: the bot token works in Slack workspace Acme (T0123), as bot user U0BOT\n");
    expect(slack.received.at(-1)?.path).toBe("/api/auth.test");

    await run(["slack", "set", "--bot-token", OTHER_TOKEN]);
    const refused = await run(["slack", "test"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^greenlight: Slack's auth\.test failed: .*invalid_auth/);
    const asJson = await run(["slack", "test", "-o", "json"]);
    expect(asJson.code).toBe(1);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ ok: false });
    await run(["slack", "set", "--bot-token", BOT_TOKEN]);
  });

  it("prints the app manifest, in YAML by default, with this server's URLs", async () => {
    const { commandsUrl, interactivityUrl } = await json(["slack", "show"]);
    const yaml = await run(["slack", "manifest"]);
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toContain(commandsUrl);
    expect(yaml.stdout).toContain(interactivityUrl);
    expect(yaml.stdout).toMatch(/\/greenlight/);
    expect(yaml.stdout.trimStart().startsWith("{")).toBe(false);

    const asJson = await run(["slack", "manifest", "--format", "json"]);
    expect(asJson.code).toBe(0);
    const manifest = JSON.parse(asJson.stdout);
    expect(typeof manifest).toBe("object");
    expect(asJson.stdout).toContain(commandsUrl);

    const bad = await run(["slack", "manifest", "--format", "xml"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('greenlight: --format must be yaml or json, not "xml"\n');
  });

  it("lists no deliveries while nothing was posted, and finds no unknown one", async () => {
    const listed = await run(["slack", "deliveries"]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+EVENT\s+STATUS\s+ATTEMPTS\s+CREATED\s+LAST ATTEMPT\s+NEXT ATTEMPT\s+LAST ANSWER\n$/);
    expect(await json(["slack", "deliveries", "--failed"])).toEqual([]);

    const bad = await run(["slack", "deliveries", "--status", "lost"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--status must be one of pending, delivered, failed, cancelled/);
    const unknown = await run(["slack", "delivery", "msg_nope"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^greenlight: NOT_FOUND: /);
  });

  it("removes Slack from the space; showing it then says it is not set up", async () => {
    const removed = await run(["slack", "remove"]);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toBe("Removed the Slack app of space default\n");

    const shown = await run(["slack", "show"]);
    expect(shown.code).toBe(1);
    expect(shown.stdout).toBe("");
    expect(shown.stderr).toMatch(/^greenlight: NOT_FOUND: .*slack.*\n {2}set it up: greenlight slack manifest/is);
    expect((await run(["slack", "test"])).code).toBe(1);
  });
});
