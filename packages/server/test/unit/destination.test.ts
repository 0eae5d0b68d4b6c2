import { describe, expect, it } from "vitest";
import { currentFailure, secretHint, switchedState, type Health, type Switchable } from "../../src/domain/destination.js";
import { ON_CALL_SECRETS } from "../../src/store/repositories/oncall-providers.js";
import { SLACK_SECRETS } from "../../src/store/repositories/slack-apps.js";
import { SUBSCRIPTION_SECRETS } from "../../src/store/repositories/subscriptions.js";
import { WEBHOOK_SECRETS } from "../../src/store/repositories/webhooks.js";

/** What every kind of destination shares: its health, turning it off and on, hints of its secrets, and where they are sealed. */

describe("currentFailure", () => {
  const health = (lastSuccessAt: number | null, lastError: string | null, lastErrorAt: number | null): Health => ({
    lastSuccessAt,
    lastError,
    lastErrorAt,
  });

  it.each([
    ["never called", health(null, null, null), null],
    ["only successes", health(10, null, null), null],
    ["failed, never succeeded", health(null, "HTTP 500", 10), { error: "HTTP 500", at: 10 }],
    ["failed after the last success", health(10, "HTTP 500", 20), { error: "HTTP 500", at: 20 }],
    ["succeeded after the last failure", health(20, "HTTP 500", 10), null],
    ["succeeded in the same millisecond as the failure", health(10, "HTTP 500", 10), null],
    ["an error without a time", health(null, "HTTP 500", null), null],
  ])("%s", (_, h, expected) => {
    expect(currentFailure(h)).toEqual(expected);
  });
});

describe("switchedState", () => {
  const on: Switchable = { disabledAt: null, disabledReason: null };
  const gone: Switchable = { disabledAt: 5, disabledReason: "the receiver answered 410 Gone" };

  it.each([
    ["left as it is", on, undefined, on],
    ["left off", gone, undefined, gone],
    ["turned off by an admin", on, true, { disabledAt: 100, disabledReason: "turned off by an admin" }],
    ["turned off again, keeping since when and why", gone, true, gone],
    ["turned back on", gone, false, on],
  ])("%s", (_, current, disabled, expected) => {
    expect(switchedState(current, disabled, 100)).toEqual(expected);
  });
});

describe("secretHint", () => {
  it.each([
    ["wks0abcdefghijklmnopqrstuvwxyz0123456789wxyz", 4, "wks0…wxyz"],
    ["whsec_c2VjcmV0c2VjcmV0c2VjcmV0", 6, "whsec_…cmV0"],
    ["xoxb-1111-2222-a1b2", 5, "xoxb-…a1b2"],
    ["8f14e45fceea167a5a36dedd4bea9f3c", 0, "…9f3c"],
  ])("%s keeping %i", (secret, keep, hint) => {
    expect(secretHint(secret, keep)).toBe(hint);
  });
});

describe("sealed columns", () => {
  // Values sealed by every earlier version are bound to these contexts: they must never change.
  const row = { space_id: "spc_1", name: "okta" };
  it.each([
    [
      WEBHOOK_SECRETS,
      "webhooks",
      ["space_id", "name"],
      { headers_sealed: "webhook:spc_1/okta/headers", secret_sealed: "webhook:spc_1/okta/secret" },
    ],
    [SUBSCRIPTION_SECRETS, "subscriptions", ["space_id", "name"], { secret_sealed: "subscription:spc_1/okta" }],
    [ON_CALL_SECRETS, "oncall_providers", ["space_id", "name"], { api_key_sealed: "oncall:spc_1/okta" }],
    [
      SLACK_SECRETS,
      "slack_apps",
      ["space_id"],
      { bot_token_sealed: "slack:spc_1/bot-token", signing_secret_sealed: "slack:spc_1/signing-secret" },
    ],
  ])("of %#: %s", (sealed, table, key, contexts) => {
    expect(sealed.table).toBe(table);
    expect(sealed.key).toEqual(key);
    expect(Object.fromEntries(Object.entries(sealed.columns).map(([column, contextOf]) => [column, contextOf(row)]))).toEqual(contexts);
  });
});
