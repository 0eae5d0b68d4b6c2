import { describe, expect, it } from "vitest";
import { emailProblem, normalizeEmail } from "../../src/domain/email.js";

/** One way an address becomes a person: ASCII only, nothing that folds onto another character. */
describe("normalizeEmail", () => {
  it.each([
    ["alice@example.com", "alice@example.com"],
    ["  Alice@Example.COM ", "alice@example.com"],
    ["first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"],
    ["bob@xn--bcher-kva.example", "bob@xn--bcher-kva.example"],
  ])("takes %j as %j", (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    ["the Kelvin sign, which lower-cases to k", "bob@o\u212Ata.example"],
    ["a full-width letter, which NFKC folds to ASCII", "\uFF42ob@okta.example"],
    ["a dotless i", "al\u0131ce@example.com"],
    ["a Cyrillic look-alike", "\u0430lice@example.com"],
    ["a ligature", "\uFB01nance@example.com"],
    ["a zero-width joiner", "ali\u200Dce@example.com"],
    ["a Unicode domain", "bob@b\u00FCcher.example"],
    ["a space inside", "bob smith@example.com"],
    ["no @", "bob.example.com"],
    ["two @", "bob@a@example.com"],
    ["an empty local part", "@example.com"],
    ["a control character", "bob\u0000@example.com"],
    ["nothing", ""],
    ["too long", `${"a".repeat(320)}@example.com`],
  ])("refuses %s", (_why, raw) => {
    expect(normalizeEmail(raw)).toBeUndefined();
  });

  it("says why a non-ASCII address is refused", () => {
    expect(emailProblem("bob@o\u212Ata.example")).toContain("ASCII");
    expect(emailProblem("nope")).toContain("is not an email address");
  });
});
