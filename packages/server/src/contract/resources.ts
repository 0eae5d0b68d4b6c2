import Type, { type Static } from "typebox";
import { Among, Labels, OutLabels, PageOf, Paging, PathName, Text } from "./common.js";

/**
 * Resources, in Indent's `Resource` shape: anything requested, granted or acting (a user, a
 * group, an action), and the space's catalog of them.
 */

export const ResourceInput = Type.Object(
  {
    kind: Type.Optional(Text(256)),
    id: Type.Optional(Text()),
    displayName: Type.Optional(Text()),
    email: Type.Optional(Text(320)),
    altIds: Type.Optional(Type.Array(Text(), { maxItems: 32 })),
    labels: Type.Optional(Labels),
  },
  {
    additionalProperties: false,
    title: "ResourceInput",
    description: "A resource: a user, group, action, anything requested or granted",
  },
);
export type ResourceInput = Static<typeof ResourceInput>;

export const ResourceOut = Type.Object(
  {
    kind: Type.String(),
    id: Type.Optional(Type.String()),
    displayName: Type.Optional(Type.String()),
    email: Type.Optional(Type.String()),
    altIds: Type.Optional(Type.Array(Type.String())),
    labels: OutLabels,
  },
  { title: "Resource" },
);
export type ResourceOut = Static<typeof ResourceOut>;

export const ResourceParams = Type.Object({
  space: PathName("space name"),
  resource: PathName("resource name (its indent.com/block label)"),
});

export const ResourceBody = Type.Object(
  { resource: ResourceInput, ephemeral: Type.Optional(Type.Boolean({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);

export const BulkUpdateBody = Type.Object(
  {
    resources: Type.Array(ResourceInput, { maxItems: 1000 }),
    opts: Type.Optional(Type.Object({ fields: Type.Optional(Type.Array(Text(128))) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

export const BulkDeleteBody = Type.Object({ resourceNames: Type.Array(Text(128), { maxItems: 1000 }) }, { additionalProperties: false });

export const ListResourcesQuery = Type.Object(
  {
    labelSelector: Type.Optional(Type.String({ maxLength: 4096 })),
    view: Type.Optional(Type.String({ maxLength: 64, description: "requestable or people" })),
    search: Type.Optional(
      Type.String({
        maxLength: 256,
        description: "only resources whose id, displayName, email or name contains this text, in any case",
      }),
    ),
    kind: Type.Optional(Type.String({ maxLength: 256, description: "only resources of this kind (exactly)" })),
    ...Paging,
    latest: Type.Optional(Type.Boolean({ description: "accepted for compatibility; ignored" })),
    among: Among,
  },
  { additionalProperties: false },
);
export type ListResourcesQuery = Static<typeof ListResourcesQuery>;

export const ListResourcesOut = PageOf("resources", ResourceOut, "ResourceList");
export type ListResourcesOut = Static<typeof ListResourcesOut>;

export const ResourcesOut = Type.Object({ resources: Type.Array(ResourceOut) }, { title: "Resources" });
export type ResourcesOut = Static<typeof ResourcesOut>;
