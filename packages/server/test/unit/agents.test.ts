import { describe, expect, it } from "vitest";
import { isAgent, mayActFor, operationHash, operationOf, withServerLabels } from "../../src/domain/agents.js";

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

  it("records the agent, whom it acts for and the operation from what the server knows", () => {
    const operation = operationOf({ "greenlight.dev/tool": "t", "greenlight.dev/arguments": '{ "b": 1, "a": [2] }' })!;
    expect(operation).toEqual({ tool: "t", arguments: '{"a":[2],"b":1}', sha256: operationHash("t", { a: [2], b: 1 }) });
    expect(withServerLabels({ team: "a" }, null, undefined)).toEqual({ team: "a" });
    expect(withServerLabels({ team: "a" }, operation, { email: "bot@sa.example.com", onBehalfOf: ["alice@example.com"] })).toEqual({
      team: "a",
      "greenlight.dev/tool": "t",
      "greenlight.dev/arguments": '{"a":[2],"b":1}',
      "greenlight.dev/operation-sha256": operation.sha256,
      "greenlight.dev/agent": "bot@sa.example.com",
      "greenlight.dev/on-behalf-of": "alice@example.com",
    });
  });

  it("refuses arguments that are not JSON", () => {
    expect(() => operationOf({ "greenlight.dev/tool": "t", "greenlight.dev/arguments": "{nope" })).toThrow(/as JSON/);
  });
});
