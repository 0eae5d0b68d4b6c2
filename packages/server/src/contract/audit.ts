import Type, { type Static } from "typebox";
import { OneOf, PageOf, Paging, PagingQuery, Text } from "./common.js";
import { ResourceOut } from "./resources.js";

/**
 * The audit log of a space (or of the server): search, export, verification of the hash
 * chain, its signed checkpoints and retention. Events are Indent's `Event`, with their place
 * in the chain and who wrote them.
 */

export const AuditQuery = Type.Object(
  {
    writer: Type.Optional(
      Type.Union([Type.Literal("server"), Type.Literal("input")], {
        description: "server: only the server's own events; input: only those applications wrote through inputs",
      }),
    ),
    actor: Type.Optional(Type.String({ maxLength: 320, description: "the actor's email or id" })),
    resource: Type.Optional(Type.String({ maxLength: 1024, description: "a resource the event names, by id or email" })),
    event: Type.Optional(Type.String({ maxLength: 256, description: 'an event name, or a prefix ending in "*" ("access/*")' })),
    excludeEvent: Type.Optional(
      Type.String({ maxLength: 256, description: 'leaves out this event name, or a prefix ending in "*" ("token/*")' }),
    ),
    requestId: Type.Optional(Type.String({ maxLength: 64, description: "the request that wrote it" })),
    startTime: Type.Optional(Type.String({ maxLength: 64, description: "RFC 3339: events at or after" })),
    endTime: Type.Optional(Type.String({ maxLength: 64, description: "RFC 3339: events before" })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditExportQuery = Type.Object(
  {
    ...AuditQuery.properties,
    format: Type.Optional(Type.Union([Type.Literal("jsonl"), Type.Literal("csv")], { description: "jsonl (default) or csv" })),
  },
  { additionalProperties: false },
);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

/** Errors are JSON; the export itself is application/x-ndjson or text/csv. */
export const AuditExportOut = Type.String({ description: "JSONL lines (application/x-ndjson) or CSV rows (text/csv), streamed" });

const ReceiveTime = Type.String({ description: "when the server received it (timestamp is when the event says it happened)" });

export const AuditEventOut = Type.Object(
  {
    seq: Type.Integer(),
    prevHash: Type.String(),
    hash: Type.String(),
    id: Type.String(),
    event: Type.String(),
    timestamp: Type.String(),
    actor: ResourceOut,
    resources: Type.Array(ResourceOut),
    reason: Type.String(),
    externalId: Type.Optional(Type.String()),
    sessionId: Type.Optional(Type.String()),
    meta: Type.Object({ space: Type.String(), labels: Type.Record(Type.String(), Type.String()) }),
    provenance: Type.Union(
      [
        Type.Object({ writer: Type.Literal("server"), receiveTime: ReceiveTime }),
        Type.Object({
          writer: Type.Literal("input"),
          input: Type.String({ description: "the input that wrote it: provider/name" }),
          receiveTime: ReceiveTime,
        }),
      ],
      { description: "set by the server: who wrote the event into the chain, and when; hashed with the rest" },
    ),
  },
  { title: "AuditEvent" },
);
export type AuditEventOut = Static<typeof AuditEventOut>;

export const AuditListOut = PageOf("events", AuditEventOut, "AuditEventList");
export type AuditListOut = Static<typeof AuditListOut>;

export const AUDIT_PROBLEMS = [
  "altered",
  "missing",
  "reordered",
  "broken-link",
  "checkpoint-mismatch",
  "checkpoint-missing",
  "uncovered",
] as const;

const Fault = Type.Object(
  {
    seq: Type.Integer(),
    problem: OneOf(AUDIT_PROBLEMS, {
      description: "altered, missing, reordered, broken-link, checkpoint-mismatch, checkpoint-missing or uncovered",
    }),
    message: Type.String(),
  },
  { title: "AuditFault" },
);

export const VerifyOut = Type.Object(
  {
    valid: Type.Boolean(),
    checkedEvents: Type.Integer(),
    fromSeq: Type.Integer(),
    head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
    checkpointsChecked: Type.Integer(),
    latestCheckpointSeq: Type.Union([Type.Integer(), Type.Null()]),
    firstFault: Type.Optional(Fault),
  },
  { title: "AuditVerifyReport" },
);
export type VerifyOut = Static<typeof VerifyOut>;

export const CheckpointOut = Type.Object(
  {
    seq: Type.Integer(),
    hash: Type.String(),
    index: Type.Optional(Type.Integer({ description: "its place in the chain's sequence of checkpoints, from 1" })),
    prev: Type.Optional(Type.String({ description: "SHA-256 (hex) of the previous checkpoint's jws; 64 zeros for the first" })),
    signTime: Type.String(),
    kid: Type.String(),
    jws: Type.String({
      description: "compact JWS (EdDSA) over {space, spaceId, seq, hash, time, index, prev}; verify with GET /v1/audit/keys",
    }),
  },
  { title: "AuditCheckpoint" },
);
export type CheckpointOut = Static<typeof CheckpointOut>;

export const CheckpointsQuery = PagingQuery;
export type CheckpointsQuery = Static<typeof CheckpointsQuery>;

export const CheckpointsOut = Type.Object(
  {
    checkpoints: Type.Array(CheckpointOut),
    nextPageToken: Type.String(),
    maxCheckpointDelay: Type.String({
      description: "the longest an event may wait for a checkpoint that covers it (a Go duration); verifiers hold the log to it",
    }),
  },
  { title: "AuditCheckpointList" },
);
export type CheckpointsOut = Static<typeof CheckpointsOut>;

export const AuditSettingsBody = Type.Object(
  {
    settings: Type.Object(
      {
        retention: Type.Optional(
          Type.Union([Text(32), Type.Null()], { description: 'how long events are kept ("8760h"); empty or null: for ever' }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type AuditSettingsInput = Static<typeof AuditSettingsBody>["settings"];

export const AuditSettingsOut = Type.Object({ retention: Type.Union([Type.String(), Type.Null()]) }, { title: "AuditSettings" });
export type AuditSettingsOut = Static<typeof AuditSettingsOut>;
