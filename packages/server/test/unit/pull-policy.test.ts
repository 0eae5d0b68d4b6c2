import { describe, expect, it } from "vitest";
import { checkPullKinds, checkSchedule, nextRunAfter } from "../../src/domain/pull-policy.js";

const at = (iso: string) => Date.parse(iso);

describe("pull policy schedules", () => {
  it.each([
    ["0 * * * *", "2026-05-01T10:30:00Z", "2026-05-01T11:00:00Z"],
    ["*/15 * * * *", "2026-05-01T10:31:00Z", "2026-05-01T10:45:00Z"],
    ["30 2 * * 1", "2026-05-01T10:30:00Z", "2026-05-04T02:30:00Z"],
    ["@hourly", "2026-05-01T10:30:00Z", "2026-05-01T11:00:00Z"],
    ["@daily", "2026-05-01T10:30:00Z", "2026-05-02T00:00:00Z"],
    ["@weekly", "2026-05-01T10:30:00Z", "2026-05-03T00:00:00Z"],
    ["@monthly", "2026-05-01T10:30:00Z", "2026-06-01T00:00:00Z"],
    ["@every 90m", "2026-05-01T10:30:00Z", "2026-05-01T12:00:00Z"],
  ])("%s after %s is %s (UTC)", (schedule, after, next) => {
    expect(new Date(nextRunAfter(schedule, at(after))).toISOString()).toBe(new Date(next).toISOString());
  });

  it("fires strictly after the time given, so a run at its own time schedules the next", () => {
    expect(nextRunAfter("0 * * * *", at("2026-05-01T11:00:00Z"))).toBe(at("2026-05-01T12:00:00Z"));
  });

  it.each([
    ["", /is required/],
    ["  ", /is required/],
    ["* * * *", /five fields/],
    ["0 0 * * * *", /five fields/],
    ["60 * * * *", /not a cron expression/],
    ["@reboot", /not a known descriptor/],
    ["@every", /@every takes a duration/],
    ["@every 59s", /at most once a minute/],
    ["@every soon", /@every takes a duration/],
  ])("refuses %j", (schedule, message) => {
    expect(() => checkSchedule(schedule, "pullPolicy.schedule")).toThrow(message);
  });

  it("keeps a schedule as written, trimmed", () => {
    expect(checkSchedule(" @every 1h ", "s")).toBe("@every 1h");
  });
});

describe("pull kinds", () => {
  it("needs at least one kind and drops repeats", () => {
    expect(checkPullKinds(["okta.v1.Group", " okta.v1.Group", "github.v1.Team"], "kinds")).toEqual(["okta.v1.Group", "github.v1.Team"]);
    expect(() => checkPullKinds([], "kinds")).toThrow(/at least one resource kind/);
    expect(() => checkPullKinds(undefined, "kinds")).toThrow(/at least one resource kind/);
    expect(() => checkPullKinds(["okta v1"], "kinds")).toThrow(/kinds\[0\] must be a resource kind without spaces/);
  });
});
