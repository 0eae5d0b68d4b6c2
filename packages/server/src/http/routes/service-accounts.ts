import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createServiceAccount,
  deleteServiceAccount,
  getServiceAccount,
  listServiceAccounts,
  updateServiceAccount,
} from "../../services/identity/manage-service-accounts.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import {
  ListServiceAccountsOut,
  ListServiceAccountsQuery,
  ServiceAccountBody,
  ServiceAccountOut,
  ServiceAccountParams,
} from "../../contract/service-accounts.js";

export const serviceAccountRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  app.get(
    "/v1/spaces/:space/serviceAccounts",
    {
      schema: {
        tags: ["service accounts"],
        summary: "List service accounts",
        params: SpaceParams,
        querystring: ListServiceAccountsQuery,
        response: withErrors({ 200: ListServiceAccountsOut }),
      },
    },
    async (request) => listServiceAccounts({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.post(
    "/v1/spaces/:space/serviceAccounts",
    {
      schema: {
        tags: ["service accounts"],
        summary: "Create a service account, optionally bound to roles",
        params: SpaceParams,
        body: ServiceAccountBody,
        response: withErrors({ 201: ServiceAccountOut }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await createServiceAccount({
          ctx: await contextFor(request, services, request.params.space),
          input: request.body.serviceAccount,
        }),
      ),
  );

  app.get(
    "/v1/spaces/:space/serviceAccounts/:serviceAccountId",
    {
      schema: {
        tags: ["service accounts"],
        summary: "Get a service account",
        params: ServiceAccountParams,
        response: withErrors({ 200: ServiceAccountOut }),
      },
    },
    async (request) =>
      getServiceAccount({ ctx: await contextFor(request, services, request.params.space), id: request.params.serviceAccountId }),
  );

  app.patch(
    "/v1/spaces/:space/serviceAccounts/:serviceAccountId",
    {
      schema: {
        tags: ["service accounts"],
        summary: "Change a service account's display name, labels or roles",
        params: ServiceAccountParams,
        body: ServiceAccountBody,
        response: withErrors({ 200: ServiceAccountOut }),
      },
    },
    async (request) =>
      updateServiceAccount({
        ctx: await contextFor(request, services, request.params.space),
        id: request.params.serviceAccountId,
        input: request.body.serviceAccount,
      }),
  );

  app.delete(
    "/v1/spaces/:space/serviceAccounts/:serviceAccountId",
    {
      schema: {
        tags: ["service accounts"],
        summary: "Delete a service account: its tokens stop working at once",
        params: ServiceAccountParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await deleteServiceAccount({ ctx: await contextFor(request, services, request.params.space), id: request.params.serviceAccountId });
      return {};
    },
  );
};
