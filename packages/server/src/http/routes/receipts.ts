import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import Type from "typebox";
import { nanosToMillis, parseGoDuration } from "../../domain/duration.js";
import { checkApprovalReceipt, createApprovalReceipt } from "../../services/agents/approval-receipt.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { SpaceParams, withErrors } from "../../contract/common.js";
import { PetitionParams } from "../../contract/petitions.js";
import { CheckReceiptBody, ReceiptBody, ReceiptOut, ReceiptStatusOut } from "../../contract/receipts.js";

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
        body: CheckReceiptBody,
        response: withErrors({ 200: ReceiptStatusOut }),
      },
    },
    async (request) =>
      checkApprovalReceipt({ ctx: await contextFor(request, services, request.params.space), receipt: request.body.receipt }),
  );
};
