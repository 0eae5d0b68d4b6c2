import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/domain/errors.js";
import type { Outcome, Phase } from "../../src/domain/petition.js";
import { transition, type PetitionAction } from "../../src/domain/petition-machine.js";

type Expected = { phase: Phase; outcome: Outcome | null; grants: "create" | "end" | "none" } | "refused";

/** Every phase × every action: the whole state machine, written out. */
const TABLE: Array<[Phase, PetitionAction, Expected]> = [
  ["open", "approve", { phase: "granted", outcome: null, grants: "create" }],
  ["open", "deny", { phase: "closed", outcome: "denied", grants: "none" }],
  ["open", "revoke", "refused"],
  ["open", "close", { phase: "closed", outcome: "cancelled", grants: "none" }],
  ["open", "expire", "refused"],
  ["open", "timeout", { phase: "closed", outcome: "timed_out", grants: "none" }],
  ["granted", "approve", "refused"],
  ["granted", "deny", "refused"],
  ["granted", "revoke", { phase: "closed", outcome: "revoked", grants: "end" }],
  ["granted", "close", { phase: "closed", outcome: "revoked", grants: "end" }],
  ["granted", "expire", { phase: "closed", outcome: "expired", grants: "end" }],
  ["granted", "timeout", "refused"],
  ["closed", "approve", "refused"],
  ["closed", "deny", "refused"],
  ["closed", "revoke", "refused"],
  ["closed", "close", "refused"],
  ["closed", "expire", "refused"],
  ["closed", "timeout", "refused"],
  ["revoked", "approve", "refused"],
  ["revoked", "deny", "refused"],
  ["revoked", "revoke", "refused"],
  ["revoked", "close", "refused"],
  ["revoked", "expire", "refused"],
  ["revoked", "timeout", "refused"],
];

describe("petition state machine", () => {
  it.each(TABLE)("%s + %s", (phase, action, expected) => {
    const petition = { name: "pet_x", phase, outcome: phase === "closed" ? ("denied" as const) : null };
    if (expected === "refused") {
      let error: unknown;
      try {
        transition(petition, action);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("INVALID_TRANSITION");
      expect((error as DomainError).message).toContain("pet_x");
    } else {
      expect(transition(petition, action)).toEqual(expected);
    }
  });

  it("covers every phase and every action", () => {
    const phases = new Set(TABLE.map(([p]) => p));
    const actions = new Set(TABLE.map(([, a]) => a));
    expect(phases.size * actions.size).toBe(TABLE.length);
  });

  it("says why a refused action is refused", () => {
    expect(() => transition({ name: "pet_1", phase: "granted", outcome: null }, "deny")).toThrow(/already granted.*revoke it instead/);
    expect(() => transition({ name: "pet_1", phase: "closed", outcome: "denied" }, "approve")).toThrow(
      /closed \(denied\).*create a new petition/,
    );
  });
});
