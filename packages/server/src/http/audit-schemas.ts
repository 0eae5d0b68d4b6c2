import Type from "typebox";
import { MetaInput, ResourceInput, ResourceOut } from "./schemas.js";

const Text = (maxLength: number) => Type.String({ maxLength });

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
    requestId: Type.Optional(Type.String({ maxLength: 64, description: "the request that wrote it" })),
    startTime: Type.Optional(Type.String({ maxLength: 64, description: "RFC 3339: events at or after" })),
    endTime: Type.Optional(Type.String({ maxLength: 64, description: "RFC 3339: events before" })),
    pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: "1 to 100; default 50" })),
    pageToken: Type.Optional(Type.String({ maxLength: 512, description: "nextPageToken of the previous page" })),
  },
  { additionalProperties: false },
);

export const AuditExportQuery = Type.Object(
  {
    ...AuditQuery.properties,
    format: Type.Optional(Type.Union([Type.Literal("jsonl"), Type.Literal("csv")], { description: "jsonl (default) or csv" })),
  },
  { additionalProperties: false },
);

export const AuditEventOut = Type.Object({
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
  provenance: Type.Object(
    {
      writer: Type.Union([Type.Literal("server"), Type.Literal("input")]),
      input: Type.Optional(Type.String({ description: "the input that wrote it: provider/name" })),
      receiveTime: Type.String({ description: "when the server received it (timestamp is when the event says it happened)" }),
    },
    { description: "set by the server: who wrote the event into the chain, and when; hashed with the rest" },
  ),
});

export const AuditListOut = Type.Object({ events: Type.Array(AuditEventOut), nextPageToken: Type.String() });

const Fault = Type.Object({
  seq: Type.Integer(),
  problem: Type.String({
    description: "altered, missing, reordered, broken-link, checkpoint-mismatch, checkpoint-missing or uncovered",
  }),
  message: Type.String(),
});

export const VerifyOut = Type.Object({
  valid: Type.Boolean(),
  checkedEvents: Type.Integer(),
  fromSeq: Type.Integer(),
  head: Type.Object({ seq: Type.Integer(), hash: Type.String() }),
  checkpointsChecked: Type.Integer(),
  latestCheckpointSeq: Type.Union([Type.Integer(), Type.Null()]),
  firstFault: Type.Optional(Fault),
});

export const CheckpointOut = Type.Object({
  seq: Type.Integer(),
  hash: Type.String(),
  index: Type.Optional(Type.Integer({ description: "its place in the chain's sequence of checkpoints, from 1" })),
  prev: Type.Optional(Type.String({ description: "SHA-256 (hex) of the previous checkpoint's jws; 64 zeros for the first" })),
  signTime: Type.String(),
  kid: Type.String(),
  jws: Type.String({
    description: "compact JWS (EdDSA) over {space, spaceId, seq, hash, time, index, prev}; verify with GET /v1/audit/keys",
  }),
});
export const CheckpointsOut = Type.Object({
  checkpoints: Type.Array(CheckpointOut),
  nextPageToken: Type.String(),
  maxCheckpointDelay: Type.String({
    description: "the longest an event may wait for a checkpoint that covers it (a Go duration); verifiers hold the log to it",
  }),
});

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
export const AuditSettingsOut = Type.Object({ retention: Type.Union([Type.String(), Type.Null()]) });

export const AuditInputBody = Type.Object(
  {
    input: Type.Object(
      { provider: Type.Optional(Text(63)), name: Type.Optional(Text(63)), displayName: Type.Optional(Text(256)) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export const AuditInputOut = Type.Object({
  provider: Type.String(),
  name: Type.String(),
  spaceName: Type.String(),
  displayName: Type.String(),
  tokenHint: Type.String(),
  token: Type.Optional(Type.String({ description: "shown once: send it as Authorization: Bearer" })),
  writeUrl: Type.String(),
  createTime: Type.String(),
  lastWriteTime: Type.Optional(Type.String()),
});
export const AuditInputsOut = Type.Object({ inputs: Type.Array(AuditInputOut) });
export const AuditInputParams = Type.Object({
  space: Type.String({ minLength: 1, maxLength: 63 }),
  provider: Type.String({ minLength: 1, maxLength: 63 }),
  input: Type.String({ minLength: 1, maxLength: 63 }),
});

const IncomingEvent = Type.Object(
  {
    event: Type.Optional(Text(256)),
    id: Type.Optional(Text(256)),
    externalId: Type.Optional(Text(256)),
    sessionId: Type.Optional(Text(256)),
    reason: Type.Optional(Text(4096)),
    timestamp: Type.Optional(Text(64)),
    actor: Type.Optional(ResourceInput),
    resources: Type.Optional(Type.Array(ResourceInput, { maxItems: 100 })),
    meta: Type.Optional(MetaInput),
    _original: Type.Optional(Type.String({ maxLength: 65536, description: "accepted for compatibility; not kept" })),
  },
  { additionalProperties: false, description: "Indent's Event" },
);
export const WriteBody = IncomingEvent;
export const WriteBatchBody = Type.Object(
  {
    events: Type.Array(IncomingEvent, { maxItems: 1000 }),
    async: Type.Optional(Type.Boolean({ description: "accepted for compatibility: events are always written before the answer" })),
    target: Type.Optional(Type.Unknown()),
    inputName: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export const WriteOut = Type.Object({ written: Type.Integer() });
export const InputTargetParams = Type.Object({
  space: Type.String({ minLength: 1, maxLength: 63 }),
  provider: Type.String({ minLength: 1, maxLength: 63 }),
  target: Type.String({ minLength: 1, maxLength: 80, description: '"{input}:write" or "{input}:writeBatch"' }),
});
