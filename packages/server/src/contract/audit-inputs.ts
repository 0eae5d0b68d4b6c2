import Type, { type Static } from "typebox";
import { MetaInput, Text } from "./common.js";
import { ResourceInput } from "./resources.js";

/** The inputs applications write audit events through, and Indent's audit write API. */

export const AuditInputBody = Type.Object(
  {
    input: Type.Object(
      { provider: Type.Optional(Text(63)), name: Type.Optional(Text(63)), displayName: Type.Optional(Text(256)) },
      { additionalProperties: false, title: "AuditInputInput" },
    ),
  },
  { additionalProperties: false },
);
export type AuditInputInput = Static<typeof AuditInputBody>["input"];

export const AuditInputOut = Type.Object(
  {
    provider: Type.String(),
    name: Type.String(),
    spaceName: Type.String(),
    displayName: Type.String(),
    tokenHint: Type.String(),
    token: Type.Optional(Type.String({ description: "shown once: send it as Authorization: Bearer" })),
    writeUrl: Type.String(),
    createTime: Type.String(),
    lastWriteTime: Type.Optional(Type.String()),
  },
  { title: "AuditInput" },
);
export type AuditInputOut = Static<typeof AuditInputOut>;

export const AuditInputsOut = Type.Object({ inputs: Type.Array(AuditInputOut) }, { title: "AuditInputList" });
export type AuditInputsOut = Static<typeof AuditInputsOut>;

export const AuditInputParams = Type.Object({
  space: Type.String({ minLength: 1, maxLength: 63 }),
  provider: Type.String({ minLength: 1, maxLength: 63 }),
  input: Type.String({ minLength: 1, maxLength: 63 }),
});

/** An event as applications send it: Indent's Event. */
export const IncomingEvent = Type.Object(
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
  { additionalProperties: false, title: "IncomingEvent", description: "Indent's Event" },
);
export type IncomingEvent = Static<typeof IncomingEvent>;

export const WriteBatchBody = Type.Object(
  {
    events: Type.Array(IncomingEvent, { maxItems: 1000 }),
    async: Type.Optional(Type.Boolean({ description: "accepted for compatibility: events are always written before the answer" })),
    target: Type.Optional(Type.Unknown()),
    inputName: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);

/** `{input}:write` takes one event, `{input}:writeBatch` a batch. */
export const WriteBody = Type.Union([WriteBatchBody, IncomingEvent]);

export const WriteOut = Type.Object({ written: Type.Integer() }, { title: "WriteResult" });
export type WriteOut = Static<typeof WriteOut>;

export const InputTargetParams = Type.Object({
  space: Type.String({ minLength: 1, maxLength: 63 }),
  provider: Type.String({ minLength: 1, maxLength: 63 }),
  target: Type.String({ minLength: 1, maxLength: 80, description: '"{input}:write" or "{input}:writeBatch"' }),
});
