import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { checkApprovalReceipt, createApprovalReceipt } from "../../services/agents/approval-receipt.js";
import { contextFor } from "../request-context.js";
import { PetitionParams, SpaceParams, withErrors } from "../schemas.js";
import type { RouteOptions } from "./petitions.js";

const ReceiptBody = Type.Object(
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

const ReceiptOut = Type.Object({
  receipt: Type.String({ description: "The JWT (typ greenlight-receipt+jwt, ES256); verify with GET /v1/auth/keys" }),
  petitionName: Type.String(),
  operationHash: Type.String({ description: "SHA-256 (hex) of the canonical JSON of {tool, arguments}" }),
  expireTime: Type.String(),
});

const CheckBody = Type.Object(
  { receipt: Type.String({ minLength: 1, maxLength: 16384, description: "A receipt from POST …/petitions/{petition}:receipt" }) },
  { additionalProperties: false },
);

const ReceiptStatusOut = Type.Object({
  active: Type.Boolean({ description: "Whether the approval the receipt proves still holds now" }),
  reason: Type.Optional(
    Type.Union([Type.Literal("invalid"), Type.Literal("expired"), Type.Literal("revoked"), Type.Literal("expired_grant")], {
      description:
        "Why not: not a receipt of this server for this space; the receipt expired; the petition is no longer granted; its grant's time is up",
    }),
  ),
  petitionName: Type.Optional(Type.String()),
  operationHash: Type.Optional(Type.String()),
  expireTime: Type.Optional(Type.String({ description: "When the receipt expires" })),
});

/** Approval receipts: signed proof that one operation was approved, checked offline or online. */
export const receiptRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.post(
    "/v1/spaces/:space/petitions/:petition(^[^:/]+)::receipt",
    {
      schema: {
        tags: ["petitions"],
        summary: "A signed, short-lived receipt for a granted petition made for one operation",
        params: PetitionParams,
        body: Type.Optional(ReceiptBody),
        response: withErrors({ 200: ReceiptOut }),
      },
    },
    async (request) => {
      const ttl = request.body?.ttl;
      return createApprovalReceipt({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.petition,
        ...(ttl === undefined ? {} : { ttlMs: nanosToMillis(parseGoDuration(ttl, "ttl")) }),
      });
    },
  );

  app.post(
    "/v1/spaces/:space/receipts::check",
    {
      schema: {
        tags: ["petitions"],
        summary: "Whether an approval receipt still holds: its petition still granted, the receipt and the grant unexpired",
        params: SpaceParams,
        body: CheckBody,
        response: withErrors({ 200: ReceiptStatusOut }),
      },
    },
    async (request) =>
      checkApprovalReceipt({ ctx: await contextFor(request, services, request.params.space), receipt: request.body.receipt }),
  );
};
