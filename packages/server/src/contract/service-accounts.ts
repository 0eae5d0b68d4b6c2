import Type, { type Static } from "typebox";
import { Labels, PageOf, Paging, PathName, Text, Time } from "./common.js";
import { ResourceOut } from "./resources.js";
import { Role } from "./roles.js";

/** Service accounts: the identities applications and agents act as, with refresh tokens of their own. */

const ServiceAccountInput = Type.Object(
  {
    name: Type.Optional(Text(63)),
    displayName: Type.Optional(Text(256)),
    email: Type.Optional(Text(320)),
    labels: Type.Optional(Labels),
    roles: Type.Optional(Type.Array(Role, { maxItems: 4, description: "roles to bind it to (replacing its roles on PATCH)" })),
  },
  { additionalProperties: false, title: "ServiceAccountInput" },
);
export type ServiceAccountInput = Static<typeof ServiceAccountInput>;

export const ServiceAccountBody = Type.Object(
  { serviceAccount: ServiceAccountInput, updateMask: Type.Optional(Type.Unknown({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);

export const ServiceAccountOut = Type.Object(
  {
    name: Type.String(),
    serviceAccountId: Type.String({ description: "decimal digits, as protobuf JSON writes a uint64" }),
    displayName: Type.String(),
    email: Type.String({ description: "the sub of its access tokens" }),
    labels: Type.Record(Type.String(), Type.String()),
    roles: Type.Array(Type.String()),
    meta: Type.Object({
      name: Type.String(),
      space: Type.String(),
      displayName: Type.String(),
      labels: Type.Record(Type.String(), Type.String()),
      createTime: Time,
      updateTime: Time,
      deleteTime: Type.Optional(Time),
    }),
    createdBy: ResourceOut,
  },
  { title: "ServiceAccount" },
);
export type ServiceAccountOut = Static<typeof ServiceAccountOut>;

export const ListServiceAccountsOut = PageOf("serviceAccounts", ServiceAccountOut, "ServiceAccountList");
export type ListServiceAccountsOut = Static<typeof ListServiceAccountsOut>;

export const ListServiceAccountsQuery = Type.Object(
  { ...Paging, showDeleted: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ListServiceAccountsQuery = Static<typeof ListServiceAccountsQuery>;

export const ServiceAccountParams = Type.Object({
  space: PathName("space name"),
  serviceAccountId: Type.String({ pattern: "^[0-9]{1,20}$", description: "the service account's id" }),
});
