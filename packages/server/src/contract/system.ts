import Type from "typebox";

/** The server's own routes. */

export const HealthOut = Type.Object({ status: Type.Literal("ok") }, { title: "Health" });
