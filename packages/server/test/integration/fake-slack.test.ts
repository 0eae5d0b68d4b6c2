import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  ErrorCode,
  LogLevel,
  WebClient,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
} from "@slack/web-api";
import { startFakeSlack, type FakeSlack } from "./fakes/slack.js";

/** The fake Slack Web API, driven by Slack's own client set up as the server sets it up. */

const TOKEN = "xoxb-fake-token";
const ALICE = { id: "U0ALICE", email: "alice@example.com", realName: "Alice Example" };

let fake: FakeSlack;
const client = (token = TOKEN, timeout = 0) =>
  new WebClient(token, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout,
    logLevel: LogLevel.ERROR,
  });

/** The error a call rejects with. */
async function failure<E>(call: Promise<unknown>): Promise<E> {
  try {
    await call;
  } catch (error) {
    return error as E;
  }
  throw new Error("the call succeeded, but it should have failed");
}

beforeEach(async () => {
  fake = await startFakeSlack({ token: TOKEN, users: [ALICE] });
});
afterEach(async () => {
  await fake.close();
});

describe("fake Slack", () => {
  it("posts a message, then updates it in place", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*hello*" } }];
    const posted = await client().chat.postMessage({ channel: "C0REVIEWS", text: "hello", blocks });
    expect(posted).toMatchObject({ ok: true, channel: "C0REVIEWS", message: { text: "hello", blocks } });
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);

    const second = await client().chat.postMessage({ channel: "C0REVIEWS", text: "second" });
    expect(Number(second.ts)).toBeGreaterThan(Number(posted.ts));

    const updated = await client().chat.update({ channel: "C0REVIEWS", ts: posted.ts!, text: "bye", blocks: [] });
    expect(updated.ok).toBe(true);
    expect(fake.messages("C0REVIEWS")).toEqual([
      { ts: posted.ts, text: "bye", blocks: [], updates: 1 },
      { ts: second.ts, text: "second", blocks: undefined, updates: 0 },
    ]);
    expect(fake.calls.map((c) => c.method)).toEqual(["chat.postMessage", "chat.postMessage", "chat.update"]);
    expect(fake.calls[0]!.args["blocks"]).toEqual(blocks);

    const missing = await failure<WebAPIPlatformError>(client().chat.update({ channel: "C0REVIEWS", ts: "1.000000", text: "x" }));
    expect(missing.data.error).toBe("message_not_found");
  });

  it("reads JSON bodies too, with the token as a bearer token or a field", async () => {
    const post = (body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${fake.apiUrl}chat.postMessage`, {
        method: "POST",
        headers: { "Content-Type": "application/json; charset=utf-8", ...headers },
        body: JSON.stringify(body),
      });
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "json" } }];
    const answer = await post({ channel: "C0JSON", text: "json", blocks }, { Authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ ok: true, channel: "C0JSON" });
    expect(await (await post({ channel: "C0JSON", text: "json", token: TOKEN })).json()).toMatchObject({ ok: true });
    expect(await (await post({ channel: "C0JSON", text: "json" })).json()).toEqual({ ok: false, error: "not_authed" });
    expect(await (await post({ channel: "C0JSON", blocks: "[not json" }, { Authorization: `Bearer ${TOKEN}` })).json()).toEqual({
      ok: false,
      error: "invalid_blocks",
    });
    expect(fake.messages("C0JSON").map((m) => m.blocks)).toEqual([blocks, undefined]);
  });

  it("refuses what Slack refuses: no text, too many blocks, unknown channels", async () => {
    const noText = await failure<WebAPIPlatformError>(client().chat.postMessage({ channel: "C0REVIEWS", text: "" }));
    expect(noText.code).toBe(ErrorCode.PlatformError);
    expect(noText.data.error).toBe("no_text");
    const blocks = Array.from({ length: 51 }, () => ({ type: "divider" }));
    expect((await failure<WebAPIPlatformError>(client().chat.postMessage({ channel: "C0REVIEWS", text: "x", blocks }))).data.error).toBe(
      "invalid_blocks",
    );
    expect((await failure<WebAPIPlatformError>(client().chat.postMessage({ channel: "#general", text: "x" }))).data.error).toBe(
      "channel_not_found",
    );
    expect(fake.messages("C0REVIEWS")).toEqual([]);
  });

  it("opens a DM for a user id, on a channel stable per user", async () => {
    const first = await client().chat.postMessage({ channel: ALICE.id, text: "your access was approved" });
    const second = await client().chat.postMessage({ channel: ALICE.id, text: "your access ends soon" });
    expect(first.channel).toMatch(/^D/);
    expect(second.channel).toBe(first.channel);
    expect(fake.dms(ALICE.id).map((m) => m.text)).toEqual(["your access was approved", "your access ends soon"]);
    expect((await failure<WebAPIPlatformError>(client().chat.postMessage({ channel: "U0NOBODY", text: "x" }))).data.error).toBe(
      "channel_not_found",
    );
  });

  it("answers users.info and users.lookupByEmail as Slack does", async () => {
    const info = await client().users.info({ user: ALICE.id });
    expect(info.user).toMatchObject({
      id: ALICE.id,
      team_id: fake.team.id,
      real_name: "Alice Example",
      deleted: false,
      is_bot: false,
      is_email_confirmed: true,
      profile: { email: ALICE.email },
    });
    expect((await client().users.lookupByEmail({ email: "ALICE@example.com" })).user?.id).toBe(ALICE.id);
    expect((await failure<WebAPIPlatformError>(client().users.info({ user: "U0NOBODY" }))).data.error).toBe("user_not_found");
    expect((await failure<WebAPIPlatformError>(client().users.lookupByEmail({ email: "nobody@example.com" }))).data.error).toBe(
      "users_not_found",
    );
  });

  it("refuses a wrong token with invalid_auth", async () => {
    const error = await failure<WebAPIPlatformError>(client("xoxb-wrong").auth.test());
    expect(error.code).toBe(ErrorCode.PlatformError);
    expect(error.data.error).toBe("invalid_auth");
    expect(await client().auth.test()).toMatchObject({ ok: true, team_id: fake.team.id, user_id: fake.bot.userId, bot_id: fake.bot.botId });
  });

  it("rate-limits with a 429 and Retry-After, then answers again", async () => {
    fake.failNext("chat.postMessage", { rateLimited: 7 });
    const error = await failure<WebAPIRateLimitedError>(client().chat.postMessage({ channel: "C0REVIEWS", text: "x" }));
    expect(error.code).toBe(ErrorCode.RateLimitedError);
    expect(error.retryAfter).toBe(7);
    expect(fake.messages("C0REVIEWS")).toEqual([]);
    expect((await client().chat.postMessage({ channel: "C0REVIEWS", text: "x" })).ok).toBe(true);
  });

  it("fails calls as told: a platform error, an HTTP status, a hang", async () => {
    fake.failNext("users.info", { error: "ratelimited" }, 2);
    fake.failNext("auth.test", { status: 503 });
    expect((await failure<WebAPIPlatformError>(client().users.info({ user: ALICE.id }))).data.error).toBe("ratelimited");
    expect((await failure<WebAPIPlatformError>(client().users.info({ user: ALICE.id }))).data.error).toBe("ratelimited");
    expect((await client().users.info({ user: ALICE.id })).ok).toBe(true);
    const http = await failure<WebAPIHTTPError>(client().auth.test());
    expect(http.code).toBe(ErrorCode.HTTPError);
    expect(http.statusCode).toBe(503);

    fake.failNext("chat.postMessage", { hangMs: 300 });
    const timedOut = await failure<Error & { code: string }>(client(TOKEN, 100).chat.postMessage({ channel: "C0REVIEWS", text: "late" }));
    expect(timedOut.code).toBe(ErrorCode.RequestError);
    // Slack may still act on a call whose answer never came.
    await fake.waitFor(() => fake.messages("C0REVIEWS").length === 1);
  });

  it("records ephemerals and views, and refuses an expired trigger", async () => {
    await client().chat.postEphemeral({ channel: "C0REVIEWS", user: ALICE.id, text: "only you see this" });
    expect(fake.ephemerals).toEqual([{ channel: "C0REVIEWS", user: ALICE.id, text: "only you see this", blocks: undefined }]);
    const view = {
      type: "modal" as const,
      callback_id: "greenlight.deny",
      title: { type: "plain_text" as const, text: "Deny request" },
      blocks: [],
    };
    const opened = await client().views.open({ trigger_id: "123.456.abc", view });
    expect(opened.view).toMatchObject({ callback_id: "greenlight.deny" });
    expect(opened.view?.id).toMatch(/^V/);
    expect(fake.views).toEqual([{ trigger_id: "123.456.abc", view }]);
    expect((await failure<WebAPIPlatformError>(client().views.open({ trigger_id: "expired.1", view }))).data.error).toBe(
      "expired_trigger_id",
    );
  });

  it("says what it waited for when waitFor times out", async () => {
    await expect(fake.waitFor(() => false, 50)).rejects.toThrow(/did not hold within 50 ms/);
  });
});
