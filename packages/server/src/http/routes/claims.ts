import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createClaim } from "../../services/petitions/create-claim.js";
import { getClaim, listClaims } from "../../services/petitions/list-claims.js";
import { contextFor } from "../request-context.js";
import { idempotentWrite } from "./idempotent-reply.js";
import type { RouteOptions } from "./petitions.js";
import { ClaimParams, CreateClaimBody, EventOut, ListClaimsOut, ListClaimsQuery } from "../../contract/claims.js";
import { withErrors } from "../../contract/common.js";
import { PetitionParams } from "../../contract/petitions.js";

export const claimRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/petitions/:petition/claims",
    {
      schema: {
        tags: ["claims"],
        summary: "List a petition's events",
        params: PetitionParams,
        querystring: ListClaimsQuery,
        response: withErrors({ 200: ListClaimsOut }),
      },
    },
    async (request) =>
      listClaims({
        ctx: await contextFor(request, services, request.params.space),
        petitionName: request.params.petition,
        query: request.query,
      }),
  );

  app.post(
    "/v1/spaces/:space/petitions/:petition/claims",
    {
      schema: {
        tags: ["claims"],
        summary: "Approve, deny or revoke a petition",
        description:
          'access/approve takes its duration from meta.labels["indent.com/time/duration"] (a Go duration such as "3h0m0s"), or "indent.com/time/indefinite": "true"; without either, the petition\'s suggested duration or the server default applies.',
        params: PetitionParams,
        body: CreateClaimBody,
        response: withErrors({ 200: EventOut }),
      },
    },
    async (request, reply) => {
      const ctx = await contextFor(request, services, request.params.space);
      const result = await idempotentWrite(request, reply, ctx, "POST", 200, async (inner) =>
        createClaim({ ctx: inner, petitionName: request.params.petition, claim: request.body.claim }),
      );
      return reply.code(result.statusCode).send(result.body);
    },
  );

  app.get(
    "/v1/spaces/:space/petitions/:petition/claims/:claim",
    { schema: { tags: ["claims"], summary: "Get one event of a petition", params: ClaimParams, response: withErrors({ 200: EventOut }) } },
    async (request) =>
      getClaim({
        ctx: await contextFor(request, services, request.params.space),
        petitionName: request.params.petition,
        claimId: request.params.claim,
      }),
  );
};
