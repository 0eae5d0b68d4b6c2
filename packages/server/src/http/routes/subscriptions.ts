import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listSubscriptions,
  updateSubscription,
} from "../../services/destinations/manage-subscriptions.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, PagingQuery, SpaceParams, withErrors } from "../../contract/common.js";
import { ListSubscriptionsOut, SubscriptionBody, SubscriptionOut, SubscriptionParams } from "../../contract/subscriptions.js";

/** Event subscriptions: petition and grant events sent to any URL in the Standard Webhooks format. */
export const subscriptionRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["webhooks"];
  app.get(
    "/v1/spaces/:space/subscriptions",
    {
      schema: {
        tags,
        summary: "List event subscriptions",
        params: SpaceParams,
        querystring: PagingQuery,
        response: withErrors({ 200: ListSubscriptionsOut }),
      },
    },
    async (request) => listSubscriptions({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );
  app.post(
    "/v1/spaces/:space/subscriptions",
    {
      schema: {
        tags,
        summary: "Subscribe a URL to events; its signing secret is in this answer only",
        params: SpaceParams,
        body: SubscriptionBody,
        response: withErrors({ 201: SubscriptionOut }),
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        await createSubscription({
          ctx: await contextFor(request, services, request.params.space),
          input: request.body.subscription,
        }),
      ),
  );
  app.get(
    "/v1/spaces/:space/subscriptions/:subscription",
    { schema: { tags, summary: "Get an event subscription", params: SubscriptionParams, response: withErrors({ 200: SubscriptionOut }) } },
    async (request) =>
      getSubscription({ ctx: await contextFor(request, services, request.params.space), name: request.params.subscription }),
  );
  app.patch(
    "/v1/spaces/:space/subscriptions/:subscription",
    {
      schema: {
        tags,
        summary: "Change the given fields of an event subscription",
        params: SubscriptionParams,
        body: SubscriptionBody,
        response: withErrors({ 200: SubscriptionOut }),
      },
    },
    async (request) =>
      updateSubscription({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.subscription,
        input: request.body.subscription,
      }),
  );
  app.delete(
    "/v1/spaces/:space/subscriptions/:subscription",
    {
      schema: {
        tags,
        summary: "Delete an event subscription; what it had pending is given up",
        params: SubscriptionParams,
        response: withErrors({ 200: EmptyOut }),
      },
    },
    async (request) => {
      await deleteSubscription({ ctx: await contextFor(request, services, request.params.space), name: request.params.subscription });
      return {};
    },
  );
};
