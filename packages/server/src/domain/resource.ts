import type { ResourceInput } from "../contract/resources.js";
import { emailProblem, normalizeEmail } from "./email.js";
import { invalidArgument } from "./errors.js";

/**
 * A resource as Indent's wire format has it (`indent.audit.v1.Resource`): a user, a group, an
 * action, a customer, anything that is requested, granted or acts. Petitioners are resources
 * too (kind `user` with an email).
 */
export interface Resource {
  kind: string;
  id?: string;
  displayName?: string;
  email?: string;
  altIds?: string[];
  labels: Record<string, string>;
}

/** The label that holds a catalog resource's name (Indent's block name). */
export const BLOCK_LABEL = "indent.com/block";

/** Checks a resource from the wire and returns it in canonical shape (labels always present). */
export function normalizeResource(input: ResourceInput, field: string): Resource {
  const kind = input.kind?.trim() ?? "";
  if (!kind) throw invalidArgument(`${field}.kind is required, for example "user" or "okta.v1.Group"`, `${field}.kind`);
  const id = emptyToUndefined(input.id);
  const email = emptyToUndefined(input.email);
  if (id === undefined && email === undefined) {
    throw invalidArgument(`${field} needs an id or an email to identify it`, field);
  }
  if (email !== undefined && normalizeEmail(email) === undefined)
    throw invalidArgument(`${field}.email: ${emailProblem(email)}`, `${field}.email`);
  const resource: Resource = { kind, labels: { ...(input.labels ?? {}) } };
  if (id !== undefined) resource.id = id;
  if (input.displayName) resource.displayName = input.displayName;
  if (email !== undefined) resource.email = email;
  if (input.altIds && input.altIds.length > 0) resource.altIds = [...input.altIds];
  return resource;
}

/**
 * What makes two mentions of a resource the same one: its kind (case-insensitive, as the
 * integrations match kinds) and its id, or its email when it has no id.
 */
export function resourceKey(resource: Pick<Resource, "kind" | "id" | "email">): string {
  const kind = resource.kind.toLowerCase();
  if (resource.id !== undefined) return `${kind}\u0000id\u0000${resource.id}`;
  return `${kind}\u0000email\u0000${(resource.email ?? "").toLowerCase()}`;
}

/** Whether a kind names a person, the way Indent's integrations decide it. */
export function isPrincipalKind(kind: string): boolean {
  const lower = kind.toLowerCase();
  return lower.includes("user") || lower === "indent.v1.bot";
}

function emptyToUndefined(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value.trim() === "" ? undefined : value;
}

/** A resource kept in a space's catalog, named so it can be addressed (`/resources/{name}`). */
export interface CatalogResource extends Resource {
  id: string;
  name: string;
  createdAt: number;
  updatedAt: number;
}

/** The catalog's views (Indent's `view` query): what may be requested, and who may request. */
export type ResourceView = "requestable" | "people";

export const DEACTIVATED_LABEL = "indent.com/resource/is_deactivated";

/** What `view=requestable` keeps: things, not people, and nothing deactivated. */
export function isRequestable(resource: Pick<Resource, "kind" | "labels">): boolean {
  return !isPrincipalKind(resource.kind) && resource.labels[DEACTIVATED_LABEL] !== "true";
}

/**
 * The email a resource names a person by: its `email`, or else an `id` that is an email (as
 * Indent's user resources often have), normalised as every identity is (`normalizeEmail`);
 * undefined when it names none, or only an address that could pass for another.
 */
export function resourceEmail(resource: Pick<Resource, "email" | "id">): string | undefined {
  if (resource.email !== undefined) return normalizeEmail(resource.email);
  return resource.id !== undefined && resource.id.includes("@") ? normalizeEmail(resource.id) : undefined;
}
