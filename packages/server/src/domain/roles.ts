import { normalizeEmail } from "./email.js";
import { invalidArgument } from "./errors.js";

/**
 * Roles are bound per space. A principal's permissions are the union of its roles'.
 *
 * - `admin`: configures everything in the space and decides any petition (but its own).
 * - `reviewer`: reads every petition and decides them (but its own).
 * - `petitioner-admin`: petitions on behalf of others (Indent's Editor / Petitioner Admin).
 * - `member`: petitions for itself, reads its own petitions, lists requestable resources.
 */
export const ROLES = ["admin", "reviewer", "petitioner-admin", "member"] as const;
export type Role = (typeof ROLES)[number];

export type Permission =
  /** Read every petition, claim and grant of the space (others read only their own). */
  | "petitions.read-all"
  /** Petition with any petitioners (others only for themselves). */
  | "petitions.create-for-others"
  /** Petition for oneself. */
  | "petitions.create"
  /** Approve, deny and revoke petitions. */
  | "petitions.review"
  /** Close or relabel any petition, and delete petitions (others only close their own). */
  | "petitions.manage"
  /** Read every resource, people included (others see the requestable ones). */
  | "resources.read-all"
  /** Create, change and delete resources. */
  | "resources.write"
  /** Role bindings, groups, service accounts and tokens; the space's settings. */
  | "space.admin";

const PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    "petitions.read-all",
    "petitions.create-for-others",
    "petitions.create",
    "petitions.review",
    "petitions.manage",
    "resources.read-all",
    "resources.write",
    "space.admin",
  ],
  reviewer: ["petitions.read-all", "petitions.create", "petitions.review", "resources.read-all"],
  "petitioner-admin": ["petitions.create-for-others", "petitions.create"],
  member: ["petitions.create"],
};

export function permissionsOf(roles: Iterable<Role>): ReadonlySet<Permission> {
  const granted = new Set<Permission>();
  for (const role of roles) for (const permission of PERMISSIONS[role]) granted.add(permission);
  return granted;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function parseRole(value: string, field: string): Role {
  if (!isRole(value)) throw invalidArgument(`${field} must be one of ${ROLES.join(", ")}, not ${JSON.stringify(value)}`, field);
  return value;
}

/**
 * A member of a role binding, as IAM policies write them: `user:alice@example.com`,
 * `group:sre`, `serviceAccount:123456`.
 */
export type Member = { type: "user"; email: string } | { type: "group"; name: string } | { type: "serviceAccount"; id: string };

const MEMBER_EXAMPLES = '"user:alice@example.com", "group:sre" or "serviceAccount:123456"';
export const GROUP_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const SERVICE_ACCOUNT_ID = /^[0-9]{1,20}$/;

export function parseMember(text: string, field: string): Member {
  const colon = text.indexOf(":");
  const type = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (colon > 0) {
    const email = type === "user" ? normalizeEmail(value) : undefined;
    if (email !== undefined) return { type: "user", email };
    if (type === "group" && GROUP_NAME.test(value)) return { type: "group", name: value };
    if (type === "serviceAccount" && SERVICE_ACCOUNT_ID.test(value)) return { type: "serviceAccount", id: value };
  }
  throw invalidArgument(`${field} must look like ${MEMBER_EXAMPLES}, not ${JSON.stringify(text.slice(0, 80))}`, field);
}

export function formatMember(member: Member): string {
  switch (member.type) {
    case "user":
      return `user:${member.email}`;
    case "group":
      return `group:${member.name}`;
    case "serviceAccount":
      return `serviceAccount:${member.id}`;
  }
}

/** Whether `text` is an address `normalizeEmail` takes (ASCII, nothing that stands in for another character). */
export function isEmail(text: string): boolean {
  return normalizeEmail(text) !== undefined;
}
