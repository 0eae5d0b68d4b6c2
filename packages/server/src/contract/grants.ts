import Type, { type Static } from "typebox";
import { OneOf, PageOf, Paging, PathName } from "./common.js";
import { ResourceOut } from "./resources.js";

/** Grants: access held because a petition was approved, one per petitioner and resource. */

export const GrantParams = Type.Object({ space: PathName("space name"), grant: PathName("grant name") });

export const ListGrantsQuery = Type.Object(
  {
    status: Type.Optional(Type.String({ maxLength: 16, description: "active, expired or revoked" })),
    petition: Type.Optional(Type.String({ maxLength: 256, description: "only this petition's grants" })),
    provisioning: Type.Optional(
      Type.String({
        maxLength: 16,
        description: "only grants in this provisioning state (none, applying, applied, …), or failed: apply_failed or revoke_failed",
      }),
    ),
    ...Paging,
  },
  { additionalProperties: false },
);
export type ListGrantsQuery = Static<typeof ListGrantsQuery>;

export const GRANT_STATUSES = ["active", "expired", "revoked", "revoke_pending", "revoke_failed"] as const;
export const PROVISIONING_STATES = ["none", "applying", "applied", "apply_failed", "revoking", "revoked", "revoke_failed"] as const;

export const GrantOut = Type.Object(
  {
    name: Type.String(),
    spaceName: Type.String(),
    petitionName: Type.String(),
    petitioner: ResourceOut,
    resource: ResourceOut,
    status: OneOf(GRANT_STATUSES, {
      description:
        "active; expired or revoked once over, shown only after every integration acknowledged the end (revoke_pending until then, revoke_failed if one gave up)",
    }),
    provisioning: OneOf(PROVISIONING_STATES, {
      description: "none, applying, applied, apply_failed, revoking, revoked or revoke_failed",
    }),
    startTime: Type.String(),
    expireTime: Type.Optional(Type.String({ description: "absent when access lasts until revoked" })),
    endTime: Type.Optional(Type.String()),
  },
  { title: "Grant" },
);
export type GrantOut = Static<typeof GrantOut>;

export const ListGrantsOut = PageOf("grants", GrantOut, "GrantList");
export type ListGrantsOut = Static<typeof ListGrantsOut>;
