import { describe, expect, it } from "vitest";
import {
  accessFor,
  checkClose,
  checkDecision,
  checkPetitioners,
  isPartyTo,
  mayReadPetition,
  type Decision,
} from "../../src/domain/access.js";
import type { Actor } from "../../src/domain/actor.js";
import { DomainError } from "../../src/domain/errors.js";
import { resourceEmail } from "../../src/domain/resource.js";
import { formatMember, parseMember, permissionsOf, ROLES, type Role } from "../../src/domain/roles.js";

const user = (email: string): Actor => ({ type: "user", email, spaceId: "spc_1", tokenId: "tok_1" });
const bot: Actor = {
  type: "serviceAccount",
  id: "123456789012345",
  name: "bot",
  email: "bot@s.serviceaccounts.greenlight",
  spaceId: "spc_1",
  tokenId: "tok_2",
};
const admin: Actor = { type: "admin" };

const petition = (petitioners: string[], createdBy = "user:creator@example.com") => ({
  name: "pet_x",
  petitioners: petitioners.map((email) => ({ kind: "user", email, labels: {} })),
  createdBy,
});

function codeOf(run: () => void): string {
  try {
    run();
    return "ok";
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe("roles", () => {
  it("give each role exactly its permissions", () => {
    expect([...permissionsOf(["member"])]).toEqual(["petitions.create"]);
    expect([...permissionsOf(["petitioner-admin"])].sort()).toEqual(["petitions.create", "petitions.create-for-others"]);
    expect(permissionsOf(["reviewer"]).has("petitions.review")).toBe(true);
    expect(permissionsOf(["reviewer"]).has("space.admin")).toBe(false);
    expect(permissionsOf(["admin"]).size).toBe(8);
    // Roles add up.
    expect(permissionsOf(["member", "reviewer"])).toEqual(permissionsOf(["reviewer"]));
  });

  it.each([
    ["user:Alice@Example.com", "user:alice@example.com"],
    ["group:sre-oncall", "group:sre-oncall"],
    ["serviceAccount:123456789012345", "serviceAccount:123456789012345"],
  ])("parses the member %s", (text, canonical) => {
    expect(formatMember(parseMember(text, "m"))).toBe(canonical);
  });

  it.each([["alice@example.com"], ["user:alice"], ["group:Has Spaces"], ["serviceAccount:abc"], ["robot:1"], [":x"], [""]])(
    "refuses the member %j",
    (text) => {
      expect(codeOf(() => parseMember(text, "m"))).toBe("INVALID_ARGUMENT");
    },
  );
});

describe("who a petition belongs to", () => {
  it.each<[string, Actor, ReturnType<typeof petition>, boolean]>([
    ["a petitioner, by email in any case", user("Ann@Example.com"), petition(["ann@example.com"]), true],
    ["its creator", user("creator@example.com"), petition(["someone@example.com"]), true],
    ["someone else", user("eve@example.com"), petition(["someone@example.com"]), false],
    ["a service account that created it", bot, petition(["someone@example.com"], "serviceAccount:123456789012345"), true],
    ["the bootstrap admin that created it", admin, petition(["someone@example.com"], "admin"), false],
  ])("%s: %s", (_name, actor, p, expected) => {
    expect(isPartyTo(actor, p)).toBe(expected);
  });

  it("reads a petitioner's email from an id that is one", () => {
    expect(resourceEmail({ id: "Bob@Example.com" })).toBe("bob@example.com");
    expect(resourceEmail({ id: "00u123" })).toBeUndefined();
    expect(resourceEmail({ email: "a@b.c", id: "x@y.z" })).toBe("a@b.c");
    expect(isPartyTo(user("bob@example.com"), { petitioners: [{ kind: "user", id: "BOB@example.com", labels: {} }], createdBy: "" })).toBe(
      true,
    );
  });
});

describe("what each role may do to someone else's petition, and to its own", () => {
  const others = petition(["someone@example.com"]);
  const own = petition(["me@example.com"]);
  const as = (role: Role) => accessFor(user("me@example.com"), [role]);

  const table: Array<[Role, { read: boolean; approve: string; revoke: string; close: string; approveOwn: string; revokeOwn: string }]> = [
    ["admin", { read: true, approve: "ok", revoke: "ok", close: "ok", approveOwn: "SELF_REVIEW", revokeOwn: "ok" }],
    ["reviewer", { read: true, approve: "ok", revoke: "ok", close: "FORBIDDEN", approveOwn: "SELF_REVIEW", revokeOwn: "ok" }],
    [
      "petitioner-admin",
      { read: false, approve: "FORBIDDEN", revoke: "FORBIDDEN", close: "FORBIDDEN", approveOwn: "FORBIDDEN", revokeOwn: "ok" },
    ],
    ["member", { read: false, approve: "FORBIDDEN", revoke: "FORBIDDEN", close: "FORBIDDEN", approveOwn: "FORBIDDEN", revokeOwn: "ok" }],
  ];

  it.each(table)("%s", (role, expected) => {
    const access = as(role);
    expect(mayReadPetition(access, others)).toBe(expected.read);
    expect(mayReadPetition(access, own)).toBe(true);
    const decide = (p: typeof own, d: Decision) => codeOf(() => checkDecision(access, p, d));
    expect(decide(others, "approve")).toBe(expected.approve);
    expect(decide(others, "deny")).toBe(expected.approve);
    expect(decide(others, "revoke")).toBe(expected.revoke);
    expect(decide(own, "approve")).toBe(expected.approveOwn);
    expect(decide(own, "deny")).toBe(expected.approveOwn);
    expect(decide(own, "revoke")).toBe(expected.revokeOwn);
    expect(codeOf(() => checkClose(access, others))).toBe(expected.close);
    expect(codeOf(() => checkClose(access, own))).toBe("ok");
  });

  it.each(ROLES)("%s may petition for itself; only some for others", (role) => {
    const access = as(role);
    expect(codeOf(() => checkPetitioners(access, [{ kind: "user", email: "ME@example.com", labels: {} }]))).toBe("ok");
    const forOthers = codeOf(() => checkPetitioners(access, [{ kind: "user", email: "someone@example.com", labels: {} }]));
    expect(forOthers).toBe(role === "admin" || role === "petitioner-admin" ? "ok" : "FORBIDDEN");
  });

  it("a principal without roles may do nothing", () => {
    const access = accessFor(user("me@example.com"), []);
    expect(codeOf(() => checkPetitioners(access, [{ kind: "user", email: "me@example.com", labels: {} }]))).toBe("FORBIDDEN");
    expect(codeOf(() => checkDecision(access, others, "approve"))).toBe("FORBIDDEN");
  });
});
