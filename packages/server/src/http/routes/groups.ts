import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { createGroup, deleteGroup, getGroup, listGroups, updateGroup } from "../../services/identity/manage-groups.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, PagingQuery, SpaceParams, withErrors } from "../../contract/common.js";
import { GroupBody, GroupOut, GroupParams, ListGroupsOut } from "../../contract/groups.js";

export const groupRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/groups",
    {
      schema: {
        tags: ["roles"],
        summary: "List the space's groups",
        params: SpaceParams,
        querystring: PagingQuery,
        response: withErrors({ 200: ListGroupsOut }),
      },
    },
    async (request) => listGroups({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.post(
    "/v1/spaces/:space/groups",
    {
      schema: {
        tags: ["roles"],
        summary: "Create a group of people (by email)",
        params: SpaceParams,
        body: GroupBody,
        response: withErrors({ 201: GroupOut }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createGroup({ ctx: await contextFor(request, services, request.params.space), input: request.body.group })),
  );

  app.get(
    "/v1/spaces/:space/groups/:group",
    { schema: { tags: ["roles"], summary: "Get a group", params: GroupParams, response: withErrors({ 200: GroupOut }) } },
    async (request) => getGroup({ ctx: await contextFor(request, services, request.params.space), name: request.params.group }),
  );

  app.put(
    "/v1/spaces/:space/groups/:group",
    {
      schema: {
        tags: ["roles"],
        summary: "Replace a group's display name and members",
        params: GroupParams,
        body: GroupBody,
        response: withErrors({ 200: GroupOut }),
      },
    },
    async (request) =>
      updateGroup({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.group,
        input: request.body.group,
      }),
  );

  app.delete(
    "/v1/spaces/:space/groups/:group",
    {
      schema: {
        tags: ["roles"],
        summary: "Delete a group and its role bindings",
        params: GroupParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await deleteGroup({ ctx: await contextFor(request, services, request.params.space), name: request.params.group });
      return {};
    },
  );
};
