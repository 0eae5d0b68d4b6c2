import Type, { type Static } from "typebox";
import { ResourceInput } from "./resources.js";

/** Who holds which role in a space: Indent's IAM policy calls on the space. */

export const Member = Type.String({ maxLength: 400, description: '"user:alice@example.com", "group:sre" or "serviceAccount:123456"' });
export const Role = Type.String({ maxLength: 64, description: "admin, reviewer, petitioner-admin or member" });

const BindingInput = Type.Object(
  { role: Type.Optional(Role), members: Type.Optional(Type.Array(Member, { maxItems: 1000 })) },
  { additionalProperties: false },
);

export const RoleBindingsOut = Type.Object(
  { bindings: Type.Array(Type.Object({ role: Type.String(), members: Type.Array(Type.String()) })) },
  { title: "RoleBindings" },
);
export type RoleBindingsOut = Static<typeof RoleBindingsOut>;

export const GetRoleBindingsBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    options: Type.Optional(Type.Unknown({ description: "ignored" })),
  },
  { additionalProperties: false },
);

export const SetRoleBindingsBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    policy: Type.Object(
      { bindings: Type.Optional(Type.Array(BindingInput, { maxItems: 16 })), etag: Type.Optional(Type.String()) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type RoleBindingsInput = Static<typeof SetRoleBindingsBody>["policy"];

export const RoleChangeBody = Type.Object(
  {
    resource: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; the URL names the space" })),
    role: Role,
    member: Type.Optional(Member),
    user: Type.Optional(ResourceInput),
  },
  { additionalProperties: false, description: "name the member either as member or, as Indent did, as user (a resource)" },
);
export type RoleChangeInput = Static<typeof RoleChangeBody>;
