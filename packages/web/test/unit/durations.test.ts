import { describe, expect, it } from "vitest";
import { describe as say, durationChoices, goDurationMs, UNTIL_REVOKED } from "../../src/request/durations.js";

/** The durations the request form offers, from a plan's limits as the server writes them. */

describe("durationChoices", () => {
  it("offers the usual durations up to the maximum, with the default preselected", () => {
    const { choices, preselected } = durationChoices({ maxDuration: "4h0m0s", defaultDuration: "2h0m0s", allowIndefinite: false });
    expect(choices.map((c) => c.value)).toEqual(["15m", "30m", "1h", "2h", "4h"]);
    expect(choices.map((c) => c.label)).toEqual(["15 minutes", "30 minutes", "1 hour", "2 hours", "4 hours"]);
    expect(preselected).toBe("2h");
  });

  it("adds a maximum and a default that are not among the usual ones, and until revoked where allowed", () => {
    const { choices, preselected } = durationChoices({ maxDuration: "1h30m0s", defaultDuration: "45m0s", allowIndefinite: true });
    expect(choices.map((c) => c.value)).toEqual(["15m", "30m", "45m", "1h", "90m", UNTIL_REVOKED]);
    expect(preselected).toBe("45m");
  });

  it("never preselects more than the maximum", () => {
    expect(durationChoices({ maxDuration: "1h0m0s", defaultDuration: "8h0m0s", allowIndefinite: false }).preselected).toBe("1h");
  });
});

describe("goDurationMs and describe", () => {
  it("reads Go durations and says them as people do", () => {
    expect(goDurationMs("168h0m0s")).toBe(168 * 3_600_000);
    expect(goDurationMs("1m30s")).toBe(90_000);
    expect(goDurationMs("500ms")).toBe(500);
    expect(goDurationMs("not a duration")).toBe(0);
    expect(say(72 * 3_600_000)).toBe("3 days");
    expect(say(90_000)).toBe("90 seconds");
  });
});
