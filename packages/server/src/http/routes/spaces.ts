import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { addToRole, getPolicy, removeFromRole, setPolicy } from "../../services/identity/manage-roles.js";
import { createSpace, deleteSpace, getSpace, listSpaces, updateSpace } from "../../services/identity/manage-spaces.js";
import { actorContextFor, contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import { GetRoleBindingsBody, RoleBindingsOut, RoleChangeBody, SetRoleBindingsBody } from "../../contract/roles.js";
import { CreateSpaceBody, DeleteSpaceQuery, ListSpacesOut, ListSpacesQuery, SpaceOut, UpdateSpaceBody } from "../../contract/spaces.js";

export const spaceRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces",
    {
      schema: {
        tags: ["spaces"],
        summary: "List spaces: every space for the server's admin token, the token's own space for others",
        querystring: ListSpacesQuery,
        response: withErrors({ 200: ListSpacesOut }),
      },
    },
    async (request) => listSpaces({ ctx: actorContextFor(request, services), query: request.query }),
  );

  app.post(
    "/v1/spaces",
    {
      schema: {
        tags: ["spaces"],
        summary: "Create a space (server admin token only)",
        body: CreateSpaceBody,
        response: withErrors({ 201: SpaceOut }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createSpace({ ctx: actorContextFor(request, services), input: request.body.space })),
  );

  app.get(
    "/v1/spaces/:space",
    { schema: { tags: ["spaces"], summary: "Get a space", params: SpaceParams, response: withErrors({ 200: SpaceOut }) } },
    async (request) => getSpace({ ctx: await contextFor(request, services, request.params.space) }),
  );

  app.patch(
    "/v1/spaces/:space",
    {
      schema: {
        tags: ["spaces"],
        summary: "Change a space's display name",
        params: SpaceParams,
        body: UpdateSpaceBody,
        response: withErrors({ 200: SpaceOut }),
      },
    },
    async (request) => updateSpace({ ctx: await contextFor(request, services, request.params.space), input: request.body.space }),
  );

  app.delete(
    "/v1/spaces/:space",
    {
      schema: {
        tags: ["spaces"],
        summary: "Delete a space (server admin token only); one that holds anything needs recursive=true",
        params: SpaceParams,
        querystring: DeleteSpaceQuery,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await deleteSpace({
        ctx: actorContextFor(request, services),
        name: request.params.space,
        recursive: request.query.recursive ?? false,
      });
      return {};
    },
  );

  // Indent's IAM verbs on a space, `/v1/spaces/{space}:getPolicy` and so on.
  app.post(
    "/v1/spaces/:space(^[a-z0-9][a-z0-9-]*)::getPolicy",
    {
      schema: {
        tags: ["roles"],
        summary: "Read the space's role bindings",
        params: SpaceParams,
        body: GetRoleBindingsBody,
        response: withErrors({ 200: RoleBindingsOut }),
      },
    },
    async (request) => getPolicy({ ctx: await contextFor(request, services, request.params.space) }),
  );

  app.post(
    "/v1/spaces/:space(^[a-z0-9][a-z0-9-]*)::setPolicy",
    {
      schema: {
        tags: ["roles"],
        summary: "Replace the space's role bindings",
        params: SpaceParams,
        body: SetRoleBindingsBody,
        response: withErrors({ 200: RoleBindingsOut }),
      },
    },
    async (request) => setPolicy({ ctx: await contextFor(request, services, request.params.space), policy: request.body.policy }),
  );

  app.post(
    "/v1/spaces/:space(^[a-z0-9][a-z0-9-]*)::addToRole",
    {
      schema: {
        tags: ["roles"],
        summary: "Bind a member to a role",
        params: SpaceParams,
        body: RoleChangeBody,
        response: withErrors({ 200: RoleBindingsOut }),
      },
    },
    async (request) => addToRole({ ctx: await contextFor(request, services, request.params.space), input: request.body }),
  );

  app.post(
    "/v1/spaces/:space(^[a-z0-9][a-z0-9-]*)::removeFromRole",
    {
      schema: {
        tags: ["roles"],
        summary: "Unbind a member from a role",
        params: SpaceParams,
        body: RoleChangeBody,
        response: withErrors({ 200: RoleBindingsOut }),
      },
    },
    async (request) => removeFromRole({ ctx: await contextFor(request, services, request.params.space), input: request.body }),
  );
};
