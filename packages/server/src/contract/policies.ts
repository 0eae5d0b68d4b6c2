import Type, { type Static } from "typebox";
import { PageOf, SpaceParams, Time } from "./common.js";
import { PolicyDocumentSchema } from "./policy-document.js";

/** The space's access policy: the document in force, its versions, and checking a draft. */

export const AccessPolicyOut = Type.Object(
  {
    version: Type.Integer({ description: "0 when the space never had a policy" }),
    policy: Type.Union([PolicyDocumentSchema, Type.Null()], { description: "null: no policy; any admin or reviewer approves" }),
    createTime: Type.Optional(Time),
    createdBy: Type.Optional(Type.String()),
  },
  { title: "AccessPolicy" },
);
export type AccessPolicyOut = Static<typeof AccessPolicyOut>;

export const PutPolicyBody = Type.Object(
  {
    policy: PolicyDocumentSchema,
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: "save only if the policy is still at this version" })),
  },
  { additionalProperties: false },
);

export const DeletePolicyQuery = Type.Object(
  { expectedVersion: Type.Optional(Type.Integer({ minimum: 0, description: "delete only if the policy is still at this version" })) },
  { additionalProperties: false },
);

export const ValidatePolicyBody = Type.Object({ policy: PolicyDocumentSchema }, { additionalProperties: false });
export const ValidatePolicyOut = Type.Object({ valid: Type.Boolean(), rules: Type.Integer() }, { title: "PolicyValidation" });
export type ValidatePolicyOut = Static<typeof ValidatePolicyOut>;

export const PolicyVersionParams = Type.Object({ space: SpaceParams.properties.space, version: Type.Integer({ minimum: 1 }) });

export const PolicyVersionOut = Type.Object(
  { version: Type.Integer(), removed: Type.Boolean(), createTime: Time, createdBy: Type.String() },
  { title: "PolicyVersion" },
);
export type PolicyVersionOut = Static<typeof PolicyVersionOut>;

export const ListPolicyVersionsOut = PageOf("versions", PolicyVersionOut, "PolicyVersionList");
export type ListPolicyVersionsOut = Static<typeof ListPolicyVersionsOut>;

export const PolicyVersionsQuery = Type.Object(
  {
    pageSize: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    pageToken: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);
export type PolicyVersionsQuery = Static<typeof PolicyVersionsQuery>;
