import { describe, expect, it } from "vitest";
import { isAgent, mayActFor, withServerLabels } from "../../src/domain/agents.js";

describe("agents", () => {
  it("an agent is a service account labelled greenlight.dev/agent=true, nothing else", () => {
    expect(isAgent({ "greenlight.dev/agent": "true" })).toBe(true);
    expect(isAgent({ "greenlight.dev/agent": "yes" })).toBe(false);
    expect(isAgent({})).toBe(false);
  });

  it.each([
    ["alice@example.com", "alice@example.com", true],
    ["alice@example.com, bob@example.com", "BOB@example.com", true],
    ["alice@example.com", "bob@example.com", false],
    ["*", "anyone@example.com", true],
    ["", "alice@example.com", false],
  ])("acts-for %j lets it act for %s: %s", (actsFor, email, allowed) => {
    expect(mayActFor({ "greenlight.dev/acts-for": actsFor }, email)).toBe(allowed);
  });

  it("the server's labels replace what the request sent", () => {
    const sent = {
      "greenlight.dev/agent": "forged",
      "greenlight.dev/on-behalf-of": "ceo@example.com",
      "greenlight.dev/operation-sha256": "x",
      team: "a",
    };
    expect(withServerLabels(sent, undefined)).toEqual({ team: "a" });
    expect(withServerLabels(sent, { email: "bot@sa.example.com", onBehalfOf: ["alice@example.com"] })).toEqual({
      team: "a",
      "greenlight.dev/agent": "bot@sa.example.com",
      "greenlight.dev/on-behalf-of": "alice@example.com",
    });
  });

  it("refuses arguments that are not JSON", () => {
    expect(() => withServerLabels({ "greenlight.dev/tool": "t", "greenlight.dev/arguments": "{nope" }, undefined)).toThrow(/as JSON/);
  });
});
