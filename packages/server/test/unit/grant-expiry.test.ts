import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import { resolveGrantTerm, termLabels, type ExpirySources, type GrantLimits } from "../../src/domain/grant-expiry.js";

const NOW = Date.parse("2030-01-01T00:00:00Z");
const HOUR = 3_600_000;
const limits: GrantLimits = { defaultMs: HOUR, maxMs: 720 * HOUR, allowIndefinite: true };
const sources = (overrides: Partial<ExpirySources> = {}): ExpirySources => ({
  claimLabels: {},
  petitionDefaultMs: null,
  petitionLabels: {},
  ...overrides,
});

describe("resolveGrantTerm", () => {
  it.each([
    ["duration label", { claimLabels: { "indent.com/time/duration": "3h0m0s" } }, 3 * HOUR],
    ["fractional duration", { claimLabels: { "indent.com/time/duration": "1.5h" } }, 1.5 * HOUR],
    ["expires label", { claimLabels: { "indent.com/time/expires": "2030-01-01T02:00:00Z" } }, 2 * HOUR],
    [
      "duration beats expires",
      { claimLabels: { "indent.com/time/duration": "1h", "indent.com/time/expires": "2030-01-01T05:00:00Z" } },
      HOUR,
    ],
    ["petition's default duration", { petitionDefaultMs: 4 * HOUR }, 4 * HOUR],
    ["petition's duration label", { petitionLabels: { "indent.com/petition/duration": "5h" } }, 5 * HOUR],
    ["server default", {}, HOUR],
    ["indefinite false falls through", { claimLabels: { "indent.com/time/indefinite": "false" } }, HOUR],
  ])("%s", (_name, overrides, durationMs) => {
    const term = resolveGrantTerm(sources(overrides), limits, NOW);
    expect(term).toEqual({ expireAt: NOW + durationMs, durationMs });
  });

  it.each([
    ["indefinite label", { "indent.com/time/indefinite": "true" }],
    ["-1ns duration", { "indent.com/time/duration": "-1ns" }],
  ])("%s means until revoked", (_name, claimLabels) => {
    expect(resolveGrantTerm(sources({ claimLabels }), limits, NOW)).toEqual({ expireAt: null, durationMs: null });
  });

  it.each([
    ["over the maximum", { "indent.com/time/duration": "721h" }, /more than the maximum grant of 720h/],
    ["zero", { "indent.com/time/duration": "0s" }, /must be positive/],
    ["negative", { "indent.com/time/duration": "-5s" }, /must be positive/],
    ["days", { "indent.com/time/duration": "1d" }, /unknown unit "d"/],
    ["garbage", { "indent.com/time/duration": "soon" }, /indent\.com\/time\/duration/],
    ["expiry in the past", { "indent.com/time/expires": "2029-12-31T00:00:00Z" }, /in the past/],
    ["expiry not RFC 3339", { "indent.com/time/expires": "tomorrow" }, /RFC 3339/],
    ["expiry beyond the maximum", { "indent.com/time/expires": "2031-01-01T00:00:00Z" }, /more than the maximum/],
    ["indefinite not a boolean", { "indent.com/time/indefinite": "yes" }, /must be "true" or "false"/],
  ])("refuses %s", (_name, claimLabels, message) => {
    let error: unknown;
    try {
      resolveGrantTerm(sources({ claimLabels }), limits, NOW);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe("INVALID_ARGUMENT");
    expect((error as DomainError).message).toMatch(message);
    expect((error as DomainError).field).toMatch(/^claim\.meta\.labels/);
  });

  it("refuses until-revoked when the server turns it off", () => {
    expect(() =>
      resolveGrantTerm(sources({ claimLabels: { "indent.com/time/indefinite": "true" } }), { ...limits, allowIndefinite: false }, NOW),
    ).toThrow(/turned off/);
  });

  it("labels the term the way Indent's integrations read it", () => {
    expect(termLabels({ expireAt: NOW + 3 * HOUR, durationMs: 3 * HOUR })).toEqual({
      "indent.com/time/duration": "3h0m0s",
      "indent.com/time/expires": "2030-01-01T03:00:00.000Z",
    });
    expect(termLabels({ expireAt: null, durationMs: null })).toEqual({ "indent.com/time/indefinite": "true" });
  });
});
