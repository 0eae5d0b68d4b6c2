import type { FastifyPluginAsyncTypebox } from "@fastify/type-provider-typebox";
import {
  createWebhookPolicy,
  deleteWebhookPolicy,
  getWebhookPolicy,
  listWebhookPolicies,
  updateWebhookPolicy,
} from "../../services/policies/manage-webhook-policies.js";
import { createWebhook, deleteWebhook, getWebhook, listWebhooks, updateWebhook } from "../../services/destinations/manage-webhooks.js";
import { contextFor } from "../request-context.js";
import type { RouteOptions } from "./petitions.js";
import { EmptyOut, PagingQuery, SpaceParams, withErrors } from "../../contract/common.js";
import { ListWebhookPoliciesOut, WebhookPolicyBody, WebhookPolicyOut, WebhookPolicyParams } from "../../contract/webhook-policies.js";
import { ListWebhooksOut, WebhookBody, WebhookOut, WebhookParams } from "../../contract/webhooks.js";

/** Webhooks and the webhook policies that select decision webhooks, in Indent's routes. */
export const webhookRoutes: FastifyPluginAsyncTypebox<RouteOptions> = async (app, { services }) => {
  const tags = ["webhooks"];
  app.get(
    "/v1/spaces/:space/webhooks",
    {
      schema: {
        tags,
        summary: "List webhooks",
        params: SpaceParams,
        querystring: PagingQuery,
        response: withErrors({ 200: ListWebhooksOut }),
      },
    },
    async (request) => listWebhooks({ ctx: await contextFor(request, services, request.params.space), query: request.query }),
  );
  app.post(
    "/v1/spaces/:space/webhooks",
    {
      schema: {
        tags,
        summary: "Create a webhook; its signing secret is in this answer only",
        params: SpaceParams,
        body: WebhookBody,
        response: withErrors({ 201: WebhookOut }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await createWebhook({ ctx: await contextFor(request, services, request.params.space), input: request.body.webhook })),
  );
  app.get(
    "/v1/spaces/:space/webhooks/:webhook",
    { schema: { tags, summary: "Get a webhook", params: WebhookParams, response: withErrors({ 200: WebhookOut }) } },
    async (request) => getWebhook({ ctx: await contextFor(request, services, request.params.space), name: request.params.webhook }),
  );
  app.patch(
    "/v1/spaces/:space/webhooks/:webhook",
    {
      schema: {
        tags,
        summary: "Change the given fields of a webhook",
        params: WebhookParams,
        body: WebhookBody,
        response: withErrors({ 200: WebhookOut }),
      },
    },
    async (request) =>
      updateWebhook({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.webhook,
        input: request.body.webhook,
      }),
  );
  app.delete(
    "/v1/spaces/:space/webhooks/:webhook",
    { schema: { tags, summary: "Delete a webhook", params: WebhookParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => {
      await deleteWebhook({ ctx: await contextFor(request, services, request.params.space), name: request.params.webhook });
      return {};
    },
  );

  app.get(
    "/v1/spaces/:space/webhookPolicies",
    { schema: { tags, summary: "List webhook policies", params: SpaceParams, response: withErrors({ 200: ListWebhookPoliciesOut }) } },
    async (request) => listWebhookPolicies({ ctx: await contextFor(request, services, request.params.space) }),
  );
  app.post(
    "/v1/spaces/:space/webhookPolicies",
    {
      schema: {
        tags,
        summary: "Create a webhook policy: which decision webhooks run for which petitions",
        params: SpaceParams,
        body: WebhookPolicyBody,
        response: withErrors({ 201: WebhookPolicyOut }),
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          await createWebhookPolicy({ ctx: await contextFor(request, services, request.params.space), input: request.body.webhookPolicy }),
        ),
  );
  app.get(
    "/v1/spaces/:space/webhookPolicies/:policy",
    { schema: { tags, summary: "Get a webhook policy", params: WebhookPolicyParams, response: withErrors({ 200: WebhookPolicyOut }) } },
    async (request) => getWebhookPolicy({ ctx: await contextFor(request, services, request.params.space), name: request.params.policy }),
  );
  app.put(
    "/v1/spaces/:space/webhookPolicies/:policy",
    {
      schema: {
        tags,
        summary: "Replace a webhook policy",
        params: WebhookPolicyParams,
        body: WebhookPolicyBody,
        response: withErrors({ 200: WebhookPolicyOut }),
      },
    },
    async (request) =>
      updateWebhookPolicy({
        ctx: await contextFor(request, services, request.params.space),
        name: request.params.policy,
        input: request.body.webhookPolicy,
      }),
  );
  app.delete(
    "/v1/spaces/:space/webhookPolicies/:policy",
    { schema: { tags, summary: "Delete a webhook policy", params: WebhookPolicyParams, response: withErrors({ 200: EmptyOut }) } },
    async (request) => {
      await deleteWebhookPolicy({ ctx: await contextFor(request, services, request.params.space), name: request.params.policy });
      return {};
    },
  );
};
