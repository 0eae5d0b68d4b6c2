import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import { SLACK_RECEIVER } from "../../domain/slack.js";
import { getDelivery, listDeliveries, redeliver } from "../../services/destinations/manage-deliveries.js";
import { deleteSlackApp, getSlackApp, putSlackApp, slackManifest, testSlackApp } from "../../services/slack/manage-slack.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, SpaceParams, withErrors } from "../../contract/common.js";
import { DeliveriesQuery, DeliveryOut, ListDeliveriesOut, SlackDeliveryParams } from "../../contract/deliveries.js";
import { SlackAppBody, SlackAppOut, SlackManifestOut, SlackManifestQuery, SlackTestOut } from "../../contract/slack.js";

/** The Slack app of a space: set up, manifest, test, and the log of its Slack calls. */
export const slackConfigRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["slack"];
  app.get(
    "/v1/spaces/:space/slack",
    {
      schema: {
        tags,
        summary: "The space's Slack app (secrets shown only as hints)",
        params: SpaceParams,
        response: withErrors({ 200: SlackAppOut }),
      },
    },
    async (request) => getSlackApp({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.put(
    "/v1/spaces/:space/slack",
    {
      schema: {
        tags,
        summary: "Set up or change the space's Slack app",
        params: SpaceParams,
        body: SlackAppBody,
        response: withErrors({ 200: SlackAppOut }),
      },
    },
    async (request) => putSlackApp({ ctx: await contextFor(request, services, request.params.space), input: request.body.slack }),
  );
  app.delete(
    "/v1/spaces/:space/slack",
    { schema: { tags, summary: "Remove the space's Slack app", params: SpaceParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => deleteSlackApp({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.get(
    "/v1/spaces/:space/slack/manifest",
    {
      schema: {
        tags,
        summary: "The Slack app manifest for this space, to create the app from (api.slack.com/apps → From a manifest)",
        params: SpaceParams,
        querystring: SlackManifestQuery,
        response: withErrors({ 200: SlackManifestOut }),
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? "json";
      const manifest = slackManifest({ ctx: await contextFor(request, services, request.params.space), format });
      if (format === "yaml") return reply.type("text/yaml; charset=utf-8").send(manifest);
      return manifest;
    },
  );
  app.post(
    "/v1/spaces/:space/slack::test",
    {
      schema: {
        tags,
        summary: "Check the bot token with Slack (auth.test)",
        params: SpaceParams,
        response: withErrors({ 200: SlackTestOut }),
      },
    },
    async (request) => testSlackApp({ ctx: await contextFor(request, services, request.params.space) }),
  );

  app.get(
    "/v1/spaces/:space/slack/deliveries",
    {
      schema: {
        tags,
        summary: "The Slack calls made and to be made, newest first",
        params: SpaceParams,
        querystring: DeliveriesQuery,
        response: withErrors({ 200: ListDeliveriesOut }),
      },
    },
    async (request) =>
      listDeliveries({
        ctx: await contextFor(request, services, request.params.space),
        kind: "slack",
        name: SLACK_RECEIVER,
        query: request.query,
      }),
  );
  app.get(
    "/v1/spaces/:space/slack/deliveries/:delivery",
    {
      schema: { tags, summary: "One Slack call and each attempt", params: SlackDeliveryParams, response: withErrors({ 200: DeliveryOut }) },
    },
    async (request) =>
      getDelivery({
        ctx: await contextFor(request, services, request.params.space),
        kind: "slack",
        name: SLACK_RECEIVER,
        id: request.params.delivery,
      }),
  );
  app.post(
    "/v1/spaces/:space/slack/deliveries/:delivery(^msg_[0-9a-z]+)::redeliver",
    {
      schema: {
        tags,
        summary: "Make a failed or waiting Slack call again now",
        params: SlackDeliveryParams,
        response: withErrors({ 200: DeliveryOut }),
      },
    },
    async (request) =>
      redeliver({
        ctx: await contextFor(request, services, request.params.space),
        kind: "slack",
        name: SLACK_RECEIVER,
        id: request.params.delivery,
      }),
  );
};
