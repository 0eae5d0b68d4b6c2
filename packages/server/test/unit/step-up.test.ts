import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/domain/actor.js";
import { checkStepUp, isFresh, StepUpRequired } from "../../src/domain/step-up.js";

/** Who may approve a high-risk petition: a person with a strong sign-in within the window, and nobody else. */

const NOW = Date.parse("2026-01-01T12:00:00Z");
const MAX_AGE = 10 * 60_000;
const CHECK = { now: NOW, maxAgeMs: MAX_AGE, petitionName: "pet_1", reviewUrl: "https://gl.example/spaces/default/petitions/pet_1" };
const person = (strongAuth?: { at: number; methods: string[] }): Actor => ({
  type: "user",
  email: "rita@example.com",
  spaceId: "spc_1",
  tokenId: "tok_1",
  ...(strongAuth ? { strongAuth } : {}),
});

describe("checkStepUp", () => {
  it.each([
    ["a passkey a minute ago", person({ at: NOW - 60_000, methods: ["passkey"] })],
    ["the identity provider just now", person({ at: NOW, methods: ["oidc"] })],
    ["the identity provider at the edge of the window", person({ at: NOW - MAX_AGE, methods: ["oidc"] })],
  ])("lets a person approve after %s", (_when, actor) => {
    expect(() => checkStepUp(actor, CHECK)).not.toThrow();
  });

  it.each([
    ["a person whose token says nothing of a sign-in", person(), /carries no such sign-in/],
    ["a person whose sign-in is older than the window", person({ at: NOW - MAX_AGE - 1000, methods: ["oidc"] }), /yours was 10m1s ago/],
    ["a person whose sign-in is from the future", person({ at: NOW + 3_600_000, methods: ["passkey"] }), /carries no such sign-in/],
    ["a person signed in by a method this server does not sign", person({ at: NOW, methods: ["pwd"] }), /carries no such sign-in/],
    [
      "a service account",
      { type: "serviceAccount", id: "1", name: "deploy-bot", email: "d@s.serviceaccounts.greenlight", spaceId: "spc_1", tokenId: "t" },
      /service account deploy-bot is not a person/,
    ],
    ["the bootstrap admin token", { type: "admin" }, /the bootstrap admin token is not a person/],
    ["a decision webhook's bot", { type: "bot", webhook: "pagerduty" }, /decision webhook pagerduty/],
  ] as Array<[string, Actor, RegExp]>)("refuses %s, saying how to step up", (_who, actor, why) => {
    let thrown: unknown;
    try {
      checkStepUp(actor, CHECK);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(StepUpRequired);
    expect((thrown as StepUpRequired).code).toBe("STEP_UP_REQUIRED");
    expect((thrown as StepUpRequired).maxAgeSeconds).toBe(600);
    expect((thrown as StepUpRequired).message).toMatch(why);
    expect((thrown as StepUpRequired).message).toContain(CHECK.reviewUrl);
  });
});

describe("isFresh", () => {
  it("holds within the window and not beyond it, nor far in the future", () => {
    expect(isFresh(NOW - MAX_AGE, NOW, MAX_AGE)).toBe(true);
    expect(isFresh(NOW - MAX_AGE - 1, NOW, MAX_AGE)).toBe(false);
    expect(isFresh(NOW + 30_000, NOW, MAX_AGE)).toBe(true);
    expect(isFresh(NOW + 120_000, NOW, MAX_AGE)).toBe(false);
  });
});
