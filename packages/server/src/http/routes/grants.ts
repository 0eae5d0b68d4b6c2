import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getGrant, listGrants } from "../../services/grants/list-grants.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { SpaceParams, withErrors } from "../../contract/common.js";
import { GrantOut, GrantParams, ListGrantsOut, ListGrantsQuery } from "../../contract/grants.js";

export const grantRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/grants",
    {
      schema: {
        tags: ["grants"],
        summary: "List grants: access held (or once held) because a petition was approved",
        params: SpaceParams,
        querystring: ListGrantsQuery,
        response: withErrors({ 200: ListGrantsOut }),
      },
    },
    async (request) => listGrants({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.get(
    "/v1/spaces/:space/grants/:grant",
    { schema: { tags: ["grants"], summary: "Get a grant", params: GrantParams, response: withErrors({ 200: GrantOut }) } },
    async (request) => getGrant({ ctx: await contextFor(request, services, request.params.space), name: request.params.grant }),
  );
};
