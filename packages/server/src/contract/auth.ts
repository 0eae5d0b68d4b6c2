import Type, { type Static } from "typebox";

/** The keys the server signs access tokens and receipts with, and their rotation. */

export const JwksOut = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) }, { title: "Jwks" });
export type JwksOut = Static<typeof JwksOut>;

/** Null, or no body at all, rotates and keeps the other keys. */
export const RotateKeysBody = Type.Union([
  Type.Object(
    {
      revokeOtherKeys: Type.Optional(
        Type.Boolean({
          description:
            "also remove every other key now: tokens and receipts they signed stop verifying at once (for a key that may be known to someone else)",
        }),
      ),
    },
    { additionalProperties: false },
  ),
  Type.Null(),
]);
