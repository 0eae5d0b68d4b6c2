import Type, { type Static } from "typebox";
import { LIMITS, MetaInput, OutLabels, PageOf, Paging, PathName, Text, Timestamp } from "./common.js";
import { ResourceInput, ResourceOut } from "./resources.js";

/** Claims: the events of a petition's history (Indent's `Event`), and the ones clients send to decide it. */

export const ClaimInput = Type.Object(
  {
    event: Text(64),
    reason: Type.Optional(Text(LIMITS.reason)),
    resources: Type.Optional(Type.Array(ResourceInput, { maxItems: LIMITS.list * 2 })),
    meta: Type.Optional(MetaInput),
    timestamp: Type.Optional(Timestamp),
    id: Type.Optional(Text()),
    externalId: Type.Optional(Text()),
    sessionId: Type.Optional(Text()),
    actor: Type.Optional(ResourceInput),
    _original: Type.Optional(Type.String({ maxLength: 65536 })),
  },
  {
    additionalProperties: false,
    title: "ClaimInput",
    description: "access/approve, access/deny or access/revoke; actor and timestamp are set by the server",
  },
);
export type ClaimInput = Static<typeof ClaimInput>;

export const CreateClaimBody = Type.Object({ claim: ClaimInput }, { additionalProperties: false });

export const EventOut = Type.Object(
  {
    id: Type.String(),
    event: Type.String(),
    actor: ResourceOut,
    reason: Type.Optional(Type.String()),
    resources: Type.Array(ResourceOut),
    timestamp: Type.String(),
    meta: Type.Object({ labels: OutLabels }),
  },
  { title: "PetitionEvent" },
);
export type EventOut = Static<typeof EventOut>;

export const ClaimParams = Type.Object({ space: PathName("space name"), petition: PathName("petition name"), claim: PathName("claim id") });

export const ListClaimsQuery = Type.Object(
  { labelSelector: Type.Optional(Type.String({ maxLength: 4096 })), ...Paging },
  { additionalProperties: false },
);
export type ListClaimsQuery = Static<typeof ListClaimsQuery>;

export const ListClaimsOut = PageOf("claims", EventOut, "ClaimList");
export type ListClaimsOut = Static<typeof ListClaimsOut>;
