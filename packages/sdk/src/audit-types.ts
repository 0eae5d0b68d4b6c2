/** The wire shapes of the audit log: its events, checkpoints, verification and inputs. */
import type { components } from "./generated/api.js";
import type { QueryOf } from "./types.js";

type Schemas = components["schemas"];

/**
 * One event of the audit log, in Indent's Event shape, with its place in the space's hash
 * chain and its `provenance`: set by the server, never by what wrote the event.
 */
export type AuditEvent = Schemas["AuditEvent"];
/** Search filters: the writer, actor, resource, event and an event to leave out (each a name, or a prefix ending in `*`), request and time range. */
export type AuditQuery = Omit<QueryOf<"/v1/spaces/{space}/audit">, "pageSize" | "pageToken">;
export type AuditFault = Schemas["AuditFault"];
export type AuditProblem = AuditFault["problem"];
export type AuditVerifyReport = Schemas["AuditVerifyReport"];
/** A signed checkpoint of the chain's head: a compact JWS (EdDSA, Ed25519) over `{space, spaceId, seq, hash, time, index, prev}`. */
export type AuditCheckpoint = Schemas["AuditCheckpoint"];
export type AuditInput = Schemas["AuditInput"];

/** A public key that verifies checkpoints, as `GET /v1/audit/keys` lists it (an Ed25519 JWK, RFC 7517). */
export interface AuditPublicKey {
  kty: string;
  crv?: string;
  x?: string;
  kid?: string;
  alg?: string;
  use?: string;
}
