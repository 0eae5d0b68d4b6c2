import Type, { type Static } from "typebox";

/** Approval receipts: signed proof that one operation was approved, checked offline or online. */

export const ReceiptBody = Type.Object(
  {
    ttl: Type.Optional(
      Type.String({
        maxLength: 64,
        description: 'How long the receipt lives, as a Go duration ("5m", the default; at most 1h); never past the grant',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ReceiptOut = Type.Object(
  {
    receipt: Type.String({ description: "The JWT (typ greenlight-receipt+jwt, ES256); verify with GET /v1/auth/keys" }),
    petitionName: Type.String(),
    operationHash: Type.String({ description: "SHA-256 (hex) of the canonical JSON of {tool, arguments}" }),
    expireTime: Type.String(),
  },
  { title: "ApprovalReceipt" },
);
export type ReceiptOut = Static<typeof ReceiptOut>;

export const CheckReceiptBody = Type.Object(
  { receipt: Type.String({ minLength: 1, maxLength: 16384, description: "A receipt from POST …/petitions/{petition}:receipt" }) },
  { additionalProperties: false },
);

/**
 * What an online check finds (as OAuth's token introspection answers): whether the approval
 * the receipt proves still holds now, and if not, why.
 */
export const ReceiptStatusOut = Type.Union(
  [
    Type.Object({
      active: Type.Literal(true, { description: "Whether the approval the receipt proves still holds now" }),
      petitionName: Type.String(),
      operationHash: Type.String(),
      expireTime: Type.String({ description: "When the receipt expires" }),
    }),
    Type.Object({
      active: Type.Literal(false, { description: "Whether the approval the receipt proves still holds now" }),
      reason: Type.Union([Type.Literal("invalid"), Type.Literal("expired"), Type.Literal("revoked"), Type.Literal("expired_grant")], {
        description:
          "Why not: not a receipt of this server for this space; the receipt expired; the petition is no longer granted; its grant's time is up",
      }),
      petitionName: Type.Optional(Type.String()),
    }),
  ],
  { title: "ReceiptStatus" },
);
export type ReceiptStatusOut = Static<typeof ReceiptStatusOut>;
