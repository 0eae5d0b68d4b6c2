import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { createApprovalReceipt } from "../../services/approval-receipt.js";
import { contextFor } from "../request-context.js";
import { PetitionParams, withErrors } from "../schemas.js";
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

/** Approval receipts: signed proof that one operation was approved, checked offline. */
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
};
