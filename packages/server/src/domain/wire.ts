import { formatProtoDuration, millisToNanos } from "./duration.js";
import type { Grant, Petition, PetitionEvent } from "./petition.js";
import type { Resource } from "./resource.js";

/**
 * The JSON the API emits, in Indent v1's shapes (camelCase, RFC 3339 timestamps, protobuf JSON
 * durations). Fields that are empty are left out, as protobuf JSON does, except `labels`, which
 * is always an object so clients can index it without a guard.
 */
export interface WireResource {
  kind: string;
  id?: string;
  displayName?: string;
  email?: string;
  altIds?: string[];
  labels: Record<string, string>;
}

export interface WireEvent {
  id: string;
  event: string;
  actor: WireResource;
  reason?: string;
  resources: WireResource[];
  timestamp: string;
  meta: { labels: Record<string, string> };
}

export interface WirePetition {
  name: string;
  spaceName: string;
  meta: {
    name: string;
    space: string;
    labels: Record<string, string>;
    createTime: string;
    updateTime: string;
    startTime?: string;
    expireTime?: string;
    endTime?: string;
    deleteTime?: string;
  };
  petitioners: WireResource[];
  resources: WireResource[];
  reason: string;
  defaultDuration?: string;
  state: {
    status: { phase: string; outcome?: string };
    eventHistory: WireEvent[];
    messages: unknown[];
  };
}

export interface WireGrant {
  name: string;
  spaceName: string;
  petitionName: string;
  petitioner: WireResource;
  resource: WireResource;
  status: string;
  startTime: string;
  expireTime?: string;
  endTime?: string;
}

const time = (ms: number): string => new Date(ms).toISOString();

export function toWireResource(resource: Resource): WireResource {
  const out = { kind: resource.kind } as WireResource;
  if (resource.id !== undefined) out.id = resource.id;
  if (resource.displayName) out.displayName = resource.displayName;
  if (resource.email !== undefined) out.email = resource.email;
  if (resource.altIds && resource.altIds.length > 0) out.altIds = resource.altIds;
  out.labels = resource.labels;
  return out;
}

export function toWireEvent(event: PetitionEvent): WireEvent {
  const out: WireEvent = {
    id: event.id,
    event: event.event,
    actor: toWireResource(event.actor),
    resources: event.resources.map(toWireResource),
    timestamp: time(event.timestamp),
    meta: { labels: event.labels },
  };
  if (event.reason) out.reason = event.reason;
  return out;
}

export function toWirePetition(petition: Petition, events: PetitionEvent[]): WirePetition {
  const meta: WirePetition["meta"] = {
    name: petition.name,
    space: petition.spaceName,
    labels: petition.labels,
    createTime: time(petition.createdAt),
    updateTime: time(petition.updatedAt),
  };
  if (petition.startAt !== null) meta.startTime = time(petition.startAt);
  if (petition.expireAt !== null) meta.expireTime = time(petition.expireAt);
  if (petition.endAt !== null) meta.endTime = time(petition.endAt);
  if (petition.deletedAt !== null) meta.deleteTime = time(petition.deletedAt);

  const status: WirePetition["state"]["status"] = { phase: petition.phase };
  if (petition.outcome !== null) status.outcome = petition.outcome;

  const out: WirePetition = {
    name: petition.name,
    spaceName: petition.spaceName,
    meta,
    petitioners: petition.petitioners.map(toWireResource),
    resources: petition.resources.map(toWireResource),
    reason: petition.reason,
    state: { status, eventHistory: events.map(toWireEvent), messages: [] },
  };
  if (petition.defaultDurationMs !== null) out.defaultDuration = formatProtoDuration(millisToNanos(petition.defaultDurationMs));
  return out;
}

export function toWireGrant(grant: Grant, spaceName: string): WireGrant {
  const out: WireGrant = {
    name: grant.id,
    spaceName,
    petitionName: grant.petitionName,
    petitioner: toWireResource(grant.petitioner),
    resource: toWireResource(grant.resource),
    status: grant.status,
    startTime: time(grant.startAt),
  };
  if (grant.expireAt !== null) out.expireTime = time(grant.expireAt);
  if (grant.endAt !== null) out.endTime = time(grant.endAt);
  return out;
}
