import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createOnCallProvider,
  deleteOnCallProvider,
  getOnCallProvider,
  listOnCallProviders,
  updateOnCallProvider,
} from "../../services/destinations/manage-oncall-providers.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import { ListOnCallProvidersOut, OnCallProviderBody, OnCallProviderOut, OnCallProviderParams } from "../../contract/oncall-providers.js";

/** On-call providers (PagerDuty, Opsgenie, incident.io) a policy's `onCall` condition asks. */
export const onCallProviderRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["policies"];
  app.get(
    "/v1/spaces/:space/onCallProviders",
    {
      schema: {
        tags,
        summary: "List on-call providers, with their health",
        params: SpaceParams,
        response: withErrors({ 200: ListOnCallProvidersOut }),
      },
    },
    async (request) => listOnCallProviders({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.post(
    "/v1/spaces/:space/onCallProviders",
    {
      schema: {
        tags,
        summary: "Add an on-call provider",
        params: SpaceParams,
        body: OnCallProviderBody,
        response: withErrors({ 201: OnCallProviderOut }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createOnCallProvider({ ctx: await contextFor(request, services, request.params.space), input: request.body.provider })),
  );
  app.get(
    "/v1/spaces/:space/onCallProviders/:provider",
    {
      schema: { tags, summary: "Get an on-call provider", params: OnCallProviderParams, response: withErrors({ 200: OnCallProviderOut }) },
    },
    async (request) => getOnCallProvider({ ctx: await contextFor(request, services, request.params.space), name: request.params.provider }),
  );
  app.put(
    "/v1/spaces/:space/onCallProviders/:provider",
    {
      schema: {
        tags,
        summary: "Change an on-call provider (its API key is kept unless a new one is given)",
        params: OnCallProviderParams,
        body: OnCallProviderBody,
        response: withErrors({ 200: OnCallProviderOut }),
      },
    },
    async (request) =>
      updateOnCallProvider({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.provider,
        input: request.body.provider,
      }),
  );
  app.delete(
    "/v1/spaces/:space/onCallProviders/:provider",
    { schema: { tags, summary: "Remove an on-call provider", params: OnCallProviderParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => {
      await deleteOnCallProvider({ ctx: await contextFor(request, services, request.params.space), name: request.params.provider });
      return {};
    },
  );
};
