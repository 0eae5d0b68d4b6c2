import { describe, expect, it } from "vitest";
import {
  checkClaimLabels,
  checkNewPetitionLabels,
  describeLabelChanges,
  isFixedLabel,
  isServerClaimLabel,
  labelChanges,
  petitionLabels,
} from "../../src/domain/petition-labels.js";

describe("petition labels", () => {
  it.each([
    ["greenlight.dev/tool", true],
    ["greenlight.dev/agent", true],
    ["indent.com/petition/duration", true],
    ["indent.com/app/config/id", true],
    ["ticket", false],
    ["example.com/greenlight.dev/x", false],
  ])("%s is fixed once the petition exists: %s", (key, fixed) => {
    expect(isFixedLabel(key)).toBe(fixed);
  });

  it.each([
    ["greenlight.dev/tool", true],
    ["greenlight.dev/arguments", true],
    ["greenlight.dev/time/clamp", true],
    ["greenlight.dev/action", true],
    ["indent.com/petition/duration", true],
    ["ticket", true],
    ["greenlight.dev/agent", false],
    ["greenlight.dev/on-behalf-of", false],
    ["greenlight.dev/operation-sha256", false],
    ["greenlight.dev/policy/rule", false],
    ["greenlight.dev/anything-new", false],
  ])("a client may set %s on a new petition: %s", (key, allowed) => {
    const check = () => checkNewPetitionLabels({ [key]: "x" }, "petition.meta.labels");
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(/is set by the server/);
  });

  it.each([
    ["greenlight.dev/time/clamp", true],
    ["indent.com/time/duration", true],
    ["greenlight.dev/review/steps", false],
    ["greenlight.dev/decision/source", false],
    ["greenlight.dev/via", false],
  ])("a client may set %s on a claim: %s", (key, allowed) => {
    expect(isServerClaimLabel(key)).toBe(!allowed);
    const check = () => checkClaimLabels({ [key]: "x" }, "claim.meta.labels");
    if (allowed) expect(check).not.toThrow();
    else expect(check).toThrow(/is set by the server/);
  });

  it("lists changes to free labels, in key order, and refuses any change to a fixed one", () => {
    const current = { ticket: "A", team: "web", "greenlight.dev/agent": "bot@x", "indent.com/petition/duration": "15m" };
    expect(labelChanges(current, { ...current }, "f")).toEqual([]);
    const changes = labelChanges(current, { ...current, ticket: "B", team: undefined as unknown as string, owner: "me" }, "f");
    expect(changes).toEqual([
      { key: "owner", from: undefined, to: "me" },
      { key: "team", from: "web", to: undefined },
      { key: "ticket", from: "A", to: "B" },
    ]);
    expect(describeLabelChanges(changes)).toBe('added owner="me"; removed team (was "web"); changed ticket from "A" to "B"');
    expect(() => labelChanges(current, { ...current, "indent.com/petition/duration": "720h" }, "f")).toThrow(
      /fixed when the petition is created/,
    );
    const { "greenlight.dev/agent": _, ...stripped } = current;
    expect(() => labelChanges(current, stripped, "f")).toThrow(/fixed when the petition is created/);
    expect(() => labelChanges(current, { ...current, "greenlight.dev/new": "x" }, "f")).toThrow(/it has none/);
  });

  it("shows the operation from its record, whatever the labels say", () => {
    const operation = { tool: "read_logs", arguments: '{"service":"api"}', sha256: "a".repeat(64) };
    expect(petitionLabels({ labels: { "greenlight.dev/tool": "drop_database", ticket: "A" }, operation })).toEqual({
      ticket: "A",
      "greenlight.dev/tool": "read_logs",
      "greenlight.dev/arguments": '{"service":"api"}',
      "greenlight.dev/operation-sha256": "a".repeat(64),
    });
    expect(petitionLabels({ labels: { ticket: "A" }, operation: null })).toEqual({ ticket: "A" });
  });
});
