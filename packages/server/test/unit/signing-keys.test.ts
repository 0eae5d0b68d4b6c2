import { describe, expect, it } from "vitest";
import { isRotationDue, planRotation, removableKeys, signingKeyAt, type SigningKeyTimes } from "../../src/domain/signing-keys.js";

const DAY = 24 * 3_600_000;
const key = (kid: string, activatesAt: number, retiredAt: number | null = null): SigningKeyTimes => ({ kid, activatesAt, retiredAt });

describe("signingKeyAt", () => {
  const old = key("old", 0, 100);
  const next = key("next", 100);
  it.each([
    ["before any key starts", [key("a", 10)], 5, undefined],
    ["the one started key", [key("a", 10)], 10, "a"],
    ["the old key until its successor starts", [old, next], 99, "old"],
    ["the successor from its start", [old, next], 100, "next"],
    ["no key once all are retired", [key("a", 0, 50)], 50, undefined],
    ["the latest started when two would sign", [key("a", 0), key("b", 20)], 30, "b"],
  ])("%s", (_name, keys, now, expected) => {
    expect(signingKeyAt(keys, now)?.kid).toBe(expected);
  });
});

describe("isRotationDue", () => {
  it.each([
    ["not before the signing key has signed for the period", [key("a", 0)], DAY - 1, false],
    ["once it has", [key("a", 0)], DAY, true],
    ["not while a successor waits to sign", [key("a", 0, 2 * DAY), key("b", 2 * DAY)], 2 * DAY - 1, false],
    ["counting from when the successor started signing", [key("a", 0, DAY), key("b", DAY)], 2 * DAY - 1, false],
    ["when no key signs", [key("a", 0, 10)], 20, true],
  ])("%s", (_name, keys, now, expected) => {
    expect(isRotationDue(keys, now, DAY)).toBe(expected);
  });
});

describe("planRotation", () => {
  it("publishes ahead: the signing key stops when the successor starts", () => {
    expect(planRotation([key("a", 0)], 1000, 60)).toEqual({ activatesAt: 1060, retire: ["a"], discard: [] });
  });

  it("at once, replacing a successor that has not signed and leaving retired keys alone", () => {
    const keys = [key("gone", 0, 500), key("a", 500, 2000), key("waiting", 2000)];
    expect(planRotation(keys, 1000, 0)).toEqual({ activatesAt: 1000, retire: ["a"], discard: ["waiting"] });
  });
});

describe("removableKeys", () => {
  it("removes keys retired longer ago than what they signed can live, never one that signs", () => {
    const keys = [key("expired", 0, 100), key("recent", 100, 900), key("signing", 900)];
    expect(removableKeys(keys, 1000, 850)).toEqual(["expired"]);
    expect(removableKeys(keys, 1000, 900)).toEqual([]);
  });
});
