import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { approval, getErrorKind, GreenlightAPI, StepUpRequiredError, withApproval, type ApprovalError } from "../../src/index.js";
import { SPACE, startTestServer, tempDataDir, type TestServer, waitFor } from "../../../server/test/integration/harness.js";
import { ManualClock } from "../../../server/test/support/manual-clock.js";
import { createSpace, serviceAccount, userToken } from "../../../server/test/integration/identity-fixtures.js";

/**
 * The server and the clients share a clock that stands still unless a test moves it: a wait
 * ends because it was woken, or because the test let its time pass.
 */
let t: TestServer<ManualClock>;
let space: string;
let reviewer: GreenlightAPI;
const now = () => t.clock.now();
beforeAll(async () => {
  t = await startTestServer({ clock: new ManualClock() });
  space = await createSpace(t);
  reviewer = new GreenlightAPI({
    baseURL: t.url,
    apiToken: await userToken(t, space, "reviewer@example.com", ["reviewer"]),
    spaceName: space,
    now,
  });
});
afterAll(async () => {
  await t.close();
});

let counter = 0;
/** A client acting as a fresh member of the space, and a resource nobody asked for yet. */
async function member() {
  counter += 1;
  const email = `member${counter}-${Date.now()}@example.com`;
  const client = new GreenlightAPI({ baseURL: t.url, apiToken: await userToken(t, space, email, ["member"]), spaceName: space, now });
  return { client, email, resources: [{ kind: "action", id: `reset-password:${counter}`, displayName: "Reset password" }] };
}

const petitionsOf = async (email: string) =>
  (await t.call("GET", `/v1/spaces/${space}/petitions?pageSize=100`)).body.petitions.filter(
    (p: { petitioners: Array<{ email?: string }> }) => p.petitioners.some((x) => x.email === email),
  );

/** Resolves once the server holds `count` long-polls (one by default). */
function untilWaiting(count = 1, server: TestServer = t): Promise<void> {
  return waitFor(`${count} long-polls`, () => server.server.services.notifier.watcherCount >= count);
}

/** Lets `ms` pass on the clock once the server holds the long-poll of `waiting`, and settles it. */
async function afterWaiting<T>(waiting: Promise<T>, ms: number): Promise<T> {
  await untilWaiting();
  await t.clock.advance(ms);
  return waiting;
}

describe("approval()", () => {
  it("is released by an approval made by another client (woken, with no time passing), and the petitioner is the token's sub", async () => {
    const { client, email, resources } = await member();
    const waiting = approval({ reason: "to recover account", resources }, { client, quiet: true, timeout: 30_000 });
    await untilWaiting();
    const [pending] = await petitionsOf(email);
    await reviewer.petition.approve(pending.name, { duration: "1h" });
    const p = await waiting;
    expect(p.state.status.phase).toBe("granted");
    expect(p.petitioners).toEqual([{ kind: "user", email, labels: {} }]);
  });

  it("rejects with kind 'denied', carrying the petition, when a reviewer denies", async () => {
    const { client, email, resources } = await member();
    const waiting = approval({ reason: "please", resources }, { client, quiet: true, timeout: 30_000 });
    await untilWaiting();
    const [pending] = await petitionsOf(email);
    await reviewer.petition.deny(pending.name, "no");
    const error = (await waiting.catch((e: unknown) => e)) as ApprovalError;
    expect(getErrorKind(error)).toBe("denied");
    expect(error.petition?.name).toBe(pending.name);
    expect(error.petition?.state.status).toEqual({ phase: "closed", outcome: "denied" });
    // The reviewer's reason, for the caller to show.
    expect(error.reason).toBe("no");
    expect(error.message).toMatch(new RegExp(`^petition ${pending.name} was denied by \\S+: no$`));
  });

  it("rejects with kind 'cancelled' when the petition is withdrawn while it waits", async () => {
    const { client, email, resources } = await member();
    const waiting = approval({ resources }, { client, quiet: true, timeout: 30_000 }).catch((e: unknown) => e);
    await untilWaiting();
    const [pending] = await petitionsOf(email);
    await t.call("PUT", `/v1/spaces/${space}/petitions/${pending.name}`, { petition: { state: { status: { phase: "closed" } } } });
    expect(getErrorKind(await waiting)).toBe("cancelled");
  });

  it("rejects with kind 'waiting' when nobody decides in time, and the petition stays open", async () => {
    const { client, email, resources } = await member();
    let settled = false;
    const waiting = approval({ resources }, { client, quiet: true, timeout: 300 })
      .catch((e: unknown) => e)
      .finally(() => (settled = true));
    await untilWaiting();
    await t.clock.advance(299);
    await t.idle();
    // The server still holds the wait, and the client has not given up.
    expect(t.server.services.notifier.watcherCount).toBe(1);
    expect(settled).toBe(false);
    const error = await afterWaiting(waiting, 1);
    expect(getErrorKind(error)).toBe("waiting");
    expect((error as Error).message).toMatch(/was not decided within 300 ms; it stays open/);
    expect((await petitionsOf(email))[0].state.status.phase).toBe("open");
  });

  it("returns at once, without a new petition, when the same access is already granted", async () => {
    const { client, email, resources } = await member();
    const waiting = approval({ resources }, { client, quiet: true, timeout: 30_000 });
    await untilWaiting();
    await reviewer.petition.approve((await petitionsOf(email))[0].name);
    const first = await waiting;
    const onWaiting = vi.fn();
    const again = await approval({ resources }, { client, quiet: true, onWaiting });
    expect(again.name).toBe(first.name);
    expect(onWaiting).not.toHaveBeenCalled();
    expect(await petitionsOf(email)).toHaveLength(1);
  });

  it("100 concurrent identical calls make exactly one petition, and all are granted by one approval", async () => {
    const { client, email, resources } = await member();
    const calls = Array.from({ length: 100 }, () => approval({ resources, reason: "same" }, { client, quiet: true, timeout: 30_000 }));
    await untilWaiting(100);
    const petitions = await petitionsOf(email);
    expect(petitions).toHaveLength(1);
    await reviewer.petition.approve(petitions[0].name);
    const granted = await Promise.all(calls);
    expect(new Set(granted.map((p) => p.name))).toEqual(new Set([petitions[0].name]));
  });

  it("prints Indent's progress lines while it waits", async () => {
    const { client, email, resources } = await member();
    const lines: string[] = [];
    const write = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (lines.push(String(chunk)), true));
    try {
      const waiting = approval({ resources }, { client, timeout: 30_000 });
      await untilWaiting();
      await t.clock.advance(2000);
      await waitFor("the first progress line", () => lines.length >= 2);
      await reviewer.petition.approve((await petitionsOf(email))[0].name);
      await waiting;
    } finally {
      write.mockRestore();
    }
    expect(lines[0]).toMatch(new RegExp(`^⏵ Requested approval #${space}/pet_[0-9a-z]{26}\\n$`));
    expect(lines[1]).toBe("↳ Waiting for approval... (2s elapsed)\n");
    expect(lines.at(-1)).toBe("✅ Granted\n");
  });

  it("stops waiting when its signal aborts", async () => {
    const { client, resources } = await member();
    const controller = new AbortController();
    const waiting = approval({ resources }, { client, quiet: true, timeout: 30_000, signal: controller.signal }).catch((e: unknown) => e);
    await untilWaiting();
    controller.abort(new Error("user went away"));
    expect(((await waiting) as Error).message).toBe("user went away");
  });

  it("exchanges a service account's refresh token by itself, and petitions as the account", async () => {
    const bot = await serviceAccount(t, space, `sdk-bot-${Date.now()}`, ["member"]);
    const client = new GreenlightAPI({ baseURL: t.url, apiToken: bot.refreshToken, spaceName: space, now });
    const error = await afterWaiting(
      approval({ resources: [{ kind: "action", id: "deploy" }] }, { client, quiet: true, timeout: 100 }).catch((e: unknown) => e),
      100,
    );
    expect(getErrorKind(error)).toBe("waiting");
    expect((error as ApprovalError).petition?.petitioners[0]).toMatchObject({ id: bot.id, email: bot.email });
  });
});

describe("GreenlightAPI", () => {
  it("exchanges a refresh token again before its access token expires, without a refused request", async () => {
    const own = await startTestServer({ clock: new ManualClock(), env: { GREENLIGHT_ACCESS_TOKEN_TTL: "3s" } });
    try {
      const bot = await serviceAccount(own, "default", "short-lived", ["member"]);
      const calls: Array<{ path: string; status: number }> = [];
      const counting: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        calls.push({ path: new URL(String(input)).pathname, status: response.status });
        return response;
      };
      const client = new GreenlightAPI({
        baseURL: own.url,
        apiToken: bot.refreshToken,
        spaceName: "default",
        fetch: counting,
        now: () => own.clock.now(),
      });
      for (let i = 0; i < 4; i++) {
        await client.petition.list();
        await own.clock.advance(1100);
      }
      expect(calls.filter((c) => c.status === 401)).toEqual([]);
      // One exchange to start, and more as each 3 s token nears its end (at half its life).
      expect(calls.filter((c) => c.path === "/v1/auth/token").length).toBeGreaterThanOrEqual(2);
      expect(calls.filter((c) => c.path.endsWith("/petitions"))).toHaveLength(4);
    } finally {
      await own.close();
    }
  });

  it("throws StepUpRequiredError, with the petition's page in the web UI, for a high-risk approval, without exchanging its token again", async () => {
    const risky = await createSpace(t);
    const policy = { rules: [{ name: "prod", match: { kinds: ["prod.v1.Database"] }, highRisk: true }] };
    expect((await t.call("PUT", `/v1/spaces/${risky}/policy`, { policy })).status).toBe(200);
    const bot = await serviceAccount(t, risky, "deploy-bot", ["reviewer"]);
    const paths: string[] = [];
    const counting: typeof fetch = async (input, init) => {
      paths.push(new URL(String(input)).pathname);
      return fetch(input, init);
    };
    const client = new GreenlightAPI({ baseURL: t.url, apiToken: bot.refreshToken, spaceName: risky, fetch: counting });
    const made = (
      await t.call("POST", `/v1/spaces/${risky}/petitions`, {
        petition: {
          petitioners: [{ kind: "user", email: "someone@example.com" }],
          resources: [{ kind: "prod.v1.Database", id: "billing" }],
        },
      })
    ).body;
    expect((await client.petition.get(made.name)).state.review?.highRisk).toBe(true);
    const refused = await client.petition.approve(made.name).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StepUpRequiredError);
    expect((refused as StepUpRequiredError).code).toBe("STEP_UP_REQUIRED");
    expect((refused as StepUpRequiredError).reviewUrl).toBe(`${t.url}/spaces/${risky}/petitions/${made.name}`);
    expect((refused as StepUpRequiredError).message).toMatch(/service account deploy-bot/);
    expect(paths.filter((path) => path === "/v1/auth/token")).toHaveLength(1);
    // Denying needs no step-up.
    expect((await client.petition.deny(made.name, "not now")).event).toBe("access/deny");
  });
});

describe("withApproval()", () => {
  it("runs the wrapped function only once approved, with its arguments in the petition", async () => {
    const { client, email } = await member();
    const deleted: string[] = [];
    const deleteProject = withApproval(
      async (id: string) => (deleted.push(id), `deleted ${id}`),
      { action: "delete-project", reason: "agent cleanup" },
      {
        client,
        quiet: true,
        timeout: 30_000,
      },
    );
    const running = deleteProject("proj_123");
    await untilWaiting();
    expect(deleted).toEqual([]);
    const [pending] = await petitionsOf(email);
    expect(pending.reason).toBe('agent cleanup: delete-project("proj_123")');
    expect(pending.meta.labels["greenlight.dev/arguments"]).toBe('["proj_123"]');
    await reviewer.petition.approve(pending.name);
    expect(await running).toBe("deleted proj_123");
    // Other arguments need their own approval; the same ones go through while the grant lasts.
    expect(await deleteProject("proj_123")).toBe("deleted proj_123");
    expect(
      getErrorKind(
        await afterWaiting(
          withApproval(async () => 1, { action: "delete-project" }, { client, quiet: true, timeout: 100 })().catch((e) => e),
          100,
        ),
      ),
    ).toBe("waiting");
  });
});

describe("a server restarted while approval() waits", () => {
  it("still resolves, on the same petition", async () => {
    const dataDir = tempDataDir();
    let first: TestServer | undefined = await startTestServer({ dataDir });
    let second: TestServer | undefined;
    try {
      const port = first.server.port;
      // Counts the requests that found no server, so the test knows the client saw it gone.
      let unanswered = 0;
      const counting: typeof fetch = (input, init) =>
        fetch(input, init).catch((error: unknown) => {
          unanswered += 1;
          throw error;
        });
      const client = new GreenlightAPI({
        baseURL: first.url,
        apiToken: "test-admin-token-0123456789",
        spaceName: "default",
        fetch: counting,
      });
      const resources = [{ kind: "action", id: "restart" }];
      const petitioners = [{ kind: "user", email: "restart@example.com" }];
      const waiting = approval({ resources, petitioners }, { client, quiet: true, timeout: 30_000 });
      await untilWaiting(1, first);
      await first.close();
      first = undefined;
      await waitFor("the client to find the server gone", () => unanswered > 0);
      second = await startTestServer({ dataDir, env: { GREENLIGHT_PORT: String(port) } });
      const listed = (await second.call("GET", `${SPACE}/petitions`)).body.petitions;
      expect(listed).toHaveLength(1);
      await second.call("POST", `${SPACE}/petitions/${listed[0].name}/claims`, { claim: { event: "access/approve" } });
      const granted = await waiting;
      expect(granted.name).toBe(listed[0].name);
      expect(granted.state.status.phase).toBe("granted");
      expect((await second.call("GET", `${SPACE}/petitions`)).body.petitions).toHaveLength(1);
    } finally {
      await first?.close();
      await second?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
