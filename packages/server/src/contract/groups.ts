import Type, { type Static } from "typebox";
import { PageOf, PathName, Text, Time } from "./common.js";

/** Groups: named sets of people in a space, bound to roles as `group:<name>`. */

const GroupInput = Type.Object(
  {
    name: Type.Optional(Text(63)),
    displayName: Type.Optional(Text(256)),
    members: Type.Optional(Type.Array(Type.String({ maxLength: 320 }), { maxItems: 1000, description: "emails" })),
  },
  { additionalProperties: false, title: "GroupInput" },
);
export type GroupInput = Static<typeof GroupInput>;

export const GroupBody = Type.Object({ group: GroupInput }, { additionalProperties: false });

export const GroupOut = Type.Object(
  {
    name: Type.String(),
    displayName: Type.String(),
    members: Type.Array(Type.String()),
    createTime: Time,
    updateTime: Time,
  },
  { title: "Group" },
);
export type GroupOut = Static<typeof GroupOut>;

export const ListGroupsOut = PageOf("groups", GroupOut, "GroupList");
export type ListGroupsOut = Static<typeof ListGroupsOut>;

export const GroupParams = Type.Object({ space: PathName("space name"), group: PathName("group name") });
