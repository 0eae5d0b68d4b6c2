import { describe, it, expect } from "vitest";
import { signSlackRequest, verifySlackRequest } from "../../src/slack/signature.js";

// Slack's documented example (https://api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const TIMESTAMP = 1531420618;
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA" +
  "&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554" +
  "%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
const NOW = TIMESTAMP * 1000;

const request = (overrides: Partial<Parameters<typeof verifySlackRequest>[0]> = {}) =>
  verifySlackRequest({ signingSecret: SECRET, timestamp: String(TIMESTAMP), signature: EXPECTED, body: BODY, now: NOW, ...overrides });

const reasonOf = (verdict: ReturnType<typeof verifySlackRequest>) => (verdict.ok ? "ok" : verdict.reason);

describe("signSlackRequest", () => {
  it("reproduces Slack's documented example", () => {
    expect(signSlackRequest(SECRET, TIMESTAMP, BODY)).toBe(EXPECTED);
  });
});

describe("verifySlackRequest", () => {
  it("accepts Slack's documented example", () => {
    expect(request()).toEqual({ ok: true });
  });

  it("accepts uppercase hex, as the header is case-insensitive hex", () => {
    expect(request({ signature: `v0=${EXPECTED.slice(3).toUpperCase()}` })).toEqual({ ok: true });
  });

  it("accepts a timestamp just within five minutes either way", () => {
    expect(request({ now: NOW + 300_000 })).toEqual({ ok: true });
    expect(request({ now: NOW - 300_000 })).toEqual({ ok: true });
  });

  it.each([
    ["a tampered body", { body: BODY.replace("roadrunner", "coyote") }],
    ["a body with a byte added", { body: `${BODY}&` }],
    ["a wrong secret", { signingSecret: "8f742231b10e8888abcd99yyyzzz85a6" }],
    ["a signature of another timestamp", { signature: signSlackRequest(SECRET, TIMESTAMP + 1, BODY) }],
  ])("refuses %s", (_name, overrides) => {
    expect(reasonOf(request(overrides))).toMatch(/not signed with the app's signing secret/);
  });

  it("refuses a timestamp more than five minutes old, saying so", () => {
    expect(reasonOf(request({ now: NOW + 300_001 }))).toMatch(/more than 5 minutes in the past/);
  });

  it("refuses a timestamp more than five minutes ahead, saying so", () => {
    const future = TIMESTAMP + 301;
    expect(reasonOf(request({ timestamp: String(future), signature: signSlackRequest(SECRET, future, BODY) }))).toMatch(
      /more than 5 minutes in the future/,
    );
  });

  it("checks the timestamp before the signature, so a stale but well-signed request is still refused", () => {
    const stale = TIMESTAMP - 3600;
    expect(reasonOf(request({ timestamp: String(stale), signature: signSlackRequest(SECRET, stale, BODY) }))).toMatch(/in the past/);
  });

  it("honours a custom tolerance", () => {
    expect(reasonOf(request({ now: NOW + 61_000, toleranceMs: 60_000 }))).toMatch(/more than 1 minute in the past/);
  });

  it.each([
    ["missing", undefined, /timestamp header is missing/i],
    ["empty", "", /timestamp header is missing/i],
    ["not a number", "yesterday", /not a number/],
    ["fractional", "1531420618.5", /not a number/],
    ["negative", "-1531420618", /not a number/],
    ["absurdly long", "9".repeat(40), /not a number/],
  ])("refuses a timestamp that is %s", (_name, timestamp, reason) => {
    expect(reasonOf(request({ timestamp }))).toMatch(reason);
  });

  it.each([
    ["missing", undefined, /signature header is missing/i],
    ["empty", "", /signature header is missing/i],
    ["without the version", EXPECTED.slice(3), /not of the form/],
    ["of another version", `v1=${EXPECTED.slice(3)}`, /not of the form/],
    ["too short", EXPECTED.slice(0, -2), /not of the form/],
    ["too long", `${EXPECTED}00`, /not of the form/],
    ["not hex", `v0=${"z".repeat(64)}`, /not of the form/],
    ["with spaces", ` ${EXPECTED}`, /not of the form/],
    ["two signatures", `${EXPECTED},${EXPECTED}`, /not of the form/],
  ])("refuses a signature that is %s", (_name, signature, reason) => {
    expect(reasonOf(request({ signature }))).toMatch(reason);
  });
});
