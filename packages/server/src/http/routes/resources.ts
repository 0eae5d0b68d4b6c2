import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { listResources } from "../../services/catalog/list-resources.js";
import {
  bulkDeleteResources,
  bulkUpdateResources,
  createResource,
  deleteResource,
  getResource,
  updateResource,
} from "../../services/catalog/manage-resources.js";
import { contextFor } from "../request-context.js";
import { idempotentWrite } from "./idempotent-reply.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import {
  BulkDeleteBody,
  BulkUpdateBody,
  ListResourcesOut,
  ListResourcesQuery,
  ResourceBody,
  ResourceOut,
  ResourceParams,
  ResourcesOut,
} from "../../contract/resources.js";

export const resourceRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/resources",
    {
      schema: {
        tags: ["resources"],
        summary: "List the space's resources",
        description:
          "view=requestable leaves out people and deactivated resources; view=people keeps only people. labelSelector narrows either.",
        params: SpaceParams,
        querystring: ListResourcesQuery,
        response: withErrors({ 200: ListResourcesOut }),
      },
    },
    async (request) => listResources({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.post(
    "/v1/spaces/:space/resources",
    {
      schema: {
        tags: ["resources"],
        summary: "Create a resource",
        description:
          'Its name is labels["indent.com/block"] when given, else one is minted. 409 if a resource of the same kind and id exists.',
        params: SpaceParams,
        body: ResourceBody,
        response: withErrors({ 201: ResourceOut }),
      },
    },
    async (request, reply) => {
      const ctx = await contextFor(request, services, request.params.space);
      const result = await idempotentWrite(request, reply, ctx, "POST", 201, async (inner) =>
        createResource({ ctx: inner, input: request.body.resource }),
      );
      return reply.code(result.statusCode).send(result.body);
    },
  );

  app.get(
    "/v1/spaces/:space/resources/:resource",
    {
      schema: {
        tags: ["resources"],
        summary: "Get a resource by name",
        params: ResourceParams,
        response: withErrors({ 200: ResourceOut }),
      },
    },
    async (request) => getResource({ ctx: await contextFor(request, services, request.params.space), name: request.params.resource }),
  );

  app.put(
    "/v1/spaces/:space/resources/:resource",
    {
      schema: {
        tags: ["resources"],
        summary: "Replace a resource",
        params: ResourceParams,
        body: ResourceBody,
        response: withErrors({ 200: ResourceOut }),
      },
    },
    async (request) =>
      updateResource({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.resource,
        input: request.body.resource,
      }),
  );

  app.delete(
    "/v1/spaces/:space/resources/:resource",
    { schema: { tags: ["resources"], summary: "Delete a resource", params: ResourceParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => {
      await deleteResource({ ctx: await contextFor(request, services, request.params.space), name: request.params.resource });
      return {};
    },
  );

  // Custom verbs, as Indent names them: `resources:bulkUpdate`. Fastify reads `::` as a
  // literal colon. Indent's JS client sends bulkUpdate as POST though the API says PUT.
  for (const method of ["PUT", "POST"] as const) {
    app.route({
      method,
      url: "/v1/spaces/:space/resources::bulkUpdate",
      schema: {
        tags: ["resources"],
        summary: "Create or update many resources by kind and id",
        params: SpaceParams,
        body: BulkUpdateBody,
        response: withErrors({ 200: ResourcesOut }),
      },
      handler: async (request, reply) => {
        const ctx = await contextFor(request, services, request.params.space);
        const result = await idempotentWrite(request, reply, ctx, "PUT", 200, async (inner) => ({
          resources: await bulkUpdateResources({ ctx: inner, inputs: request.body.resources }),
        }));
        return reply.code(result.statusCode).send(result.body);
      },
    });
  }

  app.post(
    "/v1/spaces/:space/resources::bulkDelete",
    {
      schema: {
        tags: ["resources"],
        summary: "Delete many resources by name; names that do not exist are skipped",
        params: SpaceParams,
        body: BulkDeleteBody,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await bulkDeleteResources({ ctx: await contextFor(request, services, request.params.space), names: request.body.resourceNames });
      return {};
    },
  );
};
