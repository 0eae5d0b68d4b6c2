import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { getDelivery, listDeliveries, listPetitionDeliveries, redeliver } from "../../services/destinations/manage-deliveries.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { SpaceParams, withErrors } from "../../contract/common.js";
import {
  DeliveriesQuery,
  DeliveryOut,
  ListDeliveriesOut,
  SubscriptionDeliveryParams,
  WebhookDeliveryParams,
  PetitionDeliveriesQuery,
} from "../../contract/deliveries.js";
import { SubscriptionParams } from "../../contract/subscriptions.js";
import { WebhookParams } from "../../contract/webhooks.js";

/**
 * The delivery log of each webhook and event subscription: what was sent, each attempt, what
 * failed (`?status=failed`), and manual redelivery.
 */
export const deliveryRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["webhooks"];

  app.get(
    "/v1/spaces/:space/deliveries",
    {
      schema: {
        tags,
        summary: "Every delivery about one petition (?petition=), to any webhook, subscription or Slack, newest first",
        params: SpaceParams,
        querystring: PetitionDeliveriesQuery,
        response: withErrors({ 200: ListDeliveriesOut }),
      },
    },
    async (request) => listPetitionDeliveries({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );

  app.get(
    "/v1/spaces/:space/webhooks/:webhook/deliveries",
    {
      schema: {
        tags,
        summary: "A webhook's deliveries, newest first",
        params: WebhookParams,
        querystring: DeliveriesQuery,
        response: withErrors({ 200: ListDeliveriesOut }),
      },
    },
    async (request) =>
      listDeliveries({
        ctx: await contextFor(request, services, request.params.space),
        kind: "webhook",
        name: request.params.webhook,
        query: request.query,
      }),
  );
  app.get(
    "/v1/spaces/:space/webhooks/:webhook/deliveries/:delivery",
    {
      schema: {
        tags,
        summary: "One delivery of a webhook: what is sent and each attempt",
        params: WebhookDeliveryParams,
        response: withErrors({ 200: DeliveryOut }),
      },
    },
    async (request) =>
      getDelivery({
        ctx: await contextFor(request, services, request.params.space),
        kind: "webhook",
        name: request.params.webhook,
        id: request.params.delivery,
      }),
  );
  app.post(
    "/v1/spaces/:space/webhooks/:webhook/deliveries/:delivery(^msg_[0-9a-z]+)::redeliver",
    {
      schema: {
        tags,
        summary: "Send a failed or waiting delivery again now",
        params: WebhookDeliveryParams,
        response: withErrors({ 200: DeliveryOut }),
      },
    },
    async (request) =>
      redeliver({
        ctx: await contextFor(request, services, request.params.space),
        kind: "webhook",
        name: request.params.webhook,
        id: request.params.delivery,
      }),
  );

  app.get(
    "/v1/spaces/:space/subscriptions/:subscription/deliveries",
    {
      schema: {
        tags,
        summary: "An event subscription's deliveries, newest first",
        params: SubscriptionParams,
        querystring: DeliveriesQuery,
        response: withErrors({ 200: ListDeliveriesOut }),
      },
    },
    async (request) =>
      listDeliveries({
        ctx: await contextFor(request, services, request.params.space),
        kind: "subscription",
        name: request.params.subscription,
        query: request.query,
      }),
  );
  app.get(
    "/v1/spaces/:space/subscriptions/:subscription/deliveries/:delivery",
    {
      schema: {
        tags,
        summary: "One delivery of an event subscription: what is sent and each attempt",
        params: SubscriptionDeliveryParams,
        response: withErrors({ 200: DeliveryOut }),
      },
    },
    async (request) =>
      getDelivery({
        ctx: await contextFor(request, services, request.params.space),
        kind: "subscription",
        name: request.params.subscription,
        id: request.params.delivery,
      }),
  );
  app.post(
    "/v1/spaces/:space/subscriptions/:subscription/deliveries/:delivery(^msg_[0-9a-z]+)::redeliver",
    {
      schema: {
        tags,
        summary: "Send a failed or waiting delivery again now",
        params: SubscriptionDeliveryParams,
        response: withErrors({ 200: DeliveryOut }),
      },
    },
    async (request) =>
      redeliver({
        ctx: await contextFor(request, services, request.params.space),
        kind: "subscription",
        name: request.params.subscription,
        id: request.params.delivery,
      }),
  );
};
