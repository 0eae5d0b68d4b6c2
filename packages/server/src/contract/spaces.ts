import Type, { type Static } from "typebox";
import { PageOf, Paging, Text, Time } from "./common.js";

/** Spaces: the tenants everything else lives in. Indent's field names. */

const SpaceInput = Type.Object(
  {
    name: Type.Optional(Text(63)),
    displayName: Type.Optional(Text(256)),
    parent: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; ignored" })),
  },
  { additionalProperties: false, title: "SpaceInput" },
);
export type SpaceInput = Static<typeof SpaceInput>;

export const CreateSpaceBody = Type.Object({ space: SpaceInput }, { additionalProperties: false });
export const UpdateSpaceBody = Type.Object(
  { space: SpaceInput, updateMask: Type.Optional(Type.Unknown({ description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);

export const SpaceOut = Type.Object(
  { name: Type.String(), displayName: Type.String(), createTime: Time, updateTime: Time },
  { title: "Space" },
);
export type SpaceOut = Static<typeof SpaceOut>;

export const ListSpacesOut = PageOf("spaces", SpaceOut, "SpaceList");
export type ListSpacesOut = Static<typeof ListSpacesOut>;

export const ListSpacesQuery = Type.Object(
  { ...Paging, parent: Type.Optional(Type.String({ maxLength: 256, description: "accepted for compatibility; ignored" })) },
  { additionalProperties: false },
);
export type ListSpacesQuery = Static<typeof ListSpacesQuery>;

export const DeleteSpaceQuery = Type.Object(
  { recursive: Type.Optional(Type.Boolean({ description: "also delete everything in the space" })) },
  { additionalProperties: false },
);
