import { verify } from "@indent/webhook";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock, type Clock } from "../../src/domain/clock.js";
import { startReceiver, type Receiver } from "./fakes/receiver.js";
import { SPACE, startTestServer, type TestServer, until } from "./harness.js";

/**
 * PullUpdate: the space's pullUpdate webhooks asked for resources (signed, as Indent signed
 * them), what they return upserted by kind and id, and pull policies that run it on a schedule.
 */

const SECRET = "wks0pullserversecret0123456789abcdefghij";
let offset = 0;
const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
let t: TestServer;
let okta: Receiver;
let github: Receiver;

beforeAll(async () => {
  t = await startTestServer({ clock, env: { GREENLIGHT_PULL_POLL_INTERVAL: "100ms" } });
  okta = await startReceiver("/okta");
  github = await startReceiver("/github");
  for (const [name, receiver, kinds] of [
    ["okta-pull", okta, ["okta.v1.*"]],
    ["github-pull", github, ["github.v1.Team"]],
  ] as const) {
    const reply = await t.call("POST", `${SPACE}/webhooks`, {
      webhook: { name, url: receiver.url, secret: SECRET, handlers: [{ type: "pullUpdate", resourceKinds: kinds }] },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
  await okta.close();
  await github.close();
});

const group = (id: string, name: string) => ({ kind: "okta.v1.Group", id, displayName: name, labels: { oktaId: id, timestamp: "x" } });

async function catalog(kind: string) {
  return (await t.call("GET", `${SPACE}/resources?pageSize=100`)).body.resources.filter((r: { kind: string }) => r.kind === kind);
}

describe("resources:pullUpdate", () => {
  it("asks each matching webhook, signed, for the kinds it handles, and upserts what they return", async () => {
    const verdicts: boolean[] = [];
    okta.answer = async (r) => {
      verdicts.push(await verify({ secret: SECRET, body: r.raw, headers: r.headers as Record<string, string> }));
      return {
        status: 200,
        body: {
          resources: [
            group("00g1", "Engineering"),
            group("00g2", "Operations"),
            { kind: "okta.v1.User", id: "u1", email: "u1@example.com" },
          ],
        },
      };
    };
    github.answer = () => ({
      status: 200,
      body: { status: { code: 0 }, resources: [{ kind: "github.v1.Team", id: 4242, displayName: "SRE" }] },
    });
    const reply = await t.call("PUT", `${SPACE}/resources:pullUpdate`, {
      kinds: ["okta.v1.Group", "github.v1.Team", "aws.v1.Role"],
      flags: { org: "acme" },
    });
    expect(reply.status, JSON.stringify(reply.body)).toBe(200);
    expect(reply.body.status.code).toBe(0);
    expect(reply.body.webhooks).toEqual(
      expect.arrayContaining([
        { webhook: "okta-pull", resources: 3 },
        { webhook: "github-pull", resources: 1 },
      ]),
    );
    expect(reply.body.resources).toHaveLength(4);
    // Each webhook is asked only for what it handles.
    expect(okta.requests.at(-1)!.body).toEqual({ kinds: ["okta.v1.Group"], flags: { org: "acme" } });
    expect(github.requests.at(-1)!.body).toEqual({ kinds: ["github.v1.Team"], flags: { org: "acme" } });
    expect(verdicts).toEqual([true]);
    const groups = await catalog("okta.v1.Group");
    expect(groups.map((g: { id: string }) => g.id).sort()).toEqual(["00g1", "00g2"]);
    // A numeric id (GitHub teams have them) is kept as text.
    expect((await catalog("github.v1.Team"))[0]).toMatchObject({ id: "4242", displayName: "SRE" });

    // Pulling again updates in place: same names, new values.
    const names = new Map(groups.map((g: any) => [g.id, g.labels["indent.com/block"]]));
    okta.answer = () => ({ status: 200, body: { resources: [group("00g1", "Engineering (renamed)")] } });
    await t.call("POST", `${SPACE}/resources:pullUpdate`, { kinds: ["okta.v1.Group"] });
    const renamed = (await catalog("okta.v1.Group")).find((g: { id: string }) => g.id === "00g1");
    expect(renamed.displayName).toBe("Engineering (renamed)");
    expect(renamed.labels["indent.com/block"]).toBe(names.get("00g1"));
  });

  it("keeps what one webhook returned when another fails, and says which failed and why", async () => {
    okta.answer = () => ({ status: 200, body: { status: { code: 13, message: "the Okta token expired" } } });
    github.answer = () => ({
      status: 200,
      body: { resources: [{ kind: "github.v1.Team", id: "77", displayName: "Platform" }, { kind: "", id: "x" }, "junk"] },
    });
    const reply = await t.call("PUT", `${SPACE}/resources:pullUpdate`, { kinds: ["okta.v1.Group", "github.v1.Team"] });
    expect(reply.status).toBe(200);
    expect(reply.body.status.code).toBe(2);
    const byName = Object.fromEntries(reply.body.webhooks.map((w: { webhook: string }) => [w.webhook, w]));
    expect(byName["okta-pull"]).toMatchObject({ resources: 0, error: "it answered status code 13: the Okta token expired" });
    expect(byName["github-pull"].resources).toBe(1);
    expect(byName["github-pull"].error).toMatch(/2 of its 3 resources were not usable/);
    expect((await catalog("github.v1.Team")).map((r: { id: string }) => r.id)).toContain("77");
    const hook = (await t.call("GET", `${SPACE}/webhooks/okta-pull`)).body;
    expect(hook.lastError).toMatch(/status code 13/);
  });

  it("says what to fix when nothing pulls those kinds, or the kinds are missing", async () => {
    const none = await t.call("PUT", `${SPACE}/resources:pullUpdate`, { kinds: ["tailscale.v1.Group"] });
    expect(none.status).toBe(404);
    expect(none.body.error.message).toMatch(/no webhook in space "default" pulls tailscale\.v1\.Group; add one with a handler/);
    const empty = await t.call("PUT", `${SPACE}/resources:pullUpdate`, { kinds: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: "INVALID_ARGUMENT", field: "kinds" });
    const missing = await t.call("PUT", `${SPACE}/resources:pullUpdate`, {});
    expect(missing.status).toBe(400);
  });
});

describe("pull policies", () => {
  it("refuses schedules that are not cron, or too frequent, naming the field", async () => {
    for (const [schedule, message] of [
      ["every hour", /five fields/],
      ["61 * * * *", /not a cron expression/],
      ["@fortnightly", /not a known descriptor/],
      ["@every 10s", /at most once a minute/],
      ["", /is required/],
    ] as const) {
      const reply = await t.call("POST", `${SPACE}/pullPolicies`, {
        pullPolicy: { meta: { name: "bad" }, schedule, kinds: ["okta.v1.Group"] },
      });
      expect(reply.status, schedule).toBe(400);
      expect(reply.body.error.field).toBe("pullPolicy.schedule");
      expect(reply.body.error.message).toMatch(message);
    }
    const noKinds = await t.call("POST", `${SPACE}/pullPolicies`, { pullPolicy: { meta: { name: "bad" }, schedule: "@hourly" } });
    expect(noKinds.body.error.field).toBe("pullPolicy.kinds");
  });

  it("runs on its schedule, records each run, and keeps going after a failure", async () => {
    okta.answer = () => ({ status: 200, body: { resources: [group("00g9", "Scheduled")] } });
    const created = await t.call("POST", `${SPACE}/pullPolicies`, {
      pullPolicy: {
        meta: { name: "okta-hourly", displayName: "Okta groups" },
        schedule: "0 * * * *",
        kinds: ["okta.v1.Group"],
        flags: { full: "true" },
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const next = Date.parse(created.body.nextRunTime);
    expect(new Date(next).getUTCMinutes()).toBe(0);
    expect(next).toBeGreaterThan(clock.now());
    const before = okta.requests.length;

    // An hour passes (on the server's clock).
    offset += next - clock.now() + 1000;
    const ran = await until(
      async () => (await t.call("GET", `${SPACE}/pullPolicies/okta-hourly`)).body,
      (p) => p.lastRunTime !== undefined,
    );
    expect(ran.lastResult).toMatchObject({ resources: 1, errors: [] });
    expect(Date.parse(ran.nextRunTime)).toBe(next + 3_600_000);
    expect(okta.requests.slice(before).map((r) => r.body)).toEqual([{ kinds: ["okta.v1.Group"], flags: { full: "true" } }]);
    expect((await catalog("okta.v1.Group")).map((g: { id: string }) => g.id)).toContain("00g9");

    // The next run fails; it is recorded, and the schedule goes on.
    okta.answer = () => ({ status: 500, body: "boom" });
    offset += 3_600_000;
    const failed = await until(
      async () => (await t.call("GET", `${SPACE}/pullPolicies/okta-hourly`)).body,
      (p) => p.lastRunTime !== ran.lastRunTime,
    );
    expect(Date.parse(failed.nextRunTime)).toBe(next + 7_200_000);
    expect(failed.lastResult.errors).toEqual(["okta-pull: it answered HTTP 500: boom"]);

    // Run now, by hand: the schedule stays.
    okta.answer = () => ({ status: 200, body: { resources: [] } });
    const now = await t.call("POST", `${SPACE}/pullPolicies/okta-hourly:run`);
    expect(now.status).toBe(200);
    expect(now.body.lastResult).toMatchObject({ resources: 0, errors: [] });
    expect(now.body.nextRunTime).toBe(failed.nextRunTime);

    const changed = await t.call("PUT", `${SPACE}/pullPolicies/okta-hourly`, {
      pullPolicy: { schedule: "@every 30m", kinds: ["okta.v1.Group"] },
    });
    expect(Date.parse(changed.body.nextRunTime)).toBeCloseTo(clock.now() + 1_800_000, -4);
    expect((await t.call("DELETE", `${SPACE}/pullPolicies/okta-hourly`)).status).toBe(200);
    expect((await t.call("GET", `${SPACE}/pullPolicies/okta-hourly`)).status).toBe(404);
  });
});
